"""Arabic pages: right to left, Bootstrap's RTL stylesheet, accessible, mirrored.

A learner reads the site in Arabic. Interface strings may still be in English
where the Arabic translation has none yet, so nothing here looks for words:
it finds things by their place in the page, as the quick exit tests do.
"""

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from courses.models import LessonPage
from courses.outline import forget_outline_for
from courses.services import complete_step, enrol
from quizzes.models import QuizPage
from quizzes.services import start_attempt, submit_attempt
from tests.factories import PASSWORD, UserFactory
from tests.quizzes.conftest import course_with_quiz

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# Set CIRCLES_SCREENSHOTS to a folder to keep the phone-sized screenshots.
SCREENSHOTS = os.environ.get("CIRCLES_SCREENSHOTS")
LESSON_BODY = [
    {"type": "rich_text", "value": "<p>يبدأ الإصغاء بالانتباه إلى ما يقوله الشخص.</p>"},
    {
        "type": "rich_text",
        "value": "<p>اترك له الوقت ليكمل كلامه، ثم أعد ما سمعته.</p>",
    },
]


@pytest.fixture
def arabic_site(course_index, support_settings, settings, live_server):
    """A course of two lessons and a quiz; a learner one lesson in, quiz tried."""
    course = course_with_quiz(
        course_index, title="الإصغاء الجيد", slug="listening", steps=2, pass_mark=80
    )
    lesson = LessonPage.objects.descendant_of(course).first()
    lesson.title = "كيف نصغي"
    lesson.body = json.dumps(LESSON_BODY)
    lesson.save_revision().publish()
    forget_outline_for(course.path)

    learner = UserFactory(username="layla")
    enrol(learner=learner, course=course)
    complete_step(learner=learner, step=lesson)
    quiz = QuizPage.objects.get()
    attempt = start_attempt(learner=learner, quiz=quiz)
    wrong = {
        q.id: [next(c for c in q.choice_ids if c not in q.correct)]
        for q in quiz.grading_questions()
    }
    submit_attempt(attempt=attempt, answers=wrong)
    # The neutral site must be reachable from this machine: our own health page.
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return {
        "course": course.url,
        "lesson": Page.objects.get(pk=lesson.pk).url,
        "review": f"{quiz.url}attempts/{attempt.pk}/",
    }


def in_arabic(page, next_path: str = "/"):
    """Choose Arabic with the language switcher's own link, as a visitor would."""
    page.goto(f"/language/ar/?next={next_path}")
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def expect_right_to_left(page):
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    sheets = page.locator("link[rel=stylesheet]").evaluate_all(
        "links => links.map(link => new URL(link.href).pathname)"
    )
    assert any(
        re.search(r"/bootstrap\.rtl(\.[0-9a-f]+)?\.min\.css$", s) for s in sheets
    )
    assert not any(re.search(r"/bootstrap(\.[0-9a-f]+)?\.min\.css$", s) for s in sheets)


def box(locator) -> dict:
    return locator.first.bounding_box()


def test_public_pages_in_arabic_are_right_to_left_and_pass_axe(page, arabic_site, axe):
    # An English visit first: a page kept for anonymous visitors must not be
    # handed to an Arabic reader.
    for path in ("/", "/courses/", arabic_site["course"]):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("dir", "ltr")
    in_arabic(page)
    for path in ("/", "/courses/", arabic_site["course"]):
        page.goto(path)
        expect_right_to_left(page)
        axe(page)


def test_a_learners_lesson_and_quiz_review_in_arabic_are_right_to_left_and_mirrored(
    page, arabic_site, axe, live_server
):
    log_in(page, "layla", PASSWORD)
    in_arabic(page, arabic_site["lesson"])
    assert page.url.endswith(arabic_site["lesson"])
    for path in ("/", "/courses/", arabic_site["course"], arabic_site["lesson"]):
        page.goto(path)
        expect_right_to_left(page)
        axe(page)

    # The lesson's frame mirrors: the exit button on the left, the text and
    # the trail from the right, progress filling from the right, the next step
    # on the left with its arrow pointing there.
    page.goto(arabic_site["lesson"])
    width = page.viewport_size["width"]
    exit_button = box(page.locator("[data-quick-exit-button]"))
    assert exit_button["x"] < width / 2
    heading = box(page.locator("main h1"))
    assert heading["x"] + heading["width"] > width - 40
    progress = page.locator(".progress").first
    bar = page.locator(".progress-bar").first
    expect(progress).to_have_attribute("aria-valuenow", re.compile(r"^[1-9]"))
    assert (
        abs(
            (box(progress)["x"] + box(progress)["width"])
            - (box(bar)["x"] + box(bar)["width"])
        )
        < 1
    )
    assert box(bar)["x"] > box(progress)["x"]
    next_link = page.locator(".step-nav a[rel=next]")
    assert box(next_link)["x"] < width / 2
    arrow = next_link.locator("[aria-hidden=true]")
    assert arrow.evaluate("el => getComputedStyle(el).transform") != "none"
    # Arabic letters in the shipped font, loaded from this server.
    loaded = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts]
                .filter(face => face.status === "loaded")
                .map(face => face.family.replaceAll('"', ""));
        }"""
    )
    assert "Circles Sans Arabic" in loaded
    fonts = page.evaluate(
        """() => performance.getEntriesByType("resource")
            .map(entry => new URL(entry.name))
            .filter(url => url.pathname.endsWith(".woff2"))
            .map(url => url.origin + url.pathname)"""
    )
    assert fonts
    assert all(url.startswith(f"{live_server.url}/static/fonts/") for url in fonts)
    if SCREENSHOTS:
        page.screenshot(path=Path(SCREENSHOTS) / "lesson-ar.png", full_page=True)

    page.goto(arabic_site["review"])
    expect_right_to_left(page)
    expect(page.locator(".review-question").first).to_be_visible()
    axe(page)
    mark = page.locator(".review-mark--not-yet [aria-hidden=true]")
    assert mark.first.evaluate("el => getComputedStyle(el).transform") != "none"
    if SCREENSHOTS:
        page.screenshot(path=Path(SCREENSHOTS) / "review-ar.png", full_page=True)


def test_the_quick_exit_button_works_in_arabic(page, arabic_site):
    log_in(page, "layla", PASSWORD)
    in_arabic(page, arabic_site["lesson"])
    page.locator("[data-quick-exit-button]").click()
    page.wait_for_url(re.compile(r"/healthz$"))
    page.go_back()
    assert arabic_site["lesson"] not in page.url
    page.goto(arabic_site["lesson"])
    assert "/accounts/login/" in page.url  # the session ended


def test_shift_three_times_exits_in_arabic(page, arabic_site):
    log_in(page, "layla", PASSWORD)
    in_arabic(page, arabic_site["lesson"])
    status = page.locator("[data-quick-exit-status]")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    # Counting is announced in the page's language, whatever that is now.
    expect(status).to_have_text(
        page.locator("[data-quick-exit]").get_attribute("data-press-one")
    )
    page.keyboard.press("Shift")
    page.wait_for_url(re.compile(r"/healthz$"))
    page.goto(arabic_site["lesson"])
    assert "/accounts/login/" in page.url
