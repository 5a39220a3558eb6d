"""Downloading the PDF: who may, how it is served, and what the stored file holds."""

import io
import json

import pytest
from pypdf import PdfReader

from certificates.rendering import credential_bytes
from tests.factories import UserFactory

from .issuing import PRINTED_NAME, certified, make_course


@pytest.fixture
def certificate(course_index):
    return certified(make_course(course_index), name="Nguyễn Thị Mai")


def download(client, certificate):
    return client.get(f"/learn/certificates/{certificate.display_code}/download/")


def pdf_bytes(response):
    return b"".join(response.streaming_content)


def test_the_holder_downloads_the_stored_file_with_a_neutral_name(client, certificate):
    client.force_login(certificate.learner)
    response = download(client, certificate)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificate-{certificate.display_code}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert (
        pdf_bytes(response) == certificate.pdf.storage.open(certificate.pdf.name).read()
    )


def test_a_trainer_may_download_it(client, certificate, trainer, trainers_group):
    client.force_login(trainer)
    assert download(client, certificate).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "other learner", "staff without rights"])
def test_everyone_else_gets_404(client, certificate, who):
    if who == "other learner":
        client.force_login(UserFactory(username="someone-else"))
    elif who == "staff without rights":
        client.force_login(UserFactory(username="helper", is_staff=True))
    assert download(client, certificate).status_code == 404


def test_unknown_and_malformed_codes_are_404(client, certificate):
    client.force_login(certificate.learner)
    assert client.get("/learn/certificates/ABCD-EFGH-JKMN/download/").status_code == 404
    assert client.get("/learn/certificates/nonsense/download/").status_code == 404


def test_a_missing_file_is_rendered_again(client, certificate):
    certificate.pdf.storage.delete(certificate.pdf.name)
    client.force_login(certificate.learner)
    response = download(client, certificate)
    assert response.status_code == 200
    assert pdf_bytes(response).startswith(b"%PDF-")
    certificate.refresh_from_db()
    assert certificate.pdf.storage.exists(certificate.pdf.name)


def test_the_stored_pdf_holds_the_name_code_credential_and_pdfa_metadata(
    client, certificate
):
    """End to end, once: the file a holder gets, read back with pypdf."""
    client.force_login(certificate.learner)
    reader = PdfReader(io.BytesIO(pdf_bytes(download(client, certificate))))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Nguyễn Thị Mai" in text
    assert certificate.display_code in text
    assert f"testserver/verify/{certificate.display_code}/" in text.replace("\n", "")

    [embedded] = reader.attachments["credential.json"]
    assert embedded == credential_bytes(certificate)
    served = client.get(
        f"/api/v1/certificates/{certificate.display_code}/credential"
    ).content
    assert json.loads(embedded) == json.loads(served)

    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid" in xmp
    assert 'pdfaid:part="3"' in xmp or "<pdfaid:part>3</pdfaid:part>" in xmp
    assert 'pdfaid:conformance="B"' in xmp or (
        "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    )
    assert reader.metadata.title == f"Certificate {certificate.display_code}"
    assert not reader.metadata.author
    assert PRINTED_NAME not in xmp and "Nguyễn" not in xmp


def test_the_pdf_is_kept_outside_public_media_with_no_url(certificate, settings):
    from pathlib import Path

    stored = Path(certificate.pdf.path)
    assert Path(settings.PRIVATE_MEDIA_ROOT) in stored.parents
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    with pytest.raises(ValueError):
        certificate.pdf.url  # noqa: B018 - no URL exists to fetch it by
