"""Bring a backup back: everything checked first, then the database, then files.

Before anything changes, the restore reads the manifest, checks that the
backup comes from the same kind of database and from code no newer than this,
verifies every file's size and SHA-256, and looks at the site it lands on: a
database that holds accounts, or stored files of the backup's names with other
contents, are replaced only when the operator says --replace. Then the
database is replaced whole, the files are saved through the storages (files
already there with the same contents are left alone, so a restore that
stopped half-way can run again), and the cache is cleared, since it holds
pages and outlines of the site that was there before. Stop the web and worker
processes while it runs.
"""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches

from .database import (
    VENDOR_NAMES,
    accounts_in_database,
    database_vendor,
    load_database,
    migrations_to_apply,
    migrations_unknown_here,
)
from .files import FilePlan, copy_in, file_areas, plan_copy_in
from .manifest import BackupError, Manifest, file_entry, read_manifest
from .signing_key import key_warnings

NOTHING_CHANGED = "Nothing was changed."
# How many names an error message lists before it says "and N more".
NAMES_SHOWN = 5


@dataclass(frozen=True)
class RestoreSummary:
    """What the restore wrote, and what the operator must still do or know."""

    manifest: Manifest
    files_written: int
    files_already_there: int
    migrations_to_apply: int
    warnings: list[str]


def restore_backup(source: Path, *, replace: bool) -> RestoreSummary:
    """Restore the backup in source into this site; refuse before changing anything."""
    source = source.absolute()
    manifest = read_manifest(source)
    _check_vendor(manifest)
    _check_areas(manifest)
    _check_migrations(manifest)
    _check_checksums(source, manifest)
    plans = [plan_copy_in(area, entries) for area, entries in manifest.files.items()]
    if not replace:
        _check_site_is_empty(plans)
    load_database(source / manifest.database.name)
    written = _write_files(source, plans)
    _forget_cached_state()
    return RestoreSummary(
        manifest=manifest,
        files_written=written,
        files_already_there=sum(plan.already_there for plan in plans),
        migrations_to_apply=migrations_to_apply(),
        warnings=key_warnings(manifest.signing_key),
    )


def _check_vendor(manifest: Manifest) -> None:
    here = database_vendor()
    if manifest.vendor != here:
        made_from = VENDOR_NAMES.get(manifest.vendor, manifest.vendor)
        raise BackupError(
            f"This backup holds a {made_from} database, and this site uses "
            f"{VENDOR_NAMES[here]}. Restore it into a site with a {made_from} "
            "database: moving between SQLite and PostgreSQL is not supported. "
            + NOTHING_CHANGED
        )


def _check_areas(manifest: Manifest) -> None:
    unknown = sorted(set(manifest.files) - set(file_areas()))
    if unknown:
        raise BackupError(
            f"The manifest lists files in {_names(unknown)}, which this Circles "
            f"does not store. The manifest is damaged. {NOTHING_CHANGED}"
        )


def _check_migrations(manifest: Manifest) -> None:
    unknown = migrations_unknown_here(manifest.migrations)
    if unknown:
        made_by = manifest.circles_commit or manifest.circles_version or "unknown"
        raise BackupError(
            "This backup comes from a newer Circles: its database has "
            f"{len(unknown)} migrations that this code lacks ({_names(unknown)}). "
            f"Restore it with the Circles that made it (version {made_by}). "
            + NOTHING_CHANGED
        )


def _check_checksums(source: Path, manifest: Manifest) -> None:
    expected = [(manifest.database.name, manifest.database)] + [
        (f"{area}/{entry.name}", entry)
        for area, entries in manifest.files.items()
        for entry in entries
    ]
    damaged = []
    for relative, entry in expected:
        path = source / relative
        if not path.is_file():
            damaged.append(f"{relative} (missing)")
        elif file_entry(path, entry.name) != entry:
            damaged.append(f"{relative} (contents differ from the manifest)")
    if damaged:
        raise BackupError(
            f"The backup is damaged: {_names(damaged)}. Use another backup, or "
            f"the original copy of this one. {NOTHING_CHANGED}"
        )


def _check_site_is_empty(plans: list[FilePlan]) -> None:
    problems = []
    accounts = accounts_in_database()
    if accounts:
        problems.append(f"the database holds a site ({accounts} accounts)")
    different = sum(len(plan.different) for plan in plans)
    if different:
        problems.append(
            f"{different} stored files have names from the backup but other contents"
        )
    if problems:
        raise BackupError(
            f"{NOTHING_CHANGED} Here, {' and '.join(problems)}. A restore replaces "
            "them. Restore into a new, empty database and storage, or, to replace "
            "this site with the backup, run the restore again with --replace."
        )


def _write_files(source: Path, plans: list[FilePlan]) -> int:
    written = 0
    for plan in plans:
        for area, entry in plan.missing:
            copy_in(source, area, entry, overwrite=False)
            written += 1
        for area, entry in plan.different:
            copy_in(source, area, entry, overwrite=True)
            written += 1
    return written


def _forget_cached_state() -> None:
    for cache in caches.all():
        cache.clear()
    ContentType.objects.clear_cache()


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown
