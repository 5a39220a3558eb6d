"""Downloading your data: one ZIP of JSON and CSVs, neutral name, owner only."""

import csv
import io
import json
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from learners import export as export_module
from learners.erasure import erase_learner
from learners.export import TABLES
from learners.models import DataExport
from tests.factories import UserFactory

from .data_history import FIRST_NAME, SECOND_NAME, build_history


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def history(course_index):
    return build_history(course_index)


def zip_of(response) -> zipfile.ZipFile:
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return zipfile.ZipFile(io.BytesIO(body))


def csv_rows(archive, table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(f"{table}.csv").decode())))


def test_a_small_history_downloads_at_once_as_json_and_csvs(client, history):
    UserFactory(username="bright-finch")
    client.force_login(history.learner)
    response = client.post("/learn/data/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate().isoformat()
    disposition = response["Content-Disposition"]
    assert f'filename="circles-data-{today}.zip"' in disposition
    assert "quiet-heron" not in disposition
    assert "no-store" in response["Cache-Control"]

    archive = zip_of(response)
    names = set(archive.namelist())
    assert names == {"data.json", "about.txt"} | {f"{t}.csv" for t in TABLES}
    data = json.loads(archive.read("data.json"))
    assert set(data) == set(TABLES)
    assert data["account"][0]["username"] == "quiet-heron"
    names_printed = {row["printed_name"] for row in data["certificates"]}
    assert names_printed == {FIRST_NAME, SECOND_NAME}
    assert data["quiz_attempts"][0]["answers"][0]["chosen"]
    assert "bright-finch" not in archive.read("data.json").decode()
    header, *rows = csv_rows(archive, "certificates")
    assert header[:2] == ["code", "printed_name"]
    assert {row[1] for row in rows} == {FIRST_NAME, SECOND_NAME}
    # about.txt says what every table and column is.
    about = archive.read("about.txt").decode()
    for table in TABLES:
        assert table in about


def test_every_csv_cell_goes_through_the_formula_guard(client, db):
    learner = UserFactory(username="=HYPERLINK(1)", certificate_name="@sum(A1)")
    client.force_login(learner)
    archive = zip_of(client.post("/learn/data/download/"))
    header, row = csv_rows(archive, "account")
    account = dict(zip(header, row, strict=True))
    assert account["username"] == "'=HYPERLINK(1)"
    assert account["certificate_name"] == "'@sum(A1)"


def test_downloading_needs_a_post_and_signing_in(client, db):
    assert client.post("/learn/data/download/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/learn/data/download/").status_code == 405


def test_a_large_history_is_built_in_the_background_for_its_owner_only(
    client, history, settings, monkeypatch
):
    monkeypatch.setattr(export_module, "DIRECT_DOWNLOAD_MAX_ROWS", 0)
    client.force_login(history.learner)
    response = client.post("/learn/data/download/")
    assert response.status_code == 302
    assert response["Location"] == "/learn/data/"

    export = DataExport.objects.get(learner=history.learner)
    assert export.is_ready  # the in-process task backend ran it at once
    stored = settings.PRIVATE_MEDIA_ROOT / export.file.name
    assert stored.is_file()
    assert "quiet-heron" not in export.file.name

    page = BeautifulSoup(client.get("/learn/data/").content, "html.parser")
    link = page.find("a", href=f"/learn/data/download/{export.pk}/")
    assert link is not None
    download = client.get(link["href"])
    assert download.status_code == 200
    assert "circles-data-" in download["Content-Disposition"]
    assert (
        json.loads(zip_of(download).read("data.json"))["account"][0]["username"]
        == "quiet-heron"
    )

    client.force_login(UserFactory(username="bright-finch"))
    assert client.get(link["href"]).status_code == 404
    client.logout()
    assert client.get(link["href"]).status_code == 302

    # Asking again replaces the old file; erasing removes the new one.
    client.force_login(history.learner)
    client.post("/learn/data/download/")
    assert not stored.exists()
    newer = DataExport.objects.get(learner=history.learner)
    newer_file = settings.PRIVATE_MEDIA_ROOT / newer.file.name
    assert newer_file.is_file()
    erase_learner(learner=history.learner)
    assert not newer_file.exists()
    assert not DataExport.objects.exists()


def test_a_download_erased_while_being_built_leaves_no_file(db, settings):
    learner = UserFactory(username="quiet-heron")
    export = DataExport.objects.create(learner=learner)
    DataExport.objects.filter(pk=export.pk).delete()  # the learner erased meanwhile
    export_module.build_data_export(export=export)
    folder = settings.PRIVATE_MEDIA_ROOT / "data-exports"
    assert not folder.exists() or not any(folder.iterdir())
