"""manage.py backup and restore: a seeded site goes out and comes back whole.

The round trip runs on whichever database the suite uses (SQLite in `make
test`, PostgreSQL under scripts/stack.sh) and with files on disk and in S3
buckets (moto: the stack's server, or one this module starts).
"""

import hashlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import boto3
import pytest
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from certificates.keys import site_private_key
from certificates.models import Certificate
from certificates.signing import generate_private_key, private_key_to_pem
from certificates.storage import PrivateS3Storage
from learners.models import DataExport
from tests.certificates.issuing import PRINTED_NAME, certified, make_course
from tests.factories import UserFactory

# Real commits: the backup reads the database from outside the test's transaction.
transactional = pytest.mark.django_db(transaction=True)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own tools"
)


@pytest.fixture(autouse=True)
def postgresql_tools(settings):
    """Under scripts/stack.sh, the pg_dump of the PostgreSQL it started."""
    if os.environ.get("STACK_PG_BIN"):
        settings.PG_BIN = os.environ["STACK_PG_BIN"]


@dataclass
class DiskAreas:
    """Media and private files in two folders, read without the storages."""

    roots: dict[str, Path]

    def files(self) -> dict[str, bytes]:
        return {
            f"{area}/{path.relative_to(root).as_posix()}": path.read_bytes()
            for area, root in self.roots.items()
            if root.exists()
            for path in root.rglob("*")
            if path.is_file()
        }

    def wipe(self) -> None:
        for root in self.roots.values():
            shutil.rmtree(root, ignore_errors=True)


@dataclass
class BucketAreas:
    """Media and private files in two buckets, read with boto3."""

    client: object
    buckets: dict[str, str]

    def files(self) -> dict[str, bytes]:
        found = {}
        for area, bucket in self.buckets.items():
            for key in self._keys(bucket):
                body = self.client.get_object(Bucket=bucket, Key=key)["Body"]
                found[f"{area}/{key}"] = body.read()
        return found

    def wipe(self) -> None:
        for bucket in self.buckets.values():
            for key in self._keys(bucket):
                self.client.delete_object(Bucket=bucket, Key=key)

    def _keys(self, bucket: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@pytest.fixture
def buckets(s3_endpoint, settings, monkeypatch) -> BucketAreas:
    """Media in one bucket, private files in another, as S3_* settings make them."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    names = {area: f"{area}-{secrets.token_hex(4)}" for area in ("media", "private")}
    for name in names.values():
        client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": names["media"], "endpoint_url": s3_endpoint},
        },
    }
    settings.S3_PRIVATE_BUCKET = names["private"]
    private = PrivateS3Storage(endpoint_url=s3_endpoint)
    for model, field in [(Certificate, "pdf"), (DataExport, "file")]:
        monkeypatch.setattr(model._meta.get_field(field), "storage", private)
    return BucketAreas(client=client, buckets=names)


@pytest.fixture(params=["disk", "object storage"])
def file_areas(request, settings):
    if request.param == "disk":
        roots = {"media": settings.MEDIA_ROOT, "private": settings.PRIVATE_MEDIA_ROOT}
        return DiskAreas(roots=roots)
    return request.getfixturevalue("buckets")


@pytest.fixture
def drop_every_table():
    """Empty the database to its last table; put the schema back if a test fails."""

    def drop() -> None:
        quote = connection.ops.quote_name
        tables = [quote(table) for table in connection.introspection.table_names()]
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = OFF")
                for table in tables:
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute("PRAGMA foreign_keys = ON")
            else:
                cursor.execute(f"DROP TABLE {', '.join(tables)} CASCADE")

    yield drop
    if not connection.introspection.table_names():
        call_command("migrate", verbosity=0)


def every_table() -> dict[str, list[tuple]]:
    """Return every table's rows, in an order that does not depend on storage."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            rows[table] = sorted(
                (tuple(_plain(value) for value in row) for row in cursor.fetchall()),
                key=repr,
            )
    return rows


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def seed_site(course_index) -> Certificate:
    """A course, a certificate with its PDF, an image, a document, a data download."""
    certificate = certified(make_course(course_index))
    image = get_image_model().objects.create(
        title="A calm room", file=get_test_image_file()
    )
    image.get_rendition("fill-40x30")
    get_document_model().objects.create(
        title="Reading list", file=ContentFile(b"Books to read.", name="reading.txt")
    )
    download = DataExport.objects.create(
        learner=certificate.learner, finished_at=timezone.now()
    )
    download.file.save("data.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    return certificate


def run(command: str, *args: str) -> str:
    """Run a command; return what it wrote to stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@transactional
def test_a_seeded_site_comes_back_whole(
    client, course_index, file_areas, drop_every_table, tmp_path, monkeypatch
):
    certificate = seed_site(course_index)
    tables, files = every_table(), file_areas.files()
    folders = {name.split("/")[1] for name in files}
    assert {"certificates", "data-exports", "original_images", "images"} <= folders
    assert f"private/{certificate.pdf.name}" in files

    monkeypatch.chdir(tmp_path)
    said = run("backup", "backup")
    drop_every_table()
    file_areas.wipe()
    assert every_table() == {}
    assert file_areas.files() == {}
    said += run("restore", "backup")

    assert every_table() == tables
    assert file_areas.files() == files
    verified = client.get(f"/verify/{certificate.display_code}/")
    assert "valid" in verified.content.decode().lower()
    client.force_login(certificate.learner)
    download = f"/learn/certificates/{certificate.display_code}/download/"
    body = b"".join(client.get(download).streaming_content)
    assert body == files[f"private/{certificate.pdf.name}"]
    assert UserFactory(username="new-arrival").pk > certificate.learner.pk
    for personal in [certificate.learner.username, PRINTED_NAME, certificate.code]:
        assert personal not in said
    assert "Backup written to" in said
    assert "Restore finished." in said


@pytest.fixture
def backup_folder(tmp_path) -> Path:
    """A backup of a site with one account and one uploaded document."""
    UserFactory(username="calm-otter")
    default_storage.save("documents/notes.txt", ContentFile(b"Notes for the group."))
    folder = tmp_path / "backup"
    run("backup", str(folder))
    return folder


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def rewrite_manifest(folder: Path, change) -> None:
    manifest = manifest_of(folder)
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest))


@transactional
def test_the_backup_is_private_and_names_the_key_without_holding_it(backup_folder):
    assert backup_folder.stat().st_mode & 0o777 == 0o700
    key = site_private_key()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    recorded = manifest_of(backup_folder)["signing_key"]
    assert recorded["sha256"] == hashlib.sha256(public).hexdigest()
    assert recorded["multibase"].startswith("z6Mk")
    secret_forms = [
        key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        private_key_to_pem(key),
        b"PRIVATE KEY",
    ]
    for path in backup_folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(secret in content for secret in secret_forms), path


@transactional
def test_the_manifest_lists_every_file_with_size_and_checksum(backup_folder):
    manifest = manifest_of(backup_folder)
    assert manifest["database"]["vendor"] == connection.vendor
    assert "learners" in manifest["database"]["migrations"]
    [notes] = manifest["files"]["media"]
    content = (backup_folder / "media" / "documents" / "notes.txt").read_bytes()
    assert notes == {
        "name": "documents/notes.txt",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert manifest["files"]["private"] == []


def test_a_backup_never_writes_into_a_folder_that_holds_something(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notes.txt").write_text("kept")
    with pytest.raises(CommandError, match="is not empty"):
        run("backup", str(tmp_path / "old"))
    with pytest.raises(CommandError, match="does not exist"):
        run("backup", str(tmp_path / "missing" / "backup"))
    assert (tmp_path / "old" / "notes.txt").read_text() == "kept"


@transactional
def test_an_interrupted_backup_leaves_nothing_behind(tmp_path, monkeypatch):
    default_storage.save("documents/notes.txt", ContentFile(b"Notes for the group."))

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("circles.backups.files._copy_one_out", disk_full)
    (tmp_path / "backups").mkdir()
    with pytest.raises(CommandError, match="No space left on device"):
        run("backup", str(tmp_path / "backups" / "today"))
    assert list((tmp_path / "backups").iterdir()) == []


def test_restore_says_when_the_backup_is_not_there(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("restore", str(tmp_path / "nowhere"))
    (tmp_path / "backup.tar.gz").write_bytes(b"packed")
    with pytest.raises(CommandError, match="is not a folder"):
        run("restore", str(tmp_path / "backup.tar.gz"))
    with pytest.raises(CommandError, match="has no manifest.json"):
        run("restore", str(tmp_path))


@transactional
def test_a_damaged_manifest_is_refused(backup_folder):
    manifest = backup_folder / "manifest.json"
    text = manifest.read_text()
    manifest.write_text(text[: len(text) // 2])
    with pytest.raises(CommandError, match="is damaged: it is not valid JSON"):
        run("restore", str(backup_folder), "--replace")

    manifest.write_text(text)
    rewrite_manifest(backup_folder, lambda m: m["database"].pop("sha256"))
    with pytest.raises(CommandError, match="is damaged: sha256 is missing"):
        run("restore", str(backup_folder), "--replace")

    manifest.write_text(text)
    rewrite_manifest(
        backup_folder,
        lambda m: m["files"]["media"][0].update(name="../../outside.txt"),
    )
    with pytest.raises(CommandError, match="leaves its folder"):
        run("restore", str(backup_folder), "--replace")


@transactional
def test_a_changed_file_stops_the_restore_before_anything_changes(backup_folder):
    (backup_folder / "media" / "documents" / "notes.txt").write_bytes(b"Altered.")
    UserFactory(username="late-lark")

    with pytest.raises(CommandError) as refused:
        run("restore", str(backup_folder), "--replace")

    message = str(refused.value)
    assert "media/documents/notes.txt (contents differ" in message
    assert "Nothing was changed" in message
    assert get_user_model().objects.filter(username="late-lark").exists()
    with default_storage.open("documents/notes.txt") as stored:
        assert stored.read() == b"Notes for the group."


@transactional
def test_a_backup_of_the_other_database_is_refused(backup_folder):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    rewrite_manifest(backup_folder, lambda m: m["database"].update(vendor=other))

    with pytest.raises(CommandError, match="not supported") as refused:
        run("restore", str(backup_folder), "--replace")
    assert "SQLite" in str(refused.value)
    assert "PostgreSQL" in str(refused.value)


@transactional
def test_a_backup_from_newer_code_is_refused(backup_folder):
    rewrite_manifest(
        backup_folder,
        lambda m: m["database"]["migrations"]["learners"].append("9999_from_later"),
    )
    with pytest.raises(CommandError, match="newer Circles") as refused:
        run("restore", str(backup_folder), "--replace")
    assert "learners.9999_from_later" in str(refused.value)


@transactional
def test_a_site_with_accounts_is_replaced_only_when_asked(backup_folder):
    users = get_user_model().objects
    UserFactory(username="late-lark")
    default_storage.delete("documents/notes.txt")
    default_storage.save("documents/notes.txt", ContentFile(b"Newer notes."))

    with pytest.raises(CommandError, match="--replace") as refused:
        run("restore", str(backup_folder))
    assert "the database holds a site (2 accounts)" in str(refused.value)
    assert "1 stored files have names from the backup" in str(refused.value)
    assert users.filter(username="late-lark").exists()

    run("restore", str(backup_folder), "--replace")

    assert list(users.values_list("username", flat=True)) == ["calm-otter"]
    with default_storage.open("documents/notes.txt") as stored:
        assert stored.read() == b"Notes for the group."


@transactional
def test_restoring_under_another_signing_key_says_so(backup_folder, settings):
    recorded = manifest_of(backup_folder)["signing_key"]["sha256"]
    settings.SIGNING_KEY_PEM = private_key_to_pem(generate_private_key()).decode()

    said = run("restore", str(backup_folder), "--replace")

    assert "The signing key configured here is not the one" in said
    assert recorded in said


@on_postgresql
@transactional
def test_a_missing_pg_dump_is_named_with_what_to_do(tmp_path, settings, monkeypatch):
    settings.PG_BIN = str(tmp_path)
    with pytest.raises(CommandError, match="there is no pg_dump in it"):
        run("backup", str(tmp_path / "one"))

    settings.PG_BIN = ""
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found on PATH"):
        run("backup", str(tmp_path / "two"))
    assert not (tmp_path / "one").exists()
    assert not (tmp_path / "two").exists()
