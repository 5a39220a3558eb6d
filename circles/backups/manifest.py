"""The manifest of a backup: what the folder holds and the checksums to trust it.

`manifest.json` lists the database dump and every stored file with its size
and SHA-256, the database vendor, the migrations applied when the snapshot
was taken, and the public signing key's fingerprint. It is read before a
restore changes anything, and a manifest that does not parse, or lacks a
field, stops the restore with a message that says so.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT = "circles-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says what to do."""


@dataclass(frozen=True)
class FileEntry:
    """One file in the backup: its name, size in bytes and SHA-256 (hex)."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """Everything a restore needs to know before it touches the site."""

    created_at: str
    circles_version: str | None
    circles_commit: str | None
    vendor: str
    database: FileEntry
    migrations: dict[str, list[str]]
    signing_key: dict[str, str] | None
    files: dict[str, list[FileEntry]]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "circles": {"version": self.circles_version, "commit": self.circles_commit},
            "database": {
                "vendor": self.vendor,
                **asdict(self.database),
                "migrations": self.migrations,
            },
            "signing_key": self.signing_key,
            "files": {
                area: [asdict(entry) for entry in entries]
                for area, entries in self.files.items()
            },
        }


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write manifest.json into folder."""
    text = json.dumps(manifest.to_json(), indent=2, sort_keys=True)
    (folder / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> Manifest:
    """Return the manifest of the backup in folder; raise BackupError if unusable."""
    if not folder.exists():
        raise BackupError(f"{folder} does not exist.")
    if not folder.is_dir():
        raise BackupError(
            f"{folder} is not a folder. Give the backup folder that "
            "manage.py backup wrote (unpack it first if you packed it)."
        )
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise BackupError(
            f"{folder} has no {MANIFEST_NAME}: it is not a Circles backup, or the "
            "backup did not finish."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(
            f"{path} is damaged: it is not valid JSON ({error})."
        ) from error
    try:
        return _parse(data)
    except (TypeError, ValueError) as error:
        raise BackupError(
            f"{path} is damaged: {error}. Use another backup, or the original "
            "copy of this one."
        ) from error


def _parse(data: Any) -> Manifest:
    if _get(data, "format", str) != FORMAT:
        raise ValueError(f"it does not describe a {FORMAT}")
    version = _get(data, "format_version", int)
    if version != FORMAT_VERSION:
        raise ValueError(
            f"it is format {version}, and this Circles reads format {FORMAT_VERSION}"
        )
    database = _get(data, "database", dict)
    circles = _get(data, "circles", dict)
    migrations = _get(database, "migrations", dict)
    files = _get(data, "files", dict)
    signing_key = data.get("signing_key")
    if signing_key is not None and not isinstance(signing_key, dict):
        raise TypeError("signing_key is not an object")
    return Manifest(
        created_at=_get(data, "created_at", str),
        circles_version=circles.get("version"),
        circles_commit=circles.get("commit"),
        vendor=_get(database, "vendor", str),
        database=_entry(database),
        migrations={app: _names(names) for app, names in migrations.items()},
        signing_key=signing_key,
        files={
            area: [_entry(item) for item in _get(files, area, list)] for area in files
        },
    )


def _get(data: Any, key: str, kind: type) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise ValueError(f"{key} is missing")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"{key} is not a {kind.__name__}")
    return value


def _names(names: Any) -> list[str]:
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise TypeError("a migration list is not a list of names")
    return names


def _entry(item: Any) -> FileEntry:
    return FileEntry(
        name=checked_name(_get(item, "name", str)),
        size=_get(item, "size", int),
        sha256=_get(item, "sha256", str),
    )


def checked_name(name: str) -> str:
    """Return name if it stays inside its folder; raise ValueError otherwise."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts:
        raise ValueError(f"the file name {name!r} leaves its folder")
    return name


def file_entry(path: Path, name: str) -> FileEntry:
    """Return the entry for the file at path, recorded under name."""
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256")
    return FileEntry(name=name, size=path.stat().st_size, sha256=digest.hexdigest())
