"""A newcomer signs up, logs in, and leaves in a hurry with the keyboard shortcut."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(course_index, support_settings, settings, live_server):
    CourseFactory(parent=course_index, title="Listening well", slug="listening")
    # The neutral site must be reachable from this machine: use our own health page.
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return course_index


def test_sign_up_log_in_and_quick_exit_by_keyboard(page, site, live_server):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("morning-star")
    page.get_by_role("textbox", name=re.compile(r"^Password\W*$")).fill(
        "quiet morning walk"
    )
    page.get_by_label("Password (again)").fill("quiet morning walk")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("status")).to_have_text("You are logged in.")

    # Log out, then back in.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Log out").click()
    # Wait for the logout to land: on a busy machine a navigation straight
    # after the click can overtake it and find the learner still logged in.
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("morning-star")
    page.get_by_label("Password").fill("quiet morning walk")
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status")).to_have_text("You are logged in.")

    page.goto("/courses/")
    expect(page).to_have_title("Courses · Circles")
    # Shift twice: the button counts, and says so politely.
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect(page.locator("[data-quick-exit-status]")).to_have_text(
        "Shift, press 1 more time to exit."
    )
    page.keyboard.press("Shift")
    page.wait_for_url(re.compile(r"/healthz$"))
    expect(page.locator("body")).to_have_text("ok")

    # The session is over, and Back does not return to the course list.
    page.go_back()
    assert "/courses/" not in page.url
    page.goto("/accounts/password/change/")
    assert "/accounts/login/" in page.url


def test_another_key_resets_the_shift_count(page, site):
    page.goto("/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    expect(page.locator("[data-quick-exit-status]")).to_have_text(
        "Shift, press 2 more times to exit."
    )
    assert page.url.endswith("/")


def test_exit_button_by_keyboard_is_early_in_the_tab_order(page, site):
    page.goto("/courses/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Exit this page")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/healthz$"))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/courses/",
        "/courses/listening/",
        "/accounts/signup/",
        "/accounts/login/",
        "/support/",
        "/break/",
    ],
)
def test_pages_pass_axe(page, site, axe, path):
    page.goto(path)
    axe(page)


def test_support_panel_opens_from_the_header(page, site):
    page.goto("/")
    page.get_by_role("link", name="Get support").first.click()
    panel = page.locator("#support-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Samaritans")
