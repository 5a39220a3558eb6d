"""Trainers act on certificates from the admin list: row actions and bulk actions."""

import io
import re
import zipfile
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.utils import formats, timezone

from certificates.models import Certificate
from certificates.services import reissue_certificate, revoke_certificate

from .issuing import PRINTED_NAME, certified, make_course

LIST = "/admin/snippets/certificates/certificate/"
BULK = "/admin/bulk/certificates/certificate/"


@pytest.fixture
def course(course_index):
    return make_course(course_index)


@pytest.fixture
def certificate(course):
    return certified(course)


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


class _Text(HTMLParser):
    """The text a person reads on a page: no tags, attributes, scripts or SVG."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "svg"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "svg"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(response) -> str:
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def row_of(html: str, certificate) -> str:
    """The listing row that holds this certificate's checkbox."""
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    return next(r for r in rows if f'data-object-id="{certificate.pk}"' in r)


def bulk(action: str, *certificates, **params) -> str:
    ids = "&".join(f"id={c.pk}" for c in certificates)
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    return f"{BULK}{action}/?{ids}&next={LIST}{extra}"


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# --- The list ----------------------------------------------------------------


def test_each_row_links_to_its_certificate_and_offers_its_actions(
    trainer_client, course, certificate
):
    revoked = certified(course, username="second")
    revoke_certificate(certificate=revoked, by=None, note="Test")
    html = trainer_client.get(LIST).content.decode()

    row = row_of(html, certificate)
    inspect = f"{LIST}inspect/{certificate.pk}/"
    assert f'<a href="{inspect}">' in row
    assert f">{certificate.display_code}</span>" in row
    assert f"More options for &#x27;{certificate.display_code}&#x27;" in row
    assert f"/learn/certificates/{certificate.display_code}/download/" in row
    assert f"/admin/certificates/{certificate.pk}/revoke/" in row
    assert f"/admin/certificates/{certificate.pk}/reissue/" in row
    assert f"/admin/certificates/{certificate.pk}/make-pdf-again/" in row

    # A revoked certificate cannot be revoked again; it can still be reissued.
    row = row_of(html, revoked)
    assert f'<a href="{LIST}inspect/{revoked.pk}/">' in row
    assert f"/admin/certificates/{revoked.pk}/revoke/" not in row
    assert f"/admin/certificates/{revoked.pk}/reissue/" in row
    assert PRINTED_NAME not in html


def test_a_replaced_certificate_offers_only_download_and_revoke(
    trainer_client, certificate
):
    reissue_certificate(certificate=certificate)
    row = row_of(trainer_client.get(LIST).content.decode(), certificate)
    assert f"/learn/certificates/{certificate.display_code}/download/" in row
    assert f"/admin/certificates/{certificate.pk}/revoke/" in row
    assert f"/admin/certificates/{certificate.pk}/reissue/" not in row
    assert f"/admin/certificates/{certificate.pk}/make-pdf-again/" not in row


def test_the_list_offers_certificate_bulk_actions_and_never_delete(
    trainer_client, certificate
):
    html = trainer_client.get(LIST).content.decode()
    footer = html[html.index("bulk-actions-choices") :]
    for action in ("download", "revoke", "make_pdfs_again"):
        assert f'href="{BULK}{action}/"' in footer
    assert "Delete" not in footer
    assert f"{BULK}delete/" not in html

    # Templates keep Wagtail's own bulk delete.
    templates = trainer_client.get("/admin/snippets/certificates/certificatetemplate/")
    assert "/admin/bulk/certificates/certificatetemplate/delete/" in (
        templates.content.decode()
    )


def test_no_one_deletes_certificates_in_bulk_even_a_superuser(
    client, admin_user, certificate
):
    client.force_login(admin_user)
    for response in (
        client.get(bulk("delete", certificate)),
        client.post(bulk("delete", certificate)),
    ):
        # Refused: 403, or Wagtail's redirect to the admin home.
        assert response.status_code in (302, 403)
        assert response.get("Location", "/admin/") == "/admin/"
    assert Certificate.objects.filter(pk=certificate.pk).exists()


# --- Row actions -------------------------------------------------------------


def test_make_pdf_again_renders_the_pdf_again(trainer_client, certificate):
    before = certificate.pdf_rendered_at
    url = f"/admin/certificates/{certificate.pk}/make-pdf-again/"
    confirm = trainer_client.get(url)
    assert "will be made again" in confirm.content.decode()

    response = trainer_client.post(url)
    assert response["Location"] == f"{LIST}inspect/{certificate.pk}/"
    assert "is being made again" in messages_of(response)
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at > before


def test_a_replaced_certificates_pdf_is_not_made_again(trainer_client, certificate):
    reissue_certificate(certificate=certificate)
    certificate.refresh_from_db()
    before = certificate.pdf_rendered_at
    response = trainer_client.post(
        f"/admin/certificates/{certificate.pk}/make-pdf-again/"
    )
    assert "was replaced" in messages_of(response)
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at == before


def test_download_pdf_from_the_row_serves_the_pdf(trainer_client, certificate):
    response = trainer_client.get(
        f"/learn/certificates/{certificate.display_code}/download/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# --- Bulk actions ------------------------------------------------------------


def test_bulk_download_zips_the_selected_certificates(
    trainer_client, course, certificate
):
    second = certified(course, username="second")
    certified(course, username="not-chosen")

    confirm = trainer_client.get(bulk("download", certificate, second))
    text = visible_text(confirm)
    assert certificate.display_code in text and second.display_code in text

    response = trainer_client.post(bulk("download", certificate, second))
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(
        f"certificate-{c.display_code}.pdf" for c in (certificate, second)
    )


def test_bulk_revoke_revokes_with_one_note_and_skips_revoked_ones(
    trainer_client, client, course, certificate, trainer
):
    second = certified(course, username="second")
    earlier = certified(course, username="earlier")
    revoke_certificate(certificate=earlier, by=None, note="First note")
    url = bulk("revoke", certificate, second, earlier)

    confirm = visible_text(trainer_client.get(url))
    assert "Already revoked, so left as they are:" in confirm
    assert confirm.index(earlier.display_code) > confirm.index("Already revoked")

    # A private note is required; nothing changes without one.
    response = trainer_client.post(url, {"note": " ", "public_reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1

    response = trainer_client.post(
        url, {"note": "Cohort closed early.", "public_reason": "Issued in error"}
    )
    assert response["Location"] == LIST
    said = messages_of(response)
    assert "2 certificates are revoked." in said
    assert "1 was already revoked" in said

    for revoked in (certificate, second):
        revoked.refresh_from_db()
        assert revoked.status == Certificate.Status.REVOKED
        assert revoked.revoked_by == trainer
        assert revoked.revocation_note == "Cohort closed early."
    earlier.refresh_from_db()
    assert earlier.revocation_note == "First note"

    client.logout()
    page = visible_text(client.get(f"/verify/{certificate.display_code}/"))
    assert "was revoked on" in page and "Issued in error" in page
    assert "Cohort closed early" not in page


def test_bulk_make_pdfs_again_skips_replaced_certificates(
    trainer_client, course, certificate
):
    second = certified(course, username="second")
    reissue_certificate(certificate=second)
    second.refresh_from_db()
    before = {c.pk: c.pdf_rendered_at for c in (certificate, second)}

    confirm = visible_text(trainer_client.get(bulk("make_pdfs_again", certificate)))
    assert "Make the PDFs again" in confirm

    response = trainer_client.post(bulk("make_pdfs_again", certificate, second))
    said = messages_of(response)
    assert "1 certificate PDF is being made again." in said
    assert "1 was replaced by a newer certificate" in said
    certificate.refresh_from_db()
    second.refresh_from_db()
    assert certificate.pdf_rendered_at > before[certificate.pk]
    assert second.pdf_rendered_at == before[second.pk]


def test_select_all_in_listing_keeps_the_listings_filters(
    trainer_client, course_index, course, certificate
):
    other_course = make_course(course_index, title="Other", slug="other")
    other = certified(other_course, username="elsewhere")
    response = trainer_client.post(
        f"{BULK}revoke/?id=all&course={course.pk}&next={LIST}",
        {"note": "Whole course withdrawn."},
    )
    assert "1 certificate is revoked." in messages_of(response)
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is not None
    assert Certificate.objects.get(pk=other.pk).revoked_at is None


# --- The inspect page --------------------------------------------------------


def inspect(client, certificate) -> str:
    return visible_text(client.get(f"{LIST}inspect/{certificate.pk}/"))


def test_the_inspect_page_speaks_plainly(trainer_client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(pdf_rendered_at=None)
    text = inspect(trainer_client, certificate)
    for label in (
        "Code",
        "Status Valid",
        "Learner quiet-heron",
        "Course Listening well",
        "Hours 2",
        "Finished on",
        "Issued on",
        "Expires Does not expire",
        "PDF Being prepared",
        "Times checked 0",
    ):
        assert label in text
    assert "Revoked on" not in text and "Replaced by" not in text
    for internal in ("None", "Pdf rendered at", "revocation list", "status list"):
        assert internal.lower() not in text.lower()
    assert PRINTED_NAME not in text


def test_the_inspect_page_tells_the_story_of_a_revoked_and_reissued_certificate(
    trainer_client, certificate, trainer
):
    revoke_certificate(
        certificate=certificate,
        by=trainer,
        note="Finished under another account.",
        public_reason="",
    )
    successor = reissue_certificate(certificate=certificate, by=trainer)
    text = inspect(trainer_client, certificate)
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    assert f"Revoked on {today}" in text
    assert "Revoked by trainer" in text
    assert "Public reason Not given" in text
    assert "Private note Finished under another account." in text
    assert f"Replaced on {today}" in text
    assert f"Replaced by {successor.display_code}" in text
    assert "None" not in text
    html = trainer_client.get(f"{LIST}inspect/{certificate.pk}/").content.decode()
    assert f'<a href="{LIST}inspect/{successor.pk}/">' in html

    text = inspect(trainer_client, successor)
    assert f"Replaces {certificate.display_code}" in text
    assert PRINTED_NAME not in text


def test_an_erased_learners_certificate_says_so(trainer_client, certificate):
    certificate.learner.delete()
    text = inspect(trainer_client, certificate)
    assert "Learner (account erased)" in text
    assert "None" not in text
    row = visible_text(trainer_client.get(LIST))
    assert "(account erased)" in row and "None" not in row
