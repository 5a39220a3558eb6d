"""Closed practice circles are deleted, after trainers are warned.

A circle closed for PEERS_CLOSED_CIRCLE_DAYS days is deleted with everything
in it: members, posts, replies, acknowledgements, reports, practice pairs,
feedback and its moderation log. PEERS_DELETION_WARNING_DAYS before that,
trainers are warned once, by a neutral e-mail and a line in the circle's
log. The guarantee: a circle is never deleted less than
PEERS_DELETION_WARNING_DAYS after its warning, so when the job did not run in
time, the deletion moves later rather than coming as a surprise. Reopening a
circle clears its warning (services.reopen_circle).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .models import Circle, ModerationEvent
from .permissions import CirclePermissionPolicy

WARNING_SUBJECT = _("Circles: a practice circle will be deleted")
WARNING_BODY = _(
    "Hello,\n\n"
    "The practice circle of the cohort “%(cohort)s” has been closed for a "
    "while. On %(date)s it will be deleted, with everything in it: its "
    "members' posts, replies and practice feedback, and its moderation log.\n\n"
    "To keep it, reopen the circle in the admin before then:\n%(url)s\n\n"
    "You get this e-mail because you moderate practice circles on Circles."
)


@dataclass(frozen=True)
class RetentionOutcome:
    """The circles warned and deleted in one run, by id only."""

    warned: tuple[int, ...]
    deleted: tuple[int, ...]


def _closed_days() -> timedelta:
    return timedelta(days=settings.PEERS_CLOSED_CIRCLE_DAYS)


def _warning_days() -> timedelta:
    return timedelta(days=settings.PEERS_DELETION_WARNING_DAYS)


def deletion_due(circle: Circle) -> datetime | None:
    """When the circle will be deleted: None while open or not yet warned."""
    if circle.closed_at is None or circle.deletion_warned_at is None:
        return None
    return max(
        circle.closed_at + _closed_days(),
        circle.deletion_warned_at + _warning_days(),
    )


def expected_deletion(circle: Circle, now: datetime | None = None) -> datetime | None:
    """When a closed circle will be deleted, as far as can be said today.

    Once warned, the date is fixed (deletion_due); before that, it is the
    end of the closed period, or a warning's notice from now if that is later.
    """
    if circle.closed_at is None:
        return None
    warned = circle.deletion_warned_at
    if warned is not None and warned >= circle.closed_at:
        return deletion_due(circle)
    now = now or timezone.now()
    return max(circle.closed_at + _closed_days(), now + _warning_days())


def _current_warning() -> Q:
    # A warning given before the circle was last closed does not count.
    return Q(deletion_warned_at__isnull=False, deletion_warned_at__gte=F("closed_at"))


def warn_and_delete_closed_circles(now: datetime | None = None) -> RetentionOutcome:
    """Delete circles whose time has come, then warn those whose time is near."""
    now = now or timezone.now()
    deleted = []
    due = Circle.objects.filter(
        _current_warning(),
        closed_at__lte=now - _closed_days(),
        deletion_warned_at__lte=now - _warning_days(),
    )
    for circle_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # Asked again as it is deleted: a circle reopened meanwhile stays.
            if due.filter(pk=circle_id).delete()[0]:
                deleted.append(circle_id)
    warned = [
        circle_id
        for circle_id in Circle.objects.filter(
            closed_at__lte=now - (_closed_days() - _warning_days())
        )
        .exclude(_current_warning())
        .values_list("pk", flat=True)
        if _warn(circle_id, now)
    ]
    return RetentionOutcome(warned=tuple(warned), deleted=tuple(deleted))


@transaction.atomic
def _warn(circle_id: int, now: datetime) -> bool:
    """Record the warning once, log it, and e-mail the moderators after commit."""
    from .tasks import email_deletion_warning_task

    claimed = (
        Circle.objects.filter(pk=circle_id, closed_at__isnull=False)
        .exclude(_current_warning())
        .update(deletion_warned_at=now)
    )
    if not claimed:
        return False
    circle = Circle.objects.get(pk=circle_id)
    ModerationEvent.objects.create(
        circle=circle,
        actor=None,
        action=ModerationEvent.Action.DELETION_WARNED,
        note=str(_("To be deleted on %(date)s."))
        % {"date": date_format(timezone.localdate(deletion_due(circle)))},
    )
    for user_id in moderators().values_list("pk", flat=True):
        transaction.on_commit(
            lambda user_id=user_id: email_deletion_warning_task.enqueue(
                circle_id, user_id
            )
        )
    return True


def moderators():
    """Active staff who may open and moderate circles and gave an e-mail address."""
    return (
        CirclePermissionPolicy(Circle)
        .users_with_any_permission(["moderate"])
        .filter(is_staff=True)
        .exclude(email="")
    )


def email_deletion_warning(*, circle_id: int, user_id: int) -> bool:
    """E-mail one moderator the date a circle will be deleted; False if no longer so.

    The e-mail names the cohort, the date and the admin's address: never
    anything a member wrote, nor any member's name.
    """
    circle = Circle.objects.filter(pk=circle_id).select_related("cohort").first()
    due = deletion_due(circle) if circle is not None else None
    user = moderators().filter(pk=user_id).first()
    if due is None or user is None:
        return False  # reopened, deleted or no longer a moderator meanwhile
    profile = getattr(user, "wagtail_userprofile", None)
    language = getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
    with override(language):
        EmailMessage(
            subject=str(WARNING_SUBJECT),
            body=str(WARNING_BODY)
            % {
                "cohort": circle.cohort.name,
                "date": date_format(timezone.localdate(due)),
                "url": settings.SITE_URL.rstrip("/") + "/admin/",
            },
            to=[user.email],
        ).send()
    return True
