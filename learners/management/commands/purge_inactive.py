"""Erase accounts with no sign-in for N days, warning by e-mail first.

Dry run by default: it lists what it would do, by user id and last sign-in
date only. With --yes it warns those who gave an e-mail address (a neutral
"Your Circles account" message) and erases, through the same service as a
learner's own erasure, those without one and those warned at least
--grace-days ago who have not signed in since. Staff and superusers are
never purged. Run it daily from cron or a systemd timer.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localdate

from learners.erasure import (
    erase_learner,
    inactive_accounts,
    last_seen,
    retention_plan,
    warn_of_erasure,
)


class Command(BaseCommand):
    help = (
        "Erase learner accounts with no sign-in for --days days, warning those "
        "with an e-mail address first. Dry run unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument(
            "--grace-days",
            type=int,
            default=30,
            help="Days between the warning e-mail and erasure (default 30).",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Act; without it, only list."
        )

    def handle(self, *args, days, grace_days, yes, **options):
        if days < 1 or grace_days < 1:
            raise CommandError("--days and --grace-days must be at least 1.")
        plan = retention_plan(days=days, grace_days=grace_days)
        verb = "" if yes else "would "
        warned = erased = 0
        for user in plan.warn:
            self._line(f"{verb}warn", user)
            if yes and warn_of_erasure(user=user, grace_days=grace_days):
                warned += 1
        for user in plan.erase:
            self._line(f"{verb}erase", user)
            # Re-read: someone may have signed in since the plan was made.
            if yes and inactive_accounts(days=days).filter(pk=user.pk).exists():
                erase_learner(learner=user)
                erased += 1
        if yes:
            self.stdout.write(f"Warned {warned}, erased {erased}.")
        else:
            self.stdout.write(
                f"Dry run: {len(plan.warn)} to warn, {len(plan.erase)} to erase. "
                "Run again with --yes to act."
            )

    def _line(self, action: str, user) -> None:
        self.stdout.write(
            f"{action} user {user.pk} (last sign-in {localdate(last_seen(user))})"
        )
