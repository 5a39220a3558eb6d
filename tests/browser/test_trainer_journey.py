"""The demo trainer builds and runs a course in the admin, as a new trainer would.

Authoring without touching the Promote tab, reordering steps by keyboard, a
cohort with a learner added by username, that learner's quiz score in the
gradebook, and a certificate revoked from the list and checked by an outsider.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import complete_step, enrol
from tests.factories import PASSWORD, CourseFactory, UserFactory

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("CIRCLES_SHOTS")


def shot(page, name):
    """Screenshots for a person to look at, when CIRCLES_SHOTS names a folder."""
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def workspace(course_index, support_settings, trainer):
    UserFactory(username="walker")
    holder = UserFactory(username="holder", certificate_name="Dana Rivers")
    finished = CourseFactory(
        parent=course_index, title="Care basics", slug="care", steps=1
    )
    enrol(learner=holder, course=finished)
    for step in LessonPage.objects.descendant_of(finished):
        complete_step(learner=holder, step=step)
    return Certificate.objects.get()


def fill_title(page, title):
    """Type the title and move on, as a person does; the slug fills itself."""
    page.get_by_role("textbox", name="Title").fill(title)
    page.keyboard.press("Tab")
    expect(page.locator("#id_slug")).to_have_value(re.compile(r"^[a-z0-9-]+$"))


def publish(page):
    """Publish from the editor's footer, the way a trainer does."""
    footer = page.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("created and published")).to_be_visible()


def add_child_from_row(page, parent):
    """'Add child page' from the parent's row menu in the listing it sits in."""
    page.get_by_role("button", name=f"More options for '{parent.title}'").click()
    page.locator(f"a[href='/admin/pages/{parent.pk}/add_subpage/']").click()


def add_step(page, kind, title, fill):
    page.get_by_role("link", name="Add child page", exact=True).click()
    page.get_by_role("link", name=re.compile(f"^{kind}")).click()
    fill_title(page, title)
    page.get_by_role("button", name="Insert a block").click()
    fill(page)
    publish(page)


def heading_block(text):
    def fill(page):
        page.get_by_role("option", name="Heading").click()
        # Type once the new block's field has the focus: on a busy machine the
        # keys can otherwise arrive before it does.
        page.wait_for_function(
            "() => document.activeElement?.matches('input[id^=\"body-\"]')"
        )
        page.keyboard.type(text)

    return fill


def true_or_false(statement):
    def fill(page):
        page.get_by_role("option", name=re.compile("True or false")).click()
        page.keyboard.type(statement)

    return fill


def step_titles(page):
    return [
        t.strip()
        for t in page.locator("tbody td.title .title-wrapper a").all_inner_texts()
    ]


def test_a_trainer_builds_runs_and_checks_a_course(
    page, browser, live_server, workspace, axe
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "trainer", PASSWORD)
    catalogue = CoursePage.objects.get().get_parent()

    # A course, a module, two lessons and a quiz: the slug fills itself, so
    # nothing asks for the Promote tab.
    page.goto(f"/admin/pages/{catalogue.pk}/")
    page.get_by_role("link", name="Add child page", exact=True).click()
    fill_title(page, "Holding space")
    page.get_by_role("textbox", name="Summary").fill("How to be present with someone.")
    publish(page)
    add_child_from_row(page, CoursePage.objects.get(title="Holding space"))
    fill_title(page, "Being present")
    publish(page)
    add_child_from_row(page, ModulePage.objects.get(title="Being present"))
    page.get_by_role("link", name=re.compile("^Lesson")).click()
    fill_title(page, "Listening first")
    page.get_by_role("button", name="Insert a block").click()
    heading_block("Notice, then name")(page)
    publish(page)
    add_step(page, "Quiz", "Check in", true_or_false("Listening starts with noticing."))
    add_step(page, "Lesson", "Naming feelings", heading_block("Say what you hear"))

    # The new lesson lands after the quiz; the trainer moves it up by keyboard.
    expect(page.locator("tbody td.title .title-wrapper a").last).to_have_text(
        re.compile("Step 3 · Naming feelings")
    )
    handle = page.get_by_role("button", name="Drag Item 3 of 3")
    handle.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(re.compile("Naming feelings.* has been moved successfully"))
    ).to_be_visible()
    page.reload()
    assert step_titles(page) == [
        "Step 1 · Listening first",
        "Step 2 · Naming feelings",
        "Step 3 · Check in",
    ]
    shot(page, "trainer-01-steps-in-order")

    # A cohort for the course, and a learner added by username.
    page.get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name="Add cohort").click()
    page.locator("#id_name").fill("Evening group")
    page.get_by_role("button", name="Choose a page (Course)").click()
    page.locator(".modal").get_by_role("link", name="Holding space").click()
    expect(page.locator(".modal")).to_be_hidden()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("Cohort 'Evening group' created.")).to_be_visible()
    page.get_by_role("link", name="Add learners").first.click()
    page.locator("#id_usernames").fill("walker")
    page.get_by_role("button", name="Add learners").click()
    expect(page.get_by_text("Added 1 learner: walker.")).to_be_visible()
    expect(page.get_by_role("link", name="walker")).to_be_visible()
    shot(page, "trainer-02-cohort")

    # The learner, on a phone, sees the new order and passes the quiz.
    learner = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}
    ).new_page()
    log_in(learner, "walker", PASSWORD)
    learner.goto("/courses/holding-space/")
    expect(learner.locator(".course-outline")).to_contain_text(
        re.compile("Listening first.*Naming feelings.*Check in", re.S)
    )
    axe(learner)
    learner.goto("/courses/holding-space/being-present/check-in/")
    learner.get_by_role("button", name="Start the quiz").click()
    learner.get_by_label("True").check()
    learner.get_by_role("button", name="Submit my answers").click()
    expect(
        learner.get_by_role("heading", name="You passed with 100%. Well done.")
    ).to_be_visible()
    axe(learner)
    learner.context.close()

    # The gradebook for the cohort shows the learner's score.
    page.get_by_role("link", name="Gradebook for this cohort").click()
    row = page.locator("tbody tr", has_text="walker")
    expect(row).to_contain_text("100%")
    shot(page, "trainer-03-gradebook")

    # A certificate revoked from the list; an outsider sees it revoked.
    page.get_by_role("button", name="Certificates").click()
    page.get_by_role("link", name="Certificates").last.click()
    code = workspace.display_code
    page.get_by_role("button", name=f"More options for '{code}'").click()
    page.get_by_role("link", name="Revoke").click()
    page.get_by_label("Private note").fill("Issued to the wrong account.")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text(f"Certificate {code} is")).to_contain_text("revoked")
    shot(page, "trainer-04-revoked")

    outsider = browser.new_context(base_url=live_server.url).new_page()
    outsider.goto(f"/verify/{code}/")
    expect(outsider.locator("main")).to_contain_text("revoked")
    outsider.context.close()
