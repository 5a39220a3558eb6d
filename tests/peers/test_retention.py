"""Closed circles are deleted after trainers are warned, never before."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from courses.models import Cohort
from peers import services
from peers.models import (
    Circle,
    Member,
    ModerationEvent,
    Post,
    PracticeFeedback,
    PracticePair,
    Reply,
)
from peers.retention import (
    RetentionOutcome,
    email_deletion_warning,
    warn_and_delete_closed_circles,
)
from tests.factories import UserFactory

CLOSED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
POST_TEXT = "A very particular sentence about my week."


def days_after_closing(days: int) -> datetime:
    return CLOSED + timedelta(days=days)


@pytest.fixture
def moderator(trainers_group):
    """A trainer: moderating circles and reading learner data, as the admin needs."""
    user = UserFactory(username="moderator", email="mod@example.org", is_staff=True)
    user.groups.add(trainers_group)
    return user


@pytest.fixture
def closed_circle(circle, robin, sam, trainer):
    """A circle with a post, a reply, a pair and feedback, closed on CLOSED."""
    post = services.share_post(member=robin, text=POST_TEXT).contribution
    services.approve(contribution=post, trainer=trainer)
    services.reply_to(post=post, member=sam, text="Thank you for this.")
    pair = services.make_pair(
        circle=circle, first=robin, second=sam, scenario="Privacy", trainer=trainer
    )
    services.give_feedback(
        pair=pair, member=sam, what_helped="Calm voice.", one_thing_to_try="Pause."
    )
    services.close_circle(circle=circle, trainer=trainer)
    Circle.objects.filter(pk=circle.pk).update(closed_at=CLOSED)
    circle.refresh_from_db()
    return circle


def run(days: int, capture):
    with capture(execute=True):
        return warn_and_delete_closed_circles(now=days_after_closing(days))


def test_trainers_are_warned_once_fourteen_days_before(
    closed_circle, moderator, django_capture_on_commit_callbacks
):
    assert run(75, django_capture_on_commit_callbacks).warned == ()
    assert mail.outbox == []

    outcome = run(76, django_capture_on_commit_callbacks)

    assert outcome.warned == (closed_circle.pk,)
    assert outcome.deleted == ()
    closed_circle.refresh_from_db()
    assert closed_circle.deletion_warned_at == days_after_closing(76)
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.DELETION_WARNED)
    assert event.actor is None
    assert "10 April 2026" in event.note
    [email] = mail.outbox
    assert email.to == ["mod@example.org"]
    assert email.subject == "Circles: a practice circle will be deleted"
    assert "10 April 2026" in email.body
    assert "http://testserver/admin/" in email.body
    assert "Spring group" in email.body

    assert run(77, django_capture_on_commit_callbacks).warned == ()
    assert len(mail.outbox) == 1
    assert ModerationEvent.objects.filter(action="deletion_warned").count() == 1


def test_the_warning_carries_nothing_members_wrote_nor_their_names(
    closed_circle, moderator, django_capture_on_commit_callbacks
):
    run(76, django_capture_on_commit_callbacks)

    [email] = mail.outbox
    for private in (POST_TEXT, "Thank you", "Calm voice", "Robin", "Sam", "user-"):
        assert private not in email.subject + email.body


def test_only_active_staff_who_moderate_and_have_an_address_are_emailed(
    closed_circle, moderator, django_capture_on_commit_callbacks
):
    permission = Permission.objects.get(codename="moderate_circle")
    no_address = UserFactory(username="no-address", is_staff=True)
    not_staff = UserFactory(username="not-staff", email="learner@example.org")
    gone = UserFactory(
        username="gone", email="gone@example.org", is_staff=True, is_active=False
    )
    # Moderating alone, without learner data, opens no circle: no e-mail either.
    circles_only = UserFactory(
        username="circles-only", email="circles@example.org", is_staff=True
    )
    for user in (no_address, not_staff, gone, circles_only):
        user.user_permissions.add(permission)
    for user in (no_address, not_staff, gone):
        user.user_permissions.add(
            Permission.objects.get(codename="view_learner_progress")
        )
    UserFactory(username="editor", email="editor@example.org", is_staff=True)
    UserFactory(
        username="admin", email="admin@example.org", is_staff=True, is_superuser=True
    )

    run(76, django_capture_on_commit_callbacks)

    assert sorted(e.to[0] for e in mail.outbox) == [
        "admin@example.org",
        "mod@example.org",
    ]


def test_a_circle_is_deleted_with_everything_in_it_when_its_time_comes(
    closed_circle, moderator, django_capture_on_commit_callbacks
):
    cohort = closed_circle.cohort
    run(76, django_capture_on_commit_callbacks)

    assert run(89, django_capture_on_commit_callbacks).deleted == ()
    assert Circle.objects.filter(pk=closed_circle.pk).exists()

    outcome = run(90, django_capture_on_commit_callbacks)

    assert outcome.deleted == (closed_circle.pk,)
    assert not Circle.objects.filter(pk=closed_circle.pk).exists()
    for model in (Member, Post, Reply, PracticePair, PracticeFeedback, ModerationEvent):
        assert not model.objects.exists(), model
    assert Cohort.objects.filter(pk=cohort.pk).exists()


def test_when_the_job_ran_late_the_deletion_waits_for_the_warning(
    closed_circle, moderator, django_capture_on_commit_callbacks
):
    outcome = run(200, django_capture_on_commit_callbacks)

    assert outcome == RetentionOutcome(warned=(closed_circle.pk,), deleted=())
    assert "12 August 2026" in mail.outbox[0].body  # 200 + 14 days after closing
    assert run(213, django_capture_on_commit_callbacks).deleted == ()
    assert run(214, django_capture_on_commit_callbacks).deleted == (closed_circle.pk,)


def test_reopening_keeps_the_circle_and_closing_again_starts_the_clock_again(
    closed_circle, moderator, trainer, django_capture_on_commit_callbacks
):
    run(76, django_capture_on_commit_callbacks)
    services.reopen_circle(circle=closed_circle, trainer=trainer)

    assert run(120, django_capture_on_commit_callbacks).deleted == ()
    assert Circle.objects.filter(pk=closed_circle.pk).exists()

    services.close_circle(circle=closed_circle, trainer=trainer)
    Circle.objects.filter(pk=closed_circle.pk).update(closed_at=days_after_closing(120))
    assert run(120 + 90, django_capture_on_commit_callbacks) == RetentionOutcome(
        warned=(closed_circle.pk,), deleted=()
    )


def test_a_warning_from_before_the_last_closing_does_not_count(
    closed_circle, moderator, django_capture_on_commit_callbacks
):
    Circle.objects.filter(pk=closed_circle.pk).update(
        deletion_warned_at=CLOSED - timedelta(days=30)
    )

    outcome = run(100, django_capture_on_commit_callbacks)

    assert outcome.deleted == ()
    assert outcome.warned == (closed_circle.pk,)


def test_open_circles_are_never_touched(
    circle, robin, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = warn_and_delete_closed_circles(
            now=datetime.now(tz=UTC) + timedelta(days=1000)
        )
    assert (outcome.warned, outcome.deleted) == ((), ())
    assert Member.objects.filter(pk=robin.pk).exists()
    assert mail.outbox == []


@override_settings(PEERS_CLOSED_CIRCLE_DAYS=30, PEERS_DELETION_WARNING_DAYS=7)
def test_the_days_are_settings(
    closed_circle, moderator, django_capture_on_commit_callbacks
):
    assert run(22, django_capture_on_commit_callbacks).warned == ()
    assert run(23, django_capture_on_commit_callbacks).warned == (closed_circle.pk,)
    assert run(29, django_capture_on_commit_callbacks).deleted == ()
    assert run(30, django_capture_on_commit_callbacks).deleted == (closed_circle.pk,)


def test_a_warning_is_not_emailed_for_a_circle_reopened_meanwhile(
    closed_circle, moderator, trainer, django_capture_on_commit_callbacks
):
    run(76, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    services.reopen_circle(circle=closed_circle, trainer=trainer)

    assert not email_deletion_warning(circle_id=closed_circle.pk, user_id=moderator.pk)
    assert mail.outbox == []


def test_the_warning_is_in_the_moderators_language(
    closed_circle, moderator, django_capture_on_commit_callbacks
):
    from wagtail.users.models import UserProfile

    UserProfile.get_for_user(moderator)
    UserProfile.objects.filter(user=moderator).update(preferred_language="es")

    run(76, django_capture_on_commit_callbacks)

    [email] = mail.outbox
    assert "abril" in email.body


def test_the_command_runs_the_job_and_names_circles_by_id_only(
    closed_circle, moderator, django_capture_on_commit_callbacks
):
    Circle.objects.filter(pk=closed_circle.pk).update(
        closed_at=datetime.now(tz=UTC) - timedelta(days=80)
    )
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_closed_circles", stdout=out)

    assert out.getvalue().splitlines() == [
        f"warned of circle {closed_circle.pk}",
        "Warned of 1, deleted 0.",
    ]
    assert len(mail.outbox) == 1
