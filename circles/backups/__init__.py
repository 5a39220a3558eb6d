"""Backups of a Circles site: `manage.py backup DEST` and `manage.py restore SRC`.

A backup is one folder, readable by its owner only:

    manifest.json       format version, Circles version and commit, time,
                        database vendor and applied migrations, the signing
                        key's fingerprint (never the key), and every file
                        below with its size and SHA-256
    database.sqlite3    an online, consistent copy (SQLite), or
    database.pgdump     pg_dump's custom format (PostgreSQL)
    media/...           uploaded images, documents and renditions
    private/...         certificate PDFs and data downloads

It holds learners' personal data: store and ship it encrypted.
"""

from .backup import BackupSummary, make_backup
from .manifest import BackupError
from .restore import RestoreSummary, restore_backup

__all__ = [
    "BackupError",
    "BackupSummary",
    "RestoreSummary",
    "make_backup",
    "restore_backup",
]
