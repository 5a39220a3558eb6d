"""A consistent copy of the site's database, and putting one back.

SQLite is copied with SQLite's online backup API, which gives a consistent
snapshot while the site keeps running (WAL mode lets it read and write
meanwhile). PostgreSQL is copied by `pg_dump --format=custom`, which reads
inside one snapshot, and put back by `pg_restore` in a single transaction.
The PostgreSQL tools are taken from PG_BIN when that setting names a folder,
otherwise from PATH; they get the password through PGPASSWORD, never on
their command line. A backup is restored into the same kind of database
that made it: moving between SQLite and PostgreSQL is not supported.
"""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .manifest import BackupError

#: The dump's file name in a backup folder, by database vendor.
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# PostgreSQL's message lines that can quote row values; the rest say what failed.
_LINES_THAT_QUOTE_DATA = ("DETAIL:", "CONTEXT:", "LINE ", "Command was:")


def database_vendor() -> str:
    """Return the site database's vendor ("sqlite" or "postgresql")."""
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(
            "Backups cover SQLite and PostgreSQL databases; this site uses "
            f"{connection.vendor}."
        )
    return connection.vendor


def dump_database(target: Path) -> None:
    """Write a consistent snapshot of the site's database to target."""
    if database_vendor() == "sqlite":
        _dump_sqlite(target)
    else:
        _run("pg_dump", ["--format=custom", "--no-password", f"--file={target}"])


def load_database(source: Path) -> None:
    """Replace everything in the site's database with the snapshot in source."""
    if database_vendor() == "sqlite":
        _load_sqlite(source)
        return
    _drop_tables()
    _run(
        "pg_restore",
        [
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
    )
    # A fresh connection, so nothing prepared against the dropped tables lingers.
    connection.close()


def accounts_in_database() -> int | None:
    """Return how many accounts the database holds, or None when it has no tables."""
    tables = connection.introspection.table_names()
    if not tables:
        return None
    user_model = get_user_model()
    if user_model._meta.db_table not in tables:
        return 0
    return user_model.objects.count()


def applied_migrations() -> dict[str, list[str]]:
    """Return the names of the migrations applied to the database, per app."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def migrations_unknown_here(applied: dict[str, list[str]]) -> list[str]:
    """Return the applied migrations ("app.name") that this code does not have."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return [
        f"{app}.{name}"
        for app, names in sorted(applied.items())
        for name in names
        if (app, name) not in known
    ]


def migrations_to_apply() -> int:
    """Return how many of this code's migrations the database still lacks."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _dump_sqlite(target: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        # All pages in one step: one read transaction, so one consistent state,
        # while other processes go on reading and writing the WAL.
        connection.connection.backup(copy)
        # One self-contained file: no -wal or -shm beside it.
        copy.execute("PRAGMA journal_mode=DELETE")


def _load_sqlite(source: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as copy:
        copy.backup(connection.connection)


def _drop_tables() -> None:
    """Drop every table, so tables newer than the backup do not survive it."""
    tables = connection.introspection.table_names()
    if not tables:
        return
    quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {quoted} CASCADE")


def _run(tool: str, arguments: Sequence[str]) -> None:
    completed = subprocess.run(  # noqa: S603 - a fixed tool, arguments we built
        [_postgresql_tool(tool), *arguments],
        env=_libpq_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(
            f"{tool} failed (exit status {completed.returncode}):\n"
            + _without_data(completed.stderr)
        )


def _postgresql_tool(name: str) -> str:
    folder = settings.PG_BIN
    if folder:
        path = Path(folder) / name
        if not os.access(path, os.X_OK):
            raise BackupError(
                f"PG_BIN is {folder}, but there is no {name} in it. Set PG_BIN to "
                "the folder of the PostgreSQL client programs, such as "
                "/usr/lib/postgresql/15/bin."
            )
        return str(path)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client programs "
            "(Debian: apt-get install postgresql-client), or set PG_BIN to the "
            "folder that holds them."
        )
    return found


def _libpq_environment() -> dict[str, str]:
    """Return the environment that points libpq at the site's database."""
    details = connection.settings_dict
    _arguments, libpq = connection.client.settings_to_cmd_args_env(details, [])
    environment = {**os.environ, **(libpq or {})}
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("NAME", "PGDATABASE"),
    ]:
        if details.get(key):
            environment[variable] = str(details[key])
    return environment


def _without_data(messages: str) -> str:
    lines = messages.strip().splitlines()
    return "\n".join(
        line for line in lines if not line.lstrip().startswith(_LINES_THAT_QUOTE_DATA)
    )
