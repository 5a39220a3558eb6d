"""Copy the site's stored files out of their storages and back in.

Files are read and written only through Django's Storage API (listdir, open,
save, delete), so the same code serves a folder on disk and an S3-compatible
bucket. There are two areas: `media` (uploaded images and documents, and
their renditions) and `private` (certificate PDFs and data downloads); each
is a folder of the same name in a backup.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage, default_storage

from certificates.models import Certificate

from .manifest import BackupError, FileEntry, checked_name


def file_areas() -> dict[str, Storage]:
    """Return the site's storages by their folder name in a backup."""
    return {
        "media": default_storage,
        "private": Certificate._meta.get_field("pdf").storage,
    }


@dataclass(frozen=True)
class CopiedOut:
    """The files copied from one storage, and how many vanished meanwhile."""

    entries: list[FileEntry]
    vanished: int


@dataclass(frozen=True)
class FilePlan:
    """What a restore will write: files missing, and files stored differently."""

    missing: list[tuple[str, FileEntry]]
    different: list[tuple[str, FileEntry]]
    already_there: int


def copy_out(storage: Storage, folder: Path) -> CopiedOut:
    """Copy every file in storage into folder, recording size and checksum."""
    entries, vanished = [], 0
    for name in stored_names(storage):
        try:
            entries.append(_copy_one_out(storage, checked_name(name), folder))
        except FileNotFoundError:
            # Deleted since it was listed (a health probe, an erasure): left
            # out, and counted so that the summary says so.
            vanished += 1
        except ValueError as error:
            raise BackupError(f"A stored file cannot be copied: {error}.") from error
    return CopiedOut(entries=entries, vanished=vanished)


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Return the name of every file in storage, sorted; a missing root is empty."""
    try:
        subfolders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [_join(folder, name) for name in files]
    for subfolder in subfolders:
        names.extend(stored_names(storage, _join(folder, subfolder)))
    return sorted(names)


def plan_copy_in(area: str, entries: list[FileEntry]) -> FilePlan:
    """Compare the backup's files with what the area's storage holds already."""
    storage = file_areas()[area]
    missing, different, already_there = [], [], 0
    for entry in entries:
        if not storage.exists(entry.name):
            missing.append((area, entry))
        elif _stored_checksum(storage, entry.name) == entry.sha256:
            already_there += 1
        else:
            different.append((area, entry))
    return FilePlan(missing=missing, different=different, already_there=already_there)


def copy_in(source: Path, area: str, entry: FileEntry, *, overwrite: bool) -> None:
    """Save one file from the backup into its storage under its own name."""
    storage = file_areas()[area]
    if overwrite:
        storage.delete(entry.name)
    with (source / area / entry.name).open("rb") as file:
        saved = storage.save(entry.name, File(file))
    if saved != entry.name:
        storage.delete(saved)
        raise BackupError(
            f"{area}/{entry.name} was stored as {saved}: a file of that name "
            "appeared during the restore. Run the restore again with --replace."
        )


def _copy_one_out(storage: Storage, name: str, folder: Path) -> FileEntry:
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as stored, target.open("wb") as copy:
        for chunk in stored.chunks():
            digest.update(chunk)
            copy.write(chunk)
            size += len(chunk)
    return FileEntry(name=name, size=size, sha256=digest.hexdigest())


def _stored_checksum(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        for chunk in stored.chunks():
            digest.update(chunk)
    return digest.hexdigest()


def _join(folder: str, name: str) -> str:
    return str(PurePosixPath(folder, name)) if folder else name
