"""Two learners of a cohort share and reply in their practice circle, on phones.

A trainer approves what they share in the admin; a learner of another group
finds nothing at any of the circle's addresses; a post withdrawn is gone from
the database; the quick exit works on circle pages; axe finds no violations.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from courses.models import Cohort, Enrolment, LessonPage
from peers.models import Post, Reply
from tests.factories import PASSWORD, CourseFactory, UserFactory

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PROMPT = "When did someone last really listen to you?"


@pytest.fixture
def cohort(course_index, support_settings, trainer):
    course = CourseFactory(
        parent=course_index, title="Listening well", slug="listening", steps=2
    )
    lesson = LessonPage.objects.descendant_of(course).first()
    lesson.body = json.dumps(
        [
            {"type": "rich_text", "value": "<p>Listening starts with noticing.</p>"},
            {"type": "reflection", "value": {"prompt": PROMPT, "guidance": ""}},
        ]
    )
    lesson.save_revision().publish()
    cohort = Cohort.objects.create(course=course, name="Spring group")
    for username in ("river-stone", "quiet-harbour"):
        Enrolment.objects.create(
            learner=UserFactory(username=username), course=course, cohort=cohort
        )
    Enrolment.objects.create(learner=UserFactory(username="other-group"), course=course)
    return cohort


def _context_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _join(page, name: str, axe):
    page.goto("/learn/")
    page.get_by_role("link", name=re.compile("Join your circle")).click()
    axe(page)
    page.get_by_label("Your circle name").fill(name)
    page.get_by_role("button", name="Join the circle").click()
    expect(page.get_by_role("heading", name="Your practice circle")).to_be_visible()


def _approve_in_admin(trainer_page, circle_id: int):
    trainer_page.goto(f"/admin/circles/{circle_id}/")
    trainer_page.get_by_role("button", name=re.compile("^Approve")).first.click()
    expect(trainer_page.get_by_text(re.compile("approved", re.I)).first).to_be_visible()


def test_two_members_share_and_reply_under_circle_names(
    page, browser, live_server, cohort, axe
):
    circle = cohort.circle
    log_in(page, "river-stone", PASSWORD)
    _join(page, "Robin", axe)
    axe(page)

    # Robin shares a reflection from the lesson, with a content note.
    page.goto("/courses/listening/")
    page.goto(LessonPage.objects.descendant_of(cohort.course).first().url)
    page.get_by_role("link", name=re.compile("Write your thoughts down")).click()
    expect(page.get_by_text(PROMPT)).to_be_visible()
    axe(page)
    page.get_by_label("Your thoughts").fill("My sister listened, without advice.")
    page.get_by_label(re.compile("Content note")).fill("Mentions family")
    page.get_by_role("button", name="Share it with my circle").click()
    expect(page.get_by_text(re.compile("Thank you for sharing"))).to_be_visible()

    # Sam joins: nothing shows until a trainer approves Robin's post.
    sam = _context_page(browser, live_server)
    log_in(sam, "quiet-harbour", PASSWORD)
    _join(sam, "Sam", axe)
    expect(sam.get_by_text("My sister listened")).to_have_count(0)

    trainer = _context_page(browser, live_server)
    log_in(trainer, "trainer", PASSWORD)
    _approve_in_admin(trainer, circle.pk)

    sam.reload()
    # The content note comes first; the post opens on request.
    expect(sam.get_by_text(re.compile("Mentions family"))).to_be_visible()
    expect(sam.get_by_text("My sister listened")).not_to_be_visible()
    sam.get_by_text("Show the post", exact=True).click()
    expect(sam.get_by_text("My sister listened, without advice.")).to_be_visible()
    axe(sam)
    body = sam.content()
    assert "river-stone" not in body and "quiet-harbour" not in body

    sam.get_by_role("button", name="I hear you").click()
    sam.get_by_role("link", name=re.compile("Replies and your reply")).click()
    sam.get_by_role("textbox", name="Your reply").fill(
        "That sounds like real listening."
    )
    sam.get_by_role("button", name="Send reply").click()
    expect(sam.get_by_text("Waiting for a trainer")).to_be_visible()
    axe(sam)

    _approve_in_admin(trainer, circle.pk)

    page.goto(f"/learn/circles/{circle.pk}/posts/{Post.objects.get().pk}/")
    expect(page.get_by_text("That sounds like real listening.")).to_be_visible()
    expect(page.get_by_text(re.compile("I hear you — Sam"))).to_be_visible()
    # No counts of anything: no number next to replies or responses.
    assert not re.search(r"\b\d+ (replies|reply|responses)\b", page.content())
    axe(page)


def test_a_withdrawn_post_is_gone_from_the_database(page, cohort, axe):
    log_in(page, "river-stone", PASSWORD)
    _join(page, "Robin", axe)
    page.get_by_role("link", name="Share something").click()
    axe(page)
    page.get_by_label(re.compile("What would you like to share")).fill("A small win.")
    page.get_by_role("button", name="Share", exact=True).click()
    post = Post.objects.get()
    Reply.objects.create(post=post, author=post.author, text="A note to self.")

    page.get_by_role("link", name=re.compile("^Delete it")).first.click()
    axe(page)
    page.get_by_role("button", name="Yes, delete it for good").click()
    expect(page.get_by_text(re.compile("deleted", re.I)).first).to_be_visible()
    assert not Post.objects.exists()
    assert not Reply.objects.exists()


def test_someone_outside_the_cohort_finds_nothing(page, cohort, axe):
    circle = cohort.circle
    log_in(page, "river-stone", PASSWORD)
    _join(page, "Robin", axe)
    page.get_by_role("link", name="Share something").click()
    page.get_by_label(re.compile("What would you like to share")).fill("Hello.")
    page.get_by_role("button", name="Share", exact=True).click()
    post = Post.objects.get()
    reply = Reply.objects.create(post=post, author=post.author, text="More.")
    page.context.clear_cookies()

    log_in(page, "other-group", PASSWORD)
    base = f"/learn/circles/{circle.pk}"
    for path in (
        "/",
        "/join/",
        "/name/",
        "/share/",
        f"/posts/{post.pk}/",
        f"/posts/{post.pk}/edit/",
        f"/posts/{post.pk}/withdraw/",
        f"/posts/{post.pk}/report/",
        f"/replies/{reply.pk}/edit/",
        f"/replies/{reply.pk}/withdraw/",
        f"/replies/{reply.pk}/report/",
        "/pairs/",
        "/pairs/new/",
    ):
        response = page.goto(base + path)
        assert response.status == 404, path
        expect(page.get_by_text("Hello.")).to_have_count(0)
    axe(page)


def test_quick_exit_leaves_a_circle_page(page, cohort, settings, live_server, axe):
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    log_in(page, "river-stone", PASSWORD)
    _join(page, "Robin", axe)
    response = page.goto(f"/learn/circles/{cohort.circle.pk}/")
    assert "no-store" in response.headers["cache-control"]
    for _press in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(re.compile(r"/healthz$"))
    # Back shows no circle page: the session is over, so it asks for a log-in.
    page.go_back()
    expect(page.get_by_role("heading", name="Your practice circle")).to_have_count(0)
    page.goto(f"/learn/circles/{cohort.circle.pk}/")
    assert "/accounts/login/" in page.url


def test_a_worrying_post_shows_support_before_it_is_sent(page, cohort, axe):
    log_in(page, "river-stone", PASSWORD)
    _join(page, "Robin", axe)
    page.get_by_role("link", name="Share something").click()
    box = page.get_by_label(re.compile("What would you like to share"))
    box.fill("Some nights I want to hurt myself.")
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_role("button", name="Send it")).to_be_visible()
    assert not Post.objects.exists()
    expect(box).to_have_value("Some nights I want to hurt myself.")
    axe(page)
    page.get_by_role("button", name="Send it").click()
    assert Post.objects.get().text == "Some nights I want to hurt myself."


def test_a_trainer_pairs_two_members_who_give_each_other_feedback(
    page, browser, live_server, cohort, axe
):
    circle = cohort.circle
    log_in(page, "river-stone", PASSWORD)
    _join(page, "Robin", axe)
    sam = _context_page(browser, live_server)
    log_in(sam, "quiet-harbour", PASSWORD)
    _join(sam, "Sam", axe)

    trainer = _context_page(browser, live_server)
    log_in(trainer, "trainer", PASSWORD)
    trainer.goto(f"/admin/circles/{circle.pk}/pairs/new/")
    trainer.get_by_label("First person").select_option(label="Robin")
    trainer.get_by_label("Second person").select_option(label="Sam")
    trainer.get_by_label("What they will practise").fill("Practise the privacy script")
    trainer.get_by_role("button", name=re.compile("Make the pair|Make pair")).click()
    expect(trainer.get_by_text("Practise the privacy script").first).to_be_visible()

    page.goto(f"/learn/circles/{circle.pk}/")
    page.get_by_role("link", name="Practice pairs").click()
    page.get_by_role("link", name="Practise with Sam").click()
    expect(page.get_by_text("You and Sam are a practice pair.")).to_be_visible()
    axe(page)
    page.get_by_label("What helped").fill("You kept a calm, slow voice.")
    page.get_by_label("One thing to try").fill("Ask before giving advice.")
    page.get_by_role("button", name="Save my feedback").click()
    expect(page.get_by_text(re.compile("saved", re.I)).first).to_be_visible()

    sam.goto(page.url.split("#")[0])
    expect(sam.get_by_text("You kept a calm, slow voice.")).to_be_visible()
    axe(sam)
    # The trainer reads none of it until both say yes.
    trainer.goto(f"/admin/circles/{circle.pk}/")
    expect(trainer.get_by_text("You kept a calm, slow voice.")).to_have_count(0)
