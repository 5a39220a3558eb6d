"""The verify page: every status in plain words, only what SAFETY.md allows, uploads."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certificates.models import Certificate, Verification
from certificates.services import (
    change_printed_name,
    record_verification,
    revoke_certificate,
)
from tests.queries import count_queries

from .issuing import PRINTED_NAME, certified, make_course


@pytest.fixture
def course(course_index):
    return make_course(course_index, estimated_hours=3)


@pytest.fixture
def certificate(course):
    return certified(course)


def page(client, code):
    response = client.get(f"/verify/{code}/")
    return response, response.content.decode()


def main_of(html):
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def title_of(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_the_form_takes_a_code_in_any_form_and_redirects_to_the_result(
    client, certificate
):
    messy = certificate.display_code.lower().replace("-", " ")
    response = client.get("/verify/", {"code": messy})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.display_code}/"


def test_a_malformed_code_gets_a_clear_message(client, db):
    response = client.get("/verify/", {"code": "ABCD-EFGH"})
    assert response.status_code == 400
    assert "A certificate code has 12 letters and numbers" in response.content.decode()
    response, html = page(client, "ABCD-EFGH-JKMU")
    assert response.status_code == 400
    assert "never contain the letter U" in html


def test_valid_shows_only_what_safety_allows(client, certificate):
    response, html = page(client, certificate.display_code)
    assert response.status_code == 200
    assert 'data-status="valid"' in html and "Valid" in html
    for fact in (
        certificate.display_code,
        PRINTED_NAME,
        "Listening well",
        "Circles",
        timezone.localdate().strftime("%-d %B %Y"),
    ):
        assert fact in html
    assert certificate.learner.username not in html
    assert title_of(html) == "Check a certificate · Circles"
    assert 'content="noindex, nofollow"' in html


def test_expired_says_so_with_the_date(client, certificate):
    certificate.expires_at = datetime(2026, 5, 1, tzinfo=UTC)
    certificate.completed_at = datetime(2025, 5, 1, tzinfo=UTC)
    certificate.save()
    response, html = page(client, certificate.display_code)
    assert 'data-status="expired"' in html
    assert "it expired on 1 May 2026" in html


def test_revoked_says_so_with_the_date_and_the_public_reason_only(
    client, certificate, trainer
):
    revoke_certificate(
        certificate=certificate,
        by=trainer,
        note="Private: the learner asked us to.",
        public_reason="Issued in error",
    )
    response, html = page(client, certificate.display_code)
    assert 'data-status="revoked"' in html
    assert f"revoked on {timezone.localdate().strftime('%-d %B %Y')}" in html
    assert "Issued in error" in html
    assert "Private" not in html


def test_replaced_shows_neither_name(client, certificate):
    [new] = change_printed_name(learner=certificate.learner, printed_name="A. Okafor")
    response, html = page(client, certificate.display_code)
    assert 'data-status="replaced"' in html
    assert "replaced by a newer one" in html
    assert "Okafor" not in html
    assert new.display_code not in html


def test_an_unknown_code_says_no_certificate_has_it(client, db):
    response, html = page(client, "ABCD-EFGH-JKMN")
    assert response.status_code == 404
    assert "No certificate has this code" in html
    assert title_of(html) == "Check a certificate · Circles"


def test_every_check_is_counted_but_the_holders_own(client, certificate):
    page(client, certificate.display_code)
    client.force_login(certificate.learner)
    page(client, certificate.display_code)
    assert certificate.verifications.count() == 1
    assert certificate.verifications.get().channel == Verification.Channel.PAGE


def test_the_holder_sees_how_often_and_when_but_not_who(client, certificate):
    record_verification(certificate=certificate, channel=Verification.Channel.PAGE)
    record_verification(certificate=certificate, channel=Verification.Channel.API)
    client.force_login(certificate.learner)
    html = client.get("/learn/").content.decode()
    assert certificate.display_code in html
    assert "Checked 2 times." in html
    assert "Last checked on" in html
    assert "We keep no record of who checked it." in html
    assert "<svg" in html and 'role="img"' in html  # the QR code, inline
    assert f"/learn/certificates/{certificate.display_code}/download/" in html
    assert f"http://testserver/verify/{certificate.display_code}/" in html
    # The printed name is not shown around the site, only on the certificate.
    assert PRINTED_NAME not in html


def test_uploading_the_issued_pdf_shows_its_status(client, certificate):
    data = certificate.pdf.storage.open(certificate.pdf.name).read()
    upload = SimpleUploadedFile("c.pdf", data, content_type="application/pdf")
    response = client.post("/verify/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This file is exactly one we issued, unchanged." in html
    assert 'data-status="valid"' in html
    assert certificate.verifications.get().channel == Verification.Channel.UPLOAD


def test_a_pdf_rendered_before_a_template_change_still_checks_out(client, certificate):
    from certificates.services import render_certificate_file

    first = certificate.pdf.storage.open(certificate.pdf.name).read()
    certificate = render_certificate_file(certificate=certificate)
    assert certificate.files.count() >= 1
    upload = SimpleUploadedFile("c.pdf", first, content_type="application/pdf")
    html = client.post("/verify/", {"file": upload}).content.decode()
    assert "exactly one we issued" in html


def test_a_changed_pdf_is_not_one_we_issued(client, certificate):
    data = certificate.pdf.storage.open(certificate.pdf.name).read() + b"\n% changed"
    upload = SimpleUploadedFile("c.pdf", data, content_type="application/pdf")
    html = client.post("/verify/", {"file": upload}).content.decode()
    assert "We did not issue this exact file." in html
    assert not certificate.verifications.exists()


def test_an_upload_over_the_size_limit_is_refused(client, db, settings):
    settings.CERTIFICATE_UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2000)
    response = client.post("/verify/", {"file": upload})
    assert response.status_code == 400
    assert "That file is too big" in response.content.decode()
    big = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"x" * 200_000)
    response = client.post("/verify/", {"file": big})
    assert response.status_code == 413
    assert "too big" in response.content.decode()


def test_the_page_is_rate_limited_per_client_the_same_for_any_code(
    client, certificate, settings
):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    codes = [certificate.display_code, "ABCD-EFGH-JKMN", "ZZZZ-ZZZZ-ZZZZ"]
    statuses = [client.get(f"/verify/{code}/").status_code for code in codes]
    assert statuses == [200, 404, 404]
    refusals = [client.get(f"/verify/{code}/") for code in codes]
    assert {r.status_code for r in refusals} == {429}
    # Nothing in a refusal tells the codes apart.
    bodies = {main_of(r.content.decode()) for r in refusals}
    assert len(bodies) == 1
    assert "too many checks from your network" in bodies.pop()
    assert refusals[0]["Retry-After"] == "60"
    # Another client is not held back.
    other = client.get(
        f"/verify/{certificate.display_code}/", REMOTE_ADDR="203.0.113.9"
    )
    assert other.status_code == 200


def test_the_checking_pages_load_nothing_from_another_host(client, certificate):
    for url in ("/verify/", f"/verify/{certificate.display_code}/"):
        html = client.get(url).content.decode()
        assert not re.search(r'(src|href)="https?://(?!testserver)', html), url


def test_a_certificate_that_expires_later_shows_its_end_date(client, course):
    certificate = certified(course)
    certificate.expires_at = timezone.now() + timedelta(days=400)
    certificate.save()
    html = page(client, certificate.display_code)[1]
    assert 'data-status="valid"' in html and "Valid until" in html


def test_statuses_are_derived_in_order_revoked_replaced_expired_valid(certificate):
    now = timezone.now()
    certificate.expires_at = now - timedelta(days=1)
    assert certificate.status_at(now) == Certificate.Status.EXPIRED
    certificate.replaced_at = now
    assert certificate.status_at(now) == Certificate.Status.REPLACED
    certificate.revoked_at = now
    assert certificate.status_at(now) == Certificate.Status.REVOKED


def test_checking_a_code_costs_two_queries_however_often_it_was_checked(
    client, certificate, support_settings
):
    """One read of the certificate and what it shows, one INSERT of the check."""
    url = f"/verify/{certificate.display_code}/"
    assert count_queries(client, url) == 2
    for _ in range(5):
        client.get(url)
    assert count_queries(client, url) == 2
