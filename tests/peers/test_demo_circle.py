"""The demo's practice circle as `manage.py seed_demo` builds it, twice or once."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from courses.models import Cohort, Enrolment
from peers import selectors
from peers.demo import CIRCLE_NAMES, PAIR_SCENARIO
from peers.models import (
    Acknowledgement,
    Circle,
    Member,
    ModerationEvent,
    Post,
    PracticeFeedback,
    PracticePair,
    Reply,
)

User = get_user_model()


def demo_circle() -> Circle:
    return Circle.objects.get(cohort__name="Spring group")


def test_the_spring_group_has_a_small_circle_under_circle_names(demo):
    circle = demo_circle()
    members = {m.learner.username: m for m in circle.members.select_related("learner")}
    assert {u: m.circle_name for u, m in members.items()} == CIRCLE_NAMES
    for username, member in members.items():
        assert member.circle_name.casefold() != username.casefold()
        assert member.learner.email == ""
        assert selectors.membership(learner=member.learner, circle_id=circle.pk)
    cohort = Cohort.objects.get(name="Spring group")
    enrolled = set(cohort.enrolments.values_list("learner__username", flat=True))
    assert enrolled == set(CIRCLE_NAMES)


def test_the_circle_has_shared_posts_a_waiting_one_replies_and_responses(demo):
    circle = demo_circle()
    posts = list(circle.posts.select_related("author", "lesson"))
    shared = [p for p in posts if p.status == Post.Status.PUBLISHED]
    waiting = [p for p in posts if p.status == Post.Status.WAITING]
    assert len(shared) == 3 and len(waiting) == 1
    assert waiting[0].author.circle_name == "Noor"
    assert [p.content_note for p in shared if p.content_note] == [
        "Mentions old memories coming back during a session"
    ]
    for post in posts:
        assert post.text.endswith("(An invented example, written for the demo.)")
        assert post.lesson is not None and post.prompt
    assert Reply.objects.filter(post__circle=circle, status="published").count() >= 2
    assert Acknowledgement.objects.filter(post__circle=circle).count() >= 3
    # The trainer approved them, and the log says so.
    approved = ModerationEvent.objects.filter(
        circle=circle, action=ModerationEvent.Action.APPROVED
    )
    assert set(approved.values_list("actor__username", flat=True)) == {"trainer"}

    # Members see the shared posts; the waiting one only its author.
    robin = Member.objects.get(circle=circle, circle_name="Robin")
    noor = Member.objects.get(circle=circle, circle_name="Noor")
    assert len(selectors.circle_feed(robin)) == 3
    assert len(selectors.circle_feed(noor)) == 4


def test_the_trainer_paired_two_members_for_the_privacy_script(demo):
    circle = demo_circle()
    [pair] = PracticePair.objects.filter(circle=circle).select_related(
        "first", "second", "scenario_page", "made_by"
    )
    assert pair.scenario == PAIR_SCENARIO
    assert pair.scenario.startswith("Practise the privacy script")
    assert pair.scenario_page.title == "Saying no with care"
    assert pair.made_by.username == "trainer"
    assert {pair.first.circle_name, pair.second.circle_name} == {"Robin", "Ali"}
    [feedback] = PracticeFeedback.objects.filter(pair=pair).select_related("author")
    assert feedback.author.circle_name == "Ali"
    # The demo learner (Robin) sees the pair and Ali's feedback for them.
    robin = Member.objects.get(circle=circle, learner__username="learner")
    assert selectors.pairs_for_member(robin) == [pair]
    assert set(selectors.pair_feedback(pair)) == {feedback.author_id}


def test_the_other_members_sign_in_with_the_documented_password(demo, client):
    for username in ("learner2", "learner3", "learner4"):
        assert client.login(username=username, password="circles-peer-demo")
        client.logout()


def counts() -> dict[str, int]:
    models = (
        User,
        Enrolment,
        Cohort,
        Circle,
        Member,
        Post,
        Reply,
        Acknowledgement,
        PracticePair,
        PracticeFeedback,
        ModerationEvent,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_seeding_twice_changes_nothing_in_the_circle(demo):
    before = counts()
    statuses = sorted(Post.objects.values_list("pk", "status"))
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert sorted(Post.objects.values_list("pk", "status")) == statuses
    assert "Practice circle: 4 members, 1 waiting for approval" in out.getvalue()
    assert "peer     learner2 / circles-peer-demo" in out.getvalue()
