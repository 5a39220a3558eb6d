"""A learner fails a quiz, reads the review, tries again and passes."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from tests.quizzes.conftest import course_with_quiz

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def quiz_site(course_index, support_settings):
    course = course_with_quiz(course_index)
    UserFactory(username="quizzer")
    return course


def answer(page, *, right: bool):
    if right:
        page.get_by_label("Reflect what you heard.").check()
        page.get_by_label("Agreeing times to talk.").check()
        page.get_by_label("Saying what you can and cannot do.").check()
        page.get_by_label("True").check()
    else:
        page.get_by_label("Tell them to cheer up.").check()
        page.get_by_label("Lending money.").check()
        page.get_by_label("False").check()


def test_fail_read_the_review_retake_and_pass(page, quiz_site, axe):
    log_in(page, "quizzer", PASSWORD)
    page.goto("/courses/listening/")
    page.get_by_role("button", name="Enrol and start").click()
    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page.get_by_role("heading", name="Check your understanding")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    axe(page)

    # Leaving out a question is pointed out next to it, keeping what was chosen.
    page.get_by_label("Tell them to cheer up.").check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator("#error-q-rest")).to_contain_text("Please choose an answer")
    expect(page.get_by_label("Tell them to cheer up.")).to_be_checked()

    answer(page, right=False)
    page.get_by_role("button", name="Submit my answers").click()
    expect(
        page.get_by_role("heading", name="You scored 0%. The pass mark is 80%.")
    ).to_be_visible()
    axe(page)
    chosen = page.locator(".review-choice.is-chosen").first
    expect(chosen).to_contain_text("Your answer")
    expect(chosen).to_contain_text("Kind, but it skips their feeling.")
    expect(page.locator(".marker-correct").first).to_contain_text("Correct answer")
    expect(page.get_by_role("link", name="Go back over the lessons")).to_be_visible()

    page.get_by_role("button", name="Try again").click()
    answer(page, right=True)
    page.get_by_role("button", name="Submit my answers").click()
    expect(
        page.get_by_role("heading", name="You passed with 100%. Well done.")
    ).to_be_visible()
    expect(
        page.get_by_text("you have finished every step of this course")
    ).to_be_visible()
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_text("You finished this course on")).to_be_visible()


def test_answers_autosave_and_survive_leaving(page, quiz_site):
    log_in(page, "quizzer", PASSWORD)
    page.goto("/courses/listening/")
    page.get_by_role("button", name="Enrol and start").click()
    page.get_by_role("button", name="Mark complete and continue").click()
    page.get_by_role("button", name="Start the quiz").click()
    with page.expect_response(
        lambda r: "/module-1/check/attempts/" in r.url and r.request.method == "POST"
    ):
        page.get_by_label("Reflect what you heard.").check()
    page.goto("/learn/")
    page.goto("/courses/listening/module-1/check/")
    expect(page.get_by_label("Reflect what you heard.")).to_be_checked()
