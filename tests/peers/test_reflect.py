"""A lesson's reflection prompt: write an answer, keep it private or share it."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import LessonPage
from courses.services import add_learners_to_cohort
from peers import services
from peers.models import Post, PrivateReflection
from tests.factories import UserFactory

PROMPT = "When did someone last really listen to you?"
BLOCK_ID = "0d6c1c8e-5b1a-4f0e-9a51-3f1a2b3c4d5e"


@pytest.fixture
def lesson(course):
    lesson = LessonPage.objects.child_of(course.get_children().first()).first()
    lesson.body = json.dumps(
        [
            {"type": "rich_text", "value": "<p>Listening.</p>", "id": "text-1"},
            {
                "type": "reflection",
                "value": {"prompt": PROMPT, "guidance": "There is no right answer."},
                "id": BLOCK_ID,
            },
        ]
    )
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def _url(lesson, block_id=BLOCK_ID):
    return reverse("peers:reflect", args=[lesson.pk, block_id])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client, lesson, action, text, **fields):
    data = {"action": action, "text": text, "token": str(uuid.uuid4()), **fields}
    return client.post(_url(lesson), data)


def test_each_reflection_prompt_links_to_its_page_the_same_for_everyone(
    lesson, robin, sam
):
    pages = [_client(m.learner).get(lesson.url).content.decode() for m in (robin, sam)]
    for html in pages:
        assert f'href="{_url(lesson)}"' in html
        assert "Write your thoughts down" in html
        assert "Nothing you think here is saved or shared." not in html
    # The lesson body is cached and shared: nothing of one learner is in it.
    bodies = [
        html[html.index('<div class="lesson-body">') : html.index("</article>")]
        for html in pages
    ]
    assert "Robin" not in bodies[0]
    assert "Sam" not in bodies[1]


def test_a_signed_in_learner_keeps_a_reflection_for_themselves(lesson, learner):
    client = _client(learner)
    page = client.get(_url(lesson)).content.decode()
    assert PROMPT in page
    assert "There is no right answer." in page
    assert "Keep it private" in page
    assert "Share it with my circle" not in page

    response = _send(client, lesson, "keep", "My aunt, on the bus.")
    assert response.status_code == 302
    kept = PrivateReflection.objects.get()
    assert (kept.learner, kept.lesson_id, kept.block_id) == (
        learner,
        lesson.pk,
        BLOCK_ID,
    )
    assert kept.text == "My aunt, on the bus."
    assert "My aunt, on the bus." in client.get(_url(lesson)).content.decode()
    assert not Post.objects.exists()

    client.post(_url(lesson), {"action": "delete"})
    assert not PrivateReflection.objects.exists()


def test_an_empty_box_is_refused_kindly(lesson, learner):
    response = _send(_client(learner), lesson, "keep", "   ")
    assert response.status_code == 200
    assert "There is nothing to keep yet" in response.content.decode()


def test_signed_out_visitors_are_asked_to_log_in(client, lesson):
    response = client.get(_url(lesson))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_only_a_reflection_prompt_of_a_live_lesson_has_a_page(lesson, learner):
    client = _client(learner)
    assert client.get(_url(lesson, "text-1")).status_code == 404
    assert client.get(_url(lesson, "no-such-block")).status_code == 404
    lesson.unpublish()
    assert client.get(_url(lesson)).status_code == 404


def test_a_member_shares_a_reflection_with_their_circle(lesson, robin, sam):
    client = _client(robin.learner)
    page = client.get(_url(lesson)).content.decode()
    assert "Share it with my circle" in page

    response = _send(
        client, lesson, "share", "My sister, last spring.", content_note="family"
    )
    followed = client.get(response["Location"]).content.decode()
    assert "A trainer reads it first" in followed
    post = Post.objects.get()
    assert (post.author, post.text, post.content_note) == (
        robin,
        "My sister, last spring.",
        "family",
    )
    assert (post.lesson_id, post.prompt) == (lesson.pk, PROMPT)
    assert not PrivateReflection.objects.exists()

    services.approve(contribution=post, trainer=None)
    feed = _client(sam.learner).get(reverse("peers:circle", args=[robin.circle_id]))
    assert PROMPT in feed.content.decode()


def test_sharing_twice_by_pressing_twice_shares_once(lesson, robin):
    client = _client(robin.learner)
    data = {"action": "share", "text": "Once.", "token": str(uuid.uuid4())}
    client.post(_url(lesson), data)
    client.post(_url(lesson), data)
    assert Post.objects.count() == 1


def test_a_learner_of_the_cohort_is_offered_to_join_before_sharing(lesson, circle):
    learner = UserFactory(username="newcomer")
    add_learners_to_cohort(cohort=circle.cohort, usernames=["newcomer"])
    client = _client(learner)

    page = client.get(_url(lesson)).content.decode()
    assert reverse("peers:join", args=[circle.pk]) in page
    assert "Share it with my circle" not in page

    response = _send(client, lesson, "share", "Words to keep.")
    assert response.status_code == 200
    assert "please join your circle first" in response.content.decode()
    assert "Words to keep." in response.content.decode()
    assert not Post.objects.exists()


def test_a_learner_outside_any_circle_cannot_share(lesson, learner):
    response = _send(_client(learner), lesson, "share", "Words.")
    assert response.status_code == 200
    assert not Post.objects.exists()


def test_self_harm_words_show_support_before_sharing_but_not_before_keeping(
    lesson, robin, support_settings
):
    client = _client(robin.learner)
    text = "I have thought about ending my life."

    response = _send(client, lesson, "share", text)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="support-step"' in html
    assert text in html
    assert not Post.objects.exists()

    _send(client, lesson, "share", text, support_seen="1")
    assert Post.objects.get().text == text

    assert _send(client, lesson, "keep", text).status_code == 302
    assert PrivateReflection.objects.get().text == text


def test_in_a_closed_circle_a_reflection_is_kept_not_shared(
    lesson, circle, robin, trainer
):
    services.close_circle(circle=circle, trainer=trainer)
    client = _client(robin.learner)
    page = client.get(_url(lesson)).content.decode()
    assert "Share it with my circle" not in page
    assert "closed" in page

    response = _send(client, lesson, "share", "Late thoughts.")
    assert response.status_code == 200
    assert "Late thoughts." in response.content.decode()
    assert not Post.objects.exists()


def test_the_reflection_page_is_never_kept_by_the_browser(lesson, learner):
    response = _client(learner).get(_url(lesson))
    assert "no-store" in response["Cache-Control"]
