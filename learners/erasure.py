"""Erase a learner: the one way an account is deleted, whoever asks.

The learner on /learn/data/erase/, a trainer or admin deleting a user in the
Wagtail admin, and ``manage.py purge_inactive`` all come here. Everything
held about the person goes: the account, e-mail addresses, enrolments and
cohort places, steps done and skipped, quiz attempts and answers, hidden
announcements, data downloads, certificate PDFs and check records, the
admin's log entries about the account, and everything in practice circles.
Circles go by cascade from the account: memberships, posts with the replies
to them, replies, acknowledgements, reports, practice pairs with their
feedback, and private reflections; the circle's moderation log never held
their words and only loses its link to the member. Certificates themselves
stay, as certificates are never deleted: each current one is either kept
verifiable (printed name, course title, hours and dates, detached from any
account) or withdrawn at the holder's request (no name, revocation bit set);
replaced ones lose their printed names.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.services import delete_certificate_files, release_certificates

from .models import DataExport


@dataclass(frozen=True)
class ErasureOutcome:
    """What an erasure did, in counts only: nothing here names the person."""

    certificates_kept: int
    certificates_withdrawn: int
    files_deleted: int


def certificates_to_choose(*, learner) -> list[Certificate]:
    """The learner's current certificates: each needs a keep-or-withdraw choice."""
    return list(
        Certificate.objects.filter(learner=learner, replaced_at__isnull=True).order_by(
            "issued_at", "pk"
        )
    )


def erase_learner(*, learner, withdraw: Collection[int] = ()) -> ErasureOutcome:
    """Erase the learner and everything held about them; certificates as chosen.

    ``withdraw`` holds the ids of current certificates to withdraw; every
    other current certificate stays verifiable. Files are deleted once the
    rows are gone, so a failure midway leaves the account whole.
    """
    with transaction.atomic():
        released = release_certificates(learner=learner, withdraw=withdraw)
        files = _files_of(learner)
        _forget_admin_records(learner)
        learner.delete()
    delete_certificate_files(released.pdf_names)
    for storage, name in files:
        storage.delete(name)
    return ErasureOutcome(
        certificates_kept=released.kept,
        certificates_withdrawn=released.withdrawn,
        files_deleted=len(released.pdf_names) + len(files),
    )


# --- Retention ----------------------------------------------------------------


@dataclass(frozen=True)
class RetentionPlan:
    """Who purge_inactive would warn now and who it would erase, oldest first."""

    warn: tuple
    erase: tuple


def last_seen(user) -> datetime:
    """The last sign-in, or when the account was made if never signed in."""
    return user.last_login or user.date_joined


def inactive_accounts(*, days: int, now: datetime | None = None):
    """Learners with no sign-in for `days` days; staff and superusers never."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return (
        get_user_model()
        .objects.filter(is_staff=False, is_superuser=False)
        .filter(
            Q(last_login__lt=cutoff)
            | Q(last_login__isnull=True, date_joined__lt=cutoff)
        )
        .order_by("pk")
    )


def retention_plan(
    *, days: int, grace_days: int, now: datetime | None = None
) -> RetentionPlan:
    """Decide, for each inactive account, to warn it, erase it, or wait.

    Accounts with an e-mail address are warned first and erased only when
    the warning is at least `grace_days` old and they have not signed in
    since; accounts without one cannot be warned and are erased.
    """
    now = now or timezone.now()
    warn, erase = [], []
    for user in inactive_accounts(days=days, now=now):
        warned = user.inactivity_warned_at
        if not user.email:
            erase.append(user)
        elif warned is None or warned < last_seen(user):
            warn.append(user)
        elif warned <= now - timedelta(days=grace_days):
            erase.append(user)
    return RetentionPlan(warn=tuple(warn), erase=tuple(erase))


WARNING_SUBJECT = _("Your Circles account")
WARNING_BODY = _(
    "Hello,\n\n"
    "You have not signed in to Circles for a while. To keep your account, "
    "please sign in within %(grace_days)d days:\n\n%(url)s\n\n"
    "If you do not, your account and what it holds will be erased. "
    "Certificates you were given can still be checked with their codes.\n\n"
    "If you are happy for your account to go, you do not need to do anything."
)


def warn_of_erasure(*, user, grace_days: int) -> bool:
    """E-mail a neutral warning that the account will be erased; record when.

    The e-mail names no course and carries only a link to the sign-in page.
    Returns False when the message could not be sent (nothing is recorded).
    """
    url = settings.SITE_URL.rstrip("/") + reverse("account_login")
    sent = send_mail(
        subject=str(WARNING_SUBJECT),
        message=str(WARNING_BODY) % {"grace_days": grace_days, "url": url},
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )
    if not sent:
        return False
    get_user_model().objects.filter(pk=user.pk).update(
        inactivity_warned_at=timezone.now()
    )
    return True


def _files_of(learner) -> list[tuple]:
    """Stored files that go with the account, as (storage, name) pairs."""
    files = [
        (export.file.storage, export.file.name)
        for export in DataExport.objects.filter(learner=learner)
        if export.file
    ]
    profile = getattr(learner, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        files.append((profile.avatar.storage, profile.avatar.name))
    return files


def _forget_admin_records(learner) -> None:
    """Remove what Wagtail keeps outside the models' own cascades.

    Log entries about the account carry its username as their label; entries
    the person made point at them by a column without a database constraint,
    so deleting the user would leave the id behind.
    """
    user_model = get_user_model()
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user_model, False),
        object_id=str(learner.pk),
    ).delete()
    for model, field in _unconstrained_user_fields(user_model):
        model._base_manager.filter(**{field.name: learner.pk}).update(
            **{field.name: None}
        )


def _unconstrained_user_fields(user_model):
    """Nullable foreign keys to users that the database leaves dangling on delete."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is user_model
                and field.remote_field.on_delete is models.DO_NOTHING
                and field.null
            ):
                yield model, field
