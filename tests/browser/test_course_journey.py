"""A learner walks a course from enrolment to completion with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.factories import PASSWORD, CourseFactory, UserFactory

from .helpers import log_in, tab_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def journey(course_index, support_settings):
    course = CourseFactory(
        parent=course_index,
        title="Listening well",
        slug="listening",
        modules=2,
        steps=2,
    )
    noted = LessonPage.objects.descendant_of(course).order_by("path")[2]
    noted.content_note = "This lesson describes control in relationships."
    noted.save_revision().publish()
    UserFactory(username="walker")
    return course


def test_walk_a_course_from_enrolment_to_completion_by_keyboard(page, journey, axe):
    log_in(page, "walker", PASSWORD)
    page.goto("/courses/listening/")
    axe(page)
    tab_to(page, "Enrol and start")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    axe(page)
    for step in (1, 2):
        expect(page.get_by_text(f"Step {step} of 4")).to_be_visible()
        tab_to(page, "Mark complete and continue")
        page.keyboard.press("Enter")

    # Step 3 has a content note: the learner chooses to continue.
    expect(
        page.get_by_text("This lesson describes control in relationships.")
    ).to_be_visible()
    axe(page)
    tab_to(page, "Continue to the step")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Step 3 of 4")).to_be_visible()
    expect(page.get_by_text("Listening starts with noticing.")).to_be_visible()
    for step in (3, 4):
        expect(page.get_by_text(f"Step {step} of 4")).to_be_visible()
        tab_to(page, "Mark complete and continue")
        page.keyboard.press("Enter")

    expect(
        page.get_by_text("you have finished every step of this course")
    ).to_be_visible()
    expect(page.get_by_text("You finished this course on")).to_be_visible()
    expect(page.locator(".step-status--done")).to_have_count(4)

    page.goto("/learn/")
    axe(page)
    expect(page.get_by_role("heading", name="Completed")).to_be_visible()
    expect(page.locator(".dashboard-card")).to_contain_text("Finished on")


def test_pause_and_resume_from_the_dashboard(page, journey):
    log_in(page, "walker", PASSWORD)
    page.goto("/courses/listening/")
    page.get_by_role("button", name="Enrol and start").click()
    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    # Take a break keeps the place.
    page.get_by_role("link", name="Take a break").first.click()
    expect(page.get_by_role("heading", name="Take a break")).to_be_visible()
    page.get_by_role("link", name="Go back to where I was").click()
    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    page.goto("/learn/")
    expect(page.locator(".dashboard-card")).to_contain_text("1 of 4 steps done")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
