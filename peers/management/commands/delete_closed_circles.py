"""Delete practice circles closed for PEERS_CLOSED_CIRCLE_DAYS, warning trainers first.

Run it daily (deploy/systemd/circles-peers.timer). Circles near their time get
a warning (a neutral e-mail to trainers who moderate circles, and a line in
the circle's log); circles warned at least PEERS_DELETION_WARNING_DAYS ago
whose time has come are deleted with everything in them. Output names
circles by id only.
"""

from django.core.management.base import BaseCommand

from peers.retention import warn_and_delete_closed_circles


class Command(BaseCommand):
    help = (
        "Warn trainers of closed practice circles due for deletion, and delete "
        "those whose warning has run its course."
    )

    def handle(self, *args, **options):
        outcome = warn_and_delete_closed_circles()
        for circle_id in outcome.warned:
            self.stdout.write(f"warned of circle {circle_id}")
        for circle_id in outcome.deleted:
            self.stdout.write(f"deleted circle {circle_id}")
        self.stdout.write(
            f"Warned of {len(outcome.warned)}, deleted {len(outcome.deleted)}."
        )
