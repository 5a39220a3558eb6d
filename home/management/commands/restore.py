"""manage.py restore SRC: bring a backup folder back into an empty site.

Refuses a database that holds accounts unless --replace is given, and checks
every file before it changes anything. Stop the web and worker processes
first. It prints counts only, never a learner's data.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from circles.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder written by manage.py backup into an empty "
        "database and storage (or, with --replace, over the current site)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", metavar="SRC", type=Path, help="The backup folder."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "Replace the site that is there: its whole database, and stored "
                "files that have the backup's names."
            ),
        )

    def handle(self, *args, source: Path, replace: bool, verbosity: int, **options):
        try:
            summary = restore_backup(source, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if verbosity >= 1:
            manifest = summary.manifest
            self.stdout.write(
                f"Database restored from the backup of {manifest.created_at}. "
                f"Files written: {summary.files_written}; already there: "
                f"{summary.files_already_there}."
            )
        if summary.migrations_to_apply:
            self.stderr.write(
                self.style.WARNING(
                    f"The backup lacks {summary.migrations_to_apply} of this "
                    "code's migrations: run manage.py migrate before starting "
                    "the site."
                )
            )
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS("Restore finished."))
