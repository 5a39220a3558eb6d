"""Write a backup of the site: its database, its stored files, and a manifest.

The backup is a folder, not an archive: the database dump is compressed
already (pg_dump's custom format) or a plain SQLite file, images and PDFs do
not compress, and a folder can be checked, copied and deduplicated by
ordinary tools (rsync, restic, borg) file by file. Pack it yourself to ship it.

The database is copied first, then the files: every file the snapshot names
was written before the snapshot, so it is in the backup unless it was deleted
in between. The folder is built beside DEST under a temporary name, readable
by its owner only (it holds personal data), and renamed to DEST when it is
complete, so an interrupted backup never looks like a finished one.
"""

import shutil
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .database import DUMP_NAMES, applied_migrations, database_vendor, dump_database
from .files import copy_out, file_areas
from .manifest import BackupError, Manifest, file_entry, write_manifest
from .signing_key import signing_key_fingerprint

NO_KEY_WARNING = (
    "No signing key is configured, so the backup records no key fingerprint. "
    "Certificates need the key that signed them: keep it safe by itself."
)


@dataclass(frozen=True)
class BackupSummary:
    """What was written, and anything the operator should know about it."""

    folder: Path
    manifest: Manifest
    vanished: int
    warnings: list[str]


def make_backup(destination: Path) -> BackupSummary:
    """Write a complete backup folder at destination, or leave nothing behind."""
    destination = destination.absolute()
    _check_destination(destination)
    work = Path(
        tempfile.mkdtemp(
            prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent
        )
    )
    try:
        manifest, vanished = _write_backup(work)
        _move_into_place(work, destination)
    except OSError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise BackupError(
            f"The backup could not be written ({error}). Nothing was left behind."
        ) from error
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupSummary(
        folder=destination,
        manifest=manifest,
        vanished=vanished,
        warnings=[] if manifest.signing_key else [NO_KEY_WARNING],
    )


def _check_destination(destination: Path) -> None:
    if destination.exists():
        if not destination.is_dir():
            raise BackupError(f"{destination} exists and is not a folder.")
        if any(destination.iterdir()):
            raise BackupError(
                f"{destination} is not empty. Give a new or empty folder: a "
                "backup never writes over another."
            )
    elif not destination.parent.is_dir():
        raise BackupError(
            f"{destination.parent} does not exist. Create it first, or give a "
            "folder in one that exists."
        )


def _write_backup(work: Path) -> tuple[Manifest, int]:
    vendor = database_vendor()
    migrations = applied_migrations()
    dump = work / DUMP_NAMES[vendor]
    dump_database(dump)
    database = file_entry(dump, dump.name)
    files, vanished = {}, 0
    for area, storage in file_areas().items():
        copied = copy_out(storage, work / area)
        files[area] = copied.entries
        vanished += copied.vanished
    manifest = Manifest(
        created_at=timezone.now().isoformat(),
        circles_version=_circles_version(),
        circles_commit=_circles_commit(),
        vendor=vendor,
        database=database,
        migrations=migrations,
        signing_key=signing_key_fingerprint(),
        files=files,
    )
    write_manifest(work, manifest)
    return manifest, vanished


def _move_into_place(work: Path, destination: Path) -> None:
    try:
        # Replaces an empty folder at destination; refuses one that filled up.
        work.rename(destination)
    except OSError as error:
        raise BackupError(
            f"The backup could not be moved to {destination} ({error.strerror})."
        ) from error


def _circles_version() -> str | None:
    try:
        with (settings.BASE_DIR / "pyproject.toml").open("rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def _circles_commit() -> str | None:
    git = shutil.which("git")
    if not git:
        return None
    try:
        completed = subprocess.run(  # noqa: S603 - fixed arguments
            [git, "rev-parse", "--verify", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout.strip() or None
