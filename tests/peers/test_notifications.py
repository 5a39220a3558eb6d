"""Who hears from a circle by e-mail, how often, and in which language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from wagtail.users.models import UserProfile

from peers import services
from peers.models import Member


@pytest.fixture
def member_who_asked(make_member):
    def member(name: str, *, email: str | None = None, wants_email=True) -> Member:
        made = make_member(
            name, email=f"{name.lower()}@example.org" if email is None else email
        )
        made.wants_email = wants_email
        made.save()
        return made

    return member


@pytest.fixture
def shared_post(member_who_asked, trainer):
    """Robin's post, shared, with Robin asking for e-mail; the approval's note sent."""
    robin = member_who_asked("Robin")
    post = services.share_post(member=robin, text="What helped me.").contribution
    services.approve(contribution=post, trainer=trainer)
    return post


def reply(post, member, capture, text="Thank you."):
    post.circle.moderation = "after"
    post.circle.save()
    with capture(execute=True):
        return services.reply_to(post=post, member=member, text=text)


def test_a_member_who_asked_gets_a_neutral_note_with_a_link(
    shared_post, make_member, django_capture_on_commit_callbacks
):
    reply(shared_post, make_member("Sam"), django_capture_on_commit_callbacks)

    [email] = mail.outbox
    assert email.to == ["robin@example.org"]
    assert email.subject == "Your Circles update"
    assert "http://testserver/learn/" in email.body


def test_members_who_did_not_ask_or_gave_no_address_get_nothing(
    member_who_asked, make_member, trainer, django_capture_on_commit_callbacks
):
    quiet = member_who_asked("Quiet", wants_email=False)
    no_address = member_who_asked("Nomail", email="")
    sam = make_member("Sam")
    for author in (quiet, no_address):
        post = services.share_post(member=author, text="Mine.").contribution
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(contribution=post, trainer=trainer)
        reply(post, sam, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_member_hears_at_most_once_a_day(
    shared_post, make_member, django_capture_on_commit_callbacks
):
    sam = make_member("Sam")
    Member.objects.update(last_emailed_at=None)

    for text in ("One.", "Two.", "Three."):
        reply(shared_post, sam, django_capture_on_commit_callbacks, text=text)
    assert len(mail.outbox) == 1

    Member.objects.update(last_emailed_at=timezone.now() - timedelta(hours=23))
    reply(shared_post, sam, django_capture_on_commit_callbacks, text="Four.")
    assert len(mail.outbox) == 1

    Member.objects.update(last_emailed_at=timezone.now() - timedelta(hours=25))
    reply(shared_post, sam, django_capture_on_commit_callbacks, text="Five.")
    assert len(mail.outbox) == 2


def test_a_removed_member_gets_nothing(
    shared_post, make_member, trainer, django_capture_on_commit_callbacks
):
    sam = make_member("Sam")
    Member.objects.update(last_emailed_at=None)
    services.remove_member(member=shared_post.author, trainer=trainer)

    reply(shared_post, sam, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_no_one_is_told_of_their_own_doing(
    shared_post, member_who_asked, django_capture_on_commit_callbacks
):
    robin = shared_post.author
    sam = member_who_asked("Sam")
    circle = robin.circle
    circle.learners_can_pair = True
    circle.save()
    Member.objects.update(last_emailed_at=None)

    reply(shared_post, robin, django_capture_on_commit_callbacks)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.make_pair(
            circle=circle, first=robin, second=sam, scenario="Privacy", invited_by=robin
        )
    assert [email.to for email in mail.outbox] == [["sam@example.org"]]


def test_a_write_that_fails_sends_nothing(
    shared_post, make_member, django_capture_on_commit_callbacks
):
    Member.objects.update(last_emailed_at=None)
    shared_post.circle.moderation = "after"
    shared_post.circle.save()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.reply_to(post=shared_post, member=make_member("Sam"), text="Hi.")
            raise RuntimeError("the request failed after the reply")

    assert mail.outbox == []


def test_the_note_is_in_the_members_account_language(
    shared_post, make_member, django_capture_on_commit_callbacks
):
    robin = shared_post.author
    UserProfile.get_for_user(robin.learner)
    UserProfile.objects.filter(user=robin.learner).update(preferred_language="es")
    Member.objects.update(last_emailed_at=None)

    reply(shared_post, make_member("Sam"), django_capture_on_commit_callbacks)

    [email] = mail.outbox
    assert email.subject == "Un aviso de Circles"
