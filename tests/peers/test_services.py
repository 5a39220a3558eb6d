"""The circle's rules, as its members and trainers meet them."""

import pytest
from django.db import IntegrityError
from django.utils import timezone

from peers import selectors, services
from peers.models import (
    Acknowledgement,
    Circle,
    ModerationEvent,
    Post,
    PrivateReflection,
    Reply,
    Report,
)
from tests.factories import UserFactory


def _approved(member, text="What helped me was a walk."):
    post = services.share_post(member=member, text=text).contribution
    services.approve(contribution=post, trainer=None)
    post.refresh_from_db()
    return post


def test_every_new_cohort_has_a_premoderated_circle(cohort):
    assert cohort.circle.moderation == Circle.Moderation.BEFORE
    assert services.circle_for(cohort) == cohort.circle


def test_a_waiting_post_is_seen_by_its_author_only_until_approved(robin, sam):
    shared = services.share_post(member=robin, text="What helped me was a walk.")
    assert shared.waiting
    assert [v.post for v in selectors.circle_feed(robin)] == [shared.contribution]
    assert selectors.circle_feed(sam) == []

    services.approve(contribution=shared.contribution, trainer=None)

    assert [v.post.text for v in selectors.circle_feed(sam)] == [
        "What helped me was a walk."
    ]


def test_in_a_post_moderated_circle_posts_show_at_once(circle, robin, sam):
    circle.moderation = Circle.Moderation.AFTER
    circle.save()
    robin.circle.refresh_from_db()
    assert not services.share_post(member=robin, text="Hello all.").waiting
    assert len(selectors.circle_feed(sam)) == 1


def test_an_edited_post_waits_again_where_posts_are_premoderated(robin, sam):
    post = _approved(robin)
    services.edit_post(
        post=post, member=robin, text="Changed my mind.", content_note=""
    )
    assert Post.objects.get().status == Post.Status.WAITING
    assert selectors.circle_feed(sam) == []


def test_only_the_author_can_edit_or_withdraw(robin, sam):
    post = _approved(robin)
    with pytest.raises(services.CircleRefusal):
        services.edit_post(post=post, member=sam, text="Mine now", content_note="")
    with pytest.raises(services.CircleRefusal):
        services.withdraw_post(post=post, member=sam)
    assert Post.objects.get().text == "What helped me was a walk."


def test_a_withdrawn_post_is_deleted_with_its_replies_and_responses(robin, sam):
    post = _approved(robin)
    reply = services.reply_to(post=post, member=sam, text="Thank you.").contribution
    services.set_acknowledgement(post=post, member=sam, kind="hear_you", on=True)
    services.report(member=sam, post=post, reason="other")

    services.withdraw_post(post=post, member=robin)

    assert not Post.objects.exists()
    assert not Reply.objects.filter(pk=reply.pk).exists()
    assert not Acknowledgement.objects.exists()
    assert not Report.objects.exists()


def test_circle_names_are_unique_as_the_eye_reads_them(make_member, circle):
    make_member("Robin")
    user = UserFactory(username="another")
    with pytest.raises(services.CircleRefusal):
        services.join_circle(circle=circle, learner=user, circle_name="R\u043ebin")


def test_a_circle_name_cannot_be_the_username(circle):
    user = UserFactory(username="quietriver")
    with pytest.raises(services.CircleRefusal) as refusal:
        services.join_circle(circle=circle, learner=user, circle_name="QuietRiver")
    assert "username" in str(refusal.value.message)


def test_joining_twice_keeps_the_first_name(circle, robin):
    again = services.join_circle(
        circle=circle, learner=robin.learner, circle_name="Other"
    )
    assert again == robin
    assert again.circle_name == "Robin"


def test_acknowledgements_are_given_once_and_taken_back(robin, sam):
    post = _approved(robin)
    for _ in range(2):
        services.set_acknowledgement(post=post, member=sam, kind="me_too", on=True)
    assert Acknowledgement.objects.count() == 1
    services.set_acknowledgement(post=post, member=sam, kind="me_too", on=False)
    assert not Acknowledgement.objects.exists()
    with pytest.raises(services.CircleRefusal):
        services.set_acknowledgement(post=post, member=sam, kind="like", on=True)


def test_reporting_twice_keeps_one_report(robin, sam):
    post = _approved(robin)
    first = services.report(member=sam, post=post, reason="unkind")
    again = services.report(member=sam, post=post, reason="other")
    assert first == again
    assert Report.objects.get().reason == "unkind"


def test_hiding_needs_a_note_and_is_logged(robin, trainer):
    post = _approved(robin)
    with pytest.raises(services.CircleRefusal):
        services.hide(contribution=post, trainer=trainer, note="  ")
    services.hide(contribution=post, trainer=trainer, note="Please leave out names.")
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    assert post.hidden_note == "Please leave out names."
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.HIDDEN)
    assert (event.actor, event.subject, event.member) == (trainer, str(post), robin)

    services.approve(contribution=post, trainer=trainer)
    assert ModerationEvent.objects.filter(
        action=ModerationEvent.Action.RESTORED, subject=str(post)
    ).exists()


def test_the_log_never_copies_what_was_written(robin, trainer):
    post = _approved(robin, text="A very particular sentence.")
    services.hide(contribution=post, trainer=trainer, note="A kind note.")
    for event in ModerationEvent.objects.all():
        assert "particular" not in f"{event.subject} {event.note}"


def test_a_removed_member_no_longer_sees_the_circle(circle, robin, trainer):
    services.remove_member(member=robin, trainer=trainer, note="")
    assert selectors.membership(learner=robin.learner, circle_id=circle.pk) is None
    services.return_member(member=robin, trainer=trainer)
    assert selectors.membership(learner=robin.learner, circle_id=circle.pk) == robin


def test_a_closed_circle_takes_nothing_new_but_lets_authors_withdraw(
    circle, robin, sam, trainer
):
    post = _approved(robin)
    services.close_circle(circle=circle, trainer=trainer)
    robin.circle.refresh_from_db()
    post.circle.refresh_from_db()
    with pytest.raises(services.CircleRefusal):
        services.share_post(member=robin, text="One more.")
    with pytest.raises(services.CircleRefusal):
        services.reply_to(post=post, member=sam, text="Reply.")
    with pytest.raises(services.CircleRefusal):
        services.set_acknowledgement(post=post, member=sam, kind="me_too", on=True)
    services.edit_post(post=post, member=robin, text="Later.", content_note="")
    services.withdraw_post(post=post, member=robin)
    assert not Post.objects.exists()


def test_settings_changes_are_logged_and_hosts_tidied(circle, trainer):
    changed = services.change_settings(
        circle=circle,
        trainer=trainer,
        moderation="after",
        learners_can_pair=True,
        allowed_hosts="https://www.Example.org/help\nexample.org\n",
    )
    assert changed
    assert circle.host_list() == ["example.org"]
    assert not services.change_settings(
        circle=circle,
        trainer=trainer,
        moderation="after",
        learners_can_pair=True,
        allowed_hosts="example.org",
    )
    assert ModerationEvent.objects.filter(action="settings").count() == 1


def test_members_pair_only_where_the_trainer_allows(circle, robin, sam):
    with pytest.raises(services.CircleRefusal):
        services.make_pair(
            circle=circle, first=robin, second=sam, scenario="Privacy", invited_by=robin
        )
    circle.learners_can_pair = True
    circle.save()
    pair = services.make_pair(
        circle=circle, first=robin, second=sam, scenario="Privacy", invited_by=robin
    )
    assert pair.made_by == robin.learner


def test_trainers_see_pair_feedback_only_when_both_agree(circle, robin, sam, trainer):
    pair = services.make_pair(
        circle=circle, first=robin, second=sam, scenario="Privacy", trainer=trainer
    )
    services.give_feedback(
        pair=pair, member=robin, what_helped="Calm voice.", one_thing_to_try="Pause."
    )
    services.share_pair_with_trainers(pair=pair, member=robin, agree=True)
    pair.refresh_from_db()
    assert not pair.shared_with_trainers
    services.share_pair_with_trainers(pair=pair, member=sam, agree=True)
    pair.refresh_from_db()
    assert pair.shared_with_trainers


def test_only_the_pair_gives_feedback(circle, robin, sam, make_member, trainer):
    ali = make_member("Ali")
    pair = services.make_pair(
        circle=circle, first=robin, second=sam, scenario="Privacy", trainer=trainer
    )
    with pytest.raises(services.CircleRefusal):
        services.give_feedback(
            pair=pair, member=ali, what_helped="x", one_thing_to_try="y"
        )


def test_private_reflections_are_kept_once_per_prompt(learner, course):
    from courses.outline import course_outline

    lesson = course_outline(course).steps[0]
    from wagtail.models import Page

    page = Page.objects.get(pk=lesson.id)
    for text in ("First thoughts.", "Second thoughts."):
        services.save_private_reflection(
            learner=learner, lesson=page, block_id="abc", text=text
        )
    assert PrivateReflection.objects.get().text == "Second thoughts."
    services.delete_private_reflection(learner=learner, lesson=page, block_id="abc")
    assert not PrivateReflection.objects.exists()


def test_text_over_the_limit_is_refused_with_the_count(robin):
    with pytest.raises(services.CircleRefusal) as refusal:
        services.share_post(member=robin, text="x" * 4001)
    assert "4001" in str(refusal.value.message)
    assert not Post.objects.exists()


def test_a_pair_is_two_different_members_in_the_database_too(circle, robin):
    from peers.models import PracticePair

    with pytest.raises(IntegrityError):
        PracticePair.objects.create(
            circle=circle, first=robin, second=robin, scenario="x"
        )


def test_closing_twice_logs_once(circle, trainer):
    services.close_circle(circle=circle, trainer=trainer)
    services.close_circle(circle=circle, trainer=trainer)
    assert ModerationEvent.objects.filter(action="closed").count() == 1
    assert circle.closed_at <= timezone.now()


@pytest.mark.parametrize("hosts", ["com", "*", "user@evil.com", "exa mple.org"])
def test_allowed_sites_must_be_site_names(circle, trainer, hosts):
    with pytest.raises(services.CircleRefusal):
        services.change_settings(
            circle=circle,
            trainer=trainer,
            moderation="before",
            learners_can_pair=False,
            allowed_hosts=f"example.org\n{hosts}",
        )
    circle.refresh_from_db()
    assert circle.allowed_hosts == ""
