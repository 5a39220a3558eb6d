"""A learner switches language halfway through a course and keeps their place."""

import pytest
from playwright.sync_api import expect

from tests.courses.test_languages import translate_tree
from tests.factories import PASSWORD, CourseFactory, UserFactory

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bilingual(course_index, support_settings):
    course = CourseFactory(
        parent=course_index,
        title="Listening well",
        slug="listening",
        modules=2,
        steps=2,
    )
    translate_tree(course, "es")
    UserFactory(username="walker")
    return course


def switch_to(page, language: str):
    page.locator(f".language-switcher a[lang={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_switching_to_spanish_midway_keeps_progress_and_the_resume_point(
    page, bilingual, axe
):
    log_in(page, "walker", PASSWORD)
    page.goto("/courses/listening/")
    page.get_by_role("button", name="Enrol and start").click()
    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    address = page.url

    # Spanish, on the same step at the same address, with the step done kept.
    switch_to(page, "es")
    assert page.url == address
    expect(page.locator("h1")).to_contain_text("[es] ")
    axe(page)
    page.locator("form[action$='complete/'] button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("[es] ")
    third = page.url

    page.goto("/courses/listening/")
    expect(page.locator("#course-progress-label ~ .progress")).to_have_attribute(
        "aria-valuenow", "50"
    )

    # Back in English: the same two steps done, and Continue goes to the third.
    switch_to(page, "en")
    expect(page.get_by_text("This course: 2 of 4 steps done")).to_be_visible()
    page.get_by_role("link", name="Continue").first.click()
    assert page.url == third
    expect(page.get_by_text("Step 3 of 4")).to_be_visible()
    expect(page.locator("h1")).not_to_contain_text("[es]")
