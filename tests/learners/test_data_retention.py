"""purge_inactive: unused accounts are warned by e-mail, then erased; staff never."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate
from tests.certificates.issuing import certified, make_course
from tests.factories import UserFactory

User = get_user_model()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


def last_signed_in(user, days_ago: int):
    moment = timezone.now() - timedelta(days=days_ago)
    User.objects.filter(pk=user.pk).update(last_login=moment)
    user.refresh_from_db()
    return user


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_inactive", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def accounts(db):
    return {
        "silent": last_signed_in(UserFactory(username="silent-owl"), 400),
        "mailable": last_signed_in(
            UserFactory(username="far-lark", email="lark@example.org"), 400
        ),
        "active": last_signed_in(UserFactory(username="busy-wren"), 3),
        "staff": last_signed_in(
            UserFactory(username="old-trainer", is_staff=True), 900
        ),
        "admin": last_signed_in(
            UserFactory(username="old-admin", is_superuser=True), 900
        ),
    }


def test_a_dry_run_lists_by_id_and_date_and_changes_nothing(accounts):
    output = purge("--days", "365")
    silent, mailable = accounts["silent"], accounts["mailable"]
    assert f"would erase user {silent.pk} (last sign-in " in output
    assert f"would warn user {mailable.pk} (last sign-in " in output
    assert str(timezone.localdate(silent.last_login)) in output
    for user in accounts.values():
        assert user.username not in output
    assert f"user {accounts['active'].pk} " not in output
    assert User.objects.count() == 5
    assert mail.outbox == []
    assert User.objects.get(pk=mailable.pk).inactivity_warned_at is None


def test_acting_warns_those_with_an_address_and_erases_the_rest(accounts):
    output = purge("--days", "365", "--yes")
    assert not User.objects.filter(pk=accounts["silent"].pk).exists()
    for kept in ("mailable", "active", "staff", "admin"):
        assert User.objects.filter(pk=accounts[kept].pk).exists()
    assert "far-lark" not in output and "silent-owl" not in output

    (message,) = mail.outbox
    assert message.subject == "Your Circles account"
    assert message.to == ["lark@example.org"]
    assert "sign in within 30 days" in message.body
    assert "far-lark" not in message.body
    assert User.objects.get(pk=accounts["mailable"].pk).inactivity_warned_at


def test_a_warned_account_is_erased_only_after_the_grace_period(accounts):
    mailable = accounts["mailable"]
    purge("--days", "365", "--yes")
    purge("--days", "365", "--yes")
    assert User.objects.filter(pk=mailable.pk).exists()
    assert len(mail.outbox) == 1  # not warned twice

    User.objects.filter(pk=mailable.pk).update(
        inactivity_warned_at=timezone.now() - timedelta(days=31)
    )
    purge("--days", "365", "--yes")
    assert not User.objects.filter(pk=mailable.pk).exists()


def test_signing_in_after_the_warning_keeps_the_account(accounts):
    mailable = accounts["mailable"]
    purge("--days", "365", "--yes")
    User.objects.filter(pk=mailable.pk).update(
        inactivity_warned_at=timezone.now() - timedelta(days=40)
    )
    last_signed_in(mailable, 20)
    purge("--days", "365", "--yes")
    assert User.objects.filter(pk=mailable.pk).exists()
    # A year on, unused again since that sign-in: warned afresh, not erased.
    User.objects.filter(pk=mailable.pk).update(
        inactivity_warned_at=timezone.now() - timedelta(days=420)
    )
    last_signed_in(mailable, 400)
    purge("--days", "365", "--yes")
    assert User.objects.filter(pk=mailable.pk).exists()
    assert len(mail.outbox) == 2


def test_purging_goes_through_the_erasure_service(course_index):
    certificate = certified(make_course(course_index))
    learner = last_signed_in(certificate.learner, 400)
    purge("--days", "365", "--yes")
    assert not User.objects.filter(pk=learner.pk).exists()
    kept = Certificate.objects.get(pk=certificate.pk)
    assert kept.learner_id is None
    assert kept.status == Certificate.Status.VALID
    assert not kept.pdf
