"""A learner finishes, names and downloads a certificate; a stranger checks it."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import PASSWORD, CourseFactory, UserFactory

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def journey(course_index, support_settings, settings, live_server, tmp_path):
    # Links in the PDF and the credential point at SITE_URL: make it this server.
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    CourseFactory(
        parent=course_index, title="Listening well", slug="listening", steps=2
    )
    UserFactory(username="walker")


def test_finish_name_download_and_verify_anonymously(
    page, browser, journey, live_server, axe, tmp_path
):
    log_in(page, "walker", PASSWORD)
    page.goto("/courses/listening/")
    page.get_by_role("button", name="Enrol and start").click()
    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page.get_by_text("Step 2 of 2")).to_be_visible()
    page.get_by_role("button", name="Mark complete and continue").click()

    # Back on the course page, which tells the learner what comes next.
    expect(page.get_by_text("You finished this course on")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Your certificate is waiting")
    ).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Choose the name for your certificate").click()

    expect(
        page.get_by_role("heading", name="Choose the name for your certificate")
    ).to_be_visible()
    expect(page).to_have_title("Your certificate · Circles")
    field = page.get_by_label("Name to print on your certificate")
    expect(field).to_have_value("")
    axe(page)
    field.fill("Amara Okafor")
    page.get_by_role("button", name="Save and make my certificate").click()

    expect(page).to_have_url(re.compile(r"/courses/listening/$"))
    expect(
        page.get_by_role("heading", name="Your certificate is ready")
    ).to_be_visible()
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    download = download_info.value
    assert re.fullmatch(
        r"certificate-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\.pdf",
        download.suggested_filename,
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = PdfReader(saved).pages[0].extract_text().replace("\n", "")
    assert "Amara Okafor" in text
    verify_url = re.search(
        re.escape(live_server.url) + r"/verify/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/",
        text,
    ).group(0)

    # The holder's dashboard: code, QR code, download, link, checks.
    page.goto("/learn/")
    card = page.locator(".certificate-card")
    expect(card).to_contain_text(verify_url.rsplit("/", 2)[1])
    expect(card.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    expect(card).to_contain_text("Nobody has checked it yet.")
    axe(page)

    # Someone else, with nothing but the URL from the PDF.
    stranger = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        check = stranger.new_page()
        check.goto(verify_url)
        expect(check.get_by_role("heading", name="Valid")).to_be_visible()
        expect(check.get_by_text("Amara Okafor")).to_be_visible()
        expect(check.get_by_text("Listening well")).to_be_visible()
        expect(check).to_have_title("Check a certificate · Circles")
        axe(check)
        check.goto(f"{live_server.url}/verify/")
        axe(check)
    finally:
        stranger.close()

    page.goto("/learn/")
    expect(page.locator(".certificate-card")).to_contain_text("Checked 1 time.")
