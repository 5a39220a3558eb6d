"""manage.py backup DEST: the database, media and private files, in one folder.

See circles/backups for what the folder holds. Run it from cron or a systemd
timer; it prints counts and sizes only, never a learner's data.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from circles.backups import BackupError, make_backup
from circles.backups.database import VENDOR_NAMES


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database, media and private files "
        "(certificate PDFs) to DEST, a new or empty folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            metavar="DEST",
            type=Path,
            help="A new or empty folder; it must not exist yet or be empty.",
        )

    def handle(self, *args, destination: Path, verbosity: int, **options):
        try:
            summary = make_backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if verbosity < 1:
            return
        manifest = summary.manifest
        self.stdout.write(
            f"Database: {VENDOR_NAMES[manifest.vendor]}, "
            f"{filesizeformat(manifest.database.size)}."
        )
        for area, entries in manifest.files.items():
            size = filesizeformat(sum(entry.size for entry in entries))
            self.stdout.write(f"Files, {area}: {len(entries)} ({size}).")
        if summary.vanished:
            self.stdout.write(
                f"{summary.vanished} files were deleted while the backup ran and "
                "are not in it."
            )
        if manifest.signing_key:
            self.stdout.write(
                f"Signing key fingerprint (SHA-256): {manifest.signing_key['sha256']}."
                " The key itself is not in the backup: keep it safe by itself."
            )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {summary.folder}"))
