"""Every change to enrolment and progress goes through one of these functions."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from circles.refusals import Refusal

from .cohorts import announcement_recipients
from .join_codes import normalize_join_code
from .locales import original, original_id
from .models import (
    AnnouncementDismissal,
    Cohort,
    CohortAnnouncement,
    CoursePage,
    Enrolment,
    StepCompletion,
    StepSkip,
    unused_join_code,
)
from .outline import course_outline
from .selectors import completed_step_ids, course_for_page, missing_prerequisites
from .signals import course_completed
from .tasks import email_announcement_task, email_announcement_to_learner_task


class EnrolmentRefused(Refusal):
    pass


class JoinCodeRefused(EnrolmentRefused):
    """The code matches no open cohort of the course: a wrong guess, for rate limits."""


class NotEnrolled(Refusal):
    pass


class StepUnavailable(Refusal):
    pass


@transaction.atomic
def enrol(*, learner, course: CoursePage, join_code: str = "") -> Enrolment:
    """Enrol the learner in the course; safe to call twice (returns the enrolment).

    A translated course enrols the learner in its original (courses/locales.py).
    """
    course = original(course)
    existing = Enrolment.objects.filter(learner=learner, course=course).first()
    if existing:
        return existing
    if not course.live:
        raise EnrolmentRefused(_("This course is not open at the moment."))
    missing = missing_prerequisites(learner=learner, course=course)
    if missing:
        raise EnrolmentRefused(
            _("Please finish these courses first: %(courses)s.")
            % {"courses": ", ".join(c.title for c in missing)}
        )
    cohort = None
    if course.enrolment_policy == CoursePage.Enrolment.COHORT:
        code = normalize_join_code(join_code)
        if not code:
            raise EnrolmentRefused(
                _("This course needs a join code. Your trainer can give you one.")
            )
        cohort = Cohort.objects.filter(
            course=course, join_code=code, is_open=True
        ).first()
        if cohort is None:
            # One answer for a wrong code and a closed group: a guess learns nothing.
            raise JoinCodeRefused(
                _(
                    "That join code does not work for this course. Check it, or "
                    "ask your trainer for the code of an open group."
                )
            )
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                learner=learner, course=course, cohort=cohort
            )
    except IntegrityError:
        # Another tab enrolled first.
        return Enrolment.objects.get(learner=learner, course=course)


def _course_of_step(step: Page) -> CoursePage:
    course = course_for_page(step)
    if course is None or step.depth != course.depth + 2:
        raise StepUnavailable(_("This page is not a step of a course."))
    return course


def _require_enrolment(*, learner, course: CoursePage) -> Enrolment:
    # Locked (on PostgreSQL) so two tabs finishing the last two steps at once
    # cannot each miss the other's completion; SQLite's IMMEDIATE
    # transactions already serialise writers.
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(learner=learner, course=course)
        .first()
    )
    if enrolment is None:
        raise NotEnrolled(_("Please enrol in this course first."))
    return enrolment


@dataclass(frozen=True)
class CompletionOutcome:
    completion: StepCompletion | None
    created: bool
    course: CoursePage
    enrolment: Enrolment
    course_completed_now: bool


@transaction.atomic
def complete_step(*, learner, step: Page) -> CompletionOutcome:
    """Record that the learner finished a step; the second call records nothing new.

    Completing the last required step completes the course exactly once and
    announces it with `course_completed` after the transaction commits. A
    translated step records its original, so progress is one in every language.
    """
    step = original(step)
    course = _course_of_step(step)
    enrolment = _require_enrolment(learner=learner, course=course)
    if not step.live or course_outline(course).step(step.pk) is None:
        raise StepUnavailable(
            _("This step is no longer part of the course, so there is nothing to mark.")
        )
    completion, created = _get_or_create_completion(learner=learner, step=step)
    completed_now = False
    if created:
        completed_now = _complete_course_if_done(enrolment=enrolment, course=course)
    return CompletionOutcome(
        completion=completion,
        created=created,
        course=course,
        enrolment=enrolment,
        course_completed_now=completed_now,
    )


def _get_or_create_completion(*, learner, step: Page) -> tuple[StepCompletion, bool]:
    try:
        with transaction.atomic():
            return StepCompletion.objects.get_or_create(learner=learner, step=step)
    except IntegrityError:
        return StepCompletion.objects.get(learner=learner, step=step), False


def _complete_course_if_done(*, enrolment: Enrolment, course: CoursePage) -> bool:
    if enrolment.completed_at is not None:
        return False
    outline = course_outline(course)
    done = completed_step_ids(learner=enrolment.learner, course=course)
    if not outline.required_step_ids or not outline.required_step_ids <= done:
        return False
    now = timezone.now()
    # The conditional update is the guard: of two racing requests, one wins.
    won = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
        completed_at=now
    )
    if not won:
        return False
    enrolment.completed_at = now
    transaction.on_commit(
        lambda: course_completed.send(
            sender=Enrolment,
            enrolment=enrolment,
            learner=enrolment.learner,
            course=course,
        )
    )
    return True


def complete_courses_now_done(*, course: CoursePage) -> int:
    """Complete every enrolment whose remaining steps were unpublished or deleted.

    Returns how many enrolments this completed; each is announced once.
    """
    completed = 0
    for enrolment in Enrolment.objects.filter(course=course, completed_at__isnull=True):
        with transaction.atomic():
            if _complete_course_if_done(enrolment=enrolment, course=course):
                completed += 1
    return completed


@transaction.atomic
def skip_step(*, learner, step: Page) -> CoursePage:
    """Note that the learner skipped a step for now; it stays incomplete.

    Returns the original course, as `complete_step` does.
    """
    step = original(step)
    course = _course_of_step(step)
    _require_enrolment(learner=learner, course=course)
    try:
        with transaction.atomic():
            StepSkip.objects.get_or_create(learner=learner, step=step)
    except IntegrityError:
        pass
    return course


def record_visit(*, enrolment: Enrolment, step: Page) -> None:
    """Remember the last step the learner opened, so they can pick up there.

    The original step, so the resume point holds in every language.
    """
    step_id = original_id(step)
    if enrolment.last_step_id != step_id:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_step_id=step_id)
        enrolment.last_step_id = step_id


# --- Cohorts ----------------------------------------------------------------


@dataclass(frozen=True)
class CohortAdditions:
    """What adding usernames to a cohort did, name by name, for the trainer to read."""

    added: tuple[str, ...]  # newly enrolled in the course, in this cohort
    moved_in: tuple[str, ...]  # were enrolled without a cohort; now in this one
    already_here: tuple[str, ...]
    elsewhere: tuple[tuple[str, str], ...]  # (username, their other cohort)
    unknown: tuple[str, ...]  # as typed: no active account has this name


@transaction.atomic
def add_learners_to_cohort(*, cohort: Cohort, usernames: list[str]) -> CohortAdditions:
    """Enrol these accounts in the cohort's course, in this cohort; constant queries.

    Usernames match ignoring case. A learner in another cohort of the course
    stays there (a learner has one cohort per course); a learner enrolled on
    their own joins this cohort and keeps their progress. The trainer's
    choice stands in for a join code and for the course's prerequisites.
    """
    users = _active_users_named(usernames)
    found = {name: users.get(name.casefold()) for name in usernames}
    learners = {user.pk: user for user in found.values() if user is not None}
    enrolments = {
        e.learner_id: e
        for e in Enrolment.objects.filter(
            course_id=cohort.course_id, learner_id__in=learners
        ).select_related("cohort")
    }
    added, moved_in, already_here, elsewhere = [], [], [], []
    for user in learners.values():
        enrolment = enrolments.get(user.pk)
        if enrolment is None:
            added.append(user)
        elif enrolment.cohort_id is None:
            moved_in.append(user)
        elif enrolment.cohort_id == cohort.pk:
            already_here.append(user)
        else:
            elsewhere.append((user, enrolment.cohort.name))
    Enrolment.objects.bulk_create(
        [
            Enrolment(learner=user, course_id=cohort.course_id, cohort=cohort)
            for user in added
        ],
        # A learner who enrolled themselves meanwhile keeps that enrolment.
        ignore_conflicts=True,
    )
    Enrolment.objects.filter(
        course_id=cohort.course_id,
        learner__in=[*added, *moved_in],
        cohort__isnull=True,
    ).update(cohort=cohort)
    return CohortAdditions(
        added=tuple(u.get_username() for u in added),
        moved_in=tuple(u.get_username() for u in moved_in),
        already_here=tuple(u.get_username() for u in already_here),
        elsewhere=tuple((u.get_username(), name) for u, name in elsewhere),
        unknown=tuple(name for name, user in found.items() if user is None),
    )


def _active_users_named(usernames: list[str]) -> dict:
    """Active accounts by case-folded username, in one query."""
    User = get_user_model()
    field = User.USERNAME_FIELD
    lowered = {name.lower() for name in usernames}
    users = (
        User.objects.filter(is_active=True)
        .annotate(_lowered=Lower(field))
        .filter(Q(**{f"{field}__in": usernames}) | Q(_lowered__in=lowered))
    )
    return {user.get_username().casefold(): user for user in users}


def remove_from_cohort(*, cohort: Cohort, learner_id: int) -> bool:
    """Take a learner out of the cohort; they stay enrolled and keep their progress."""
    return bool(
        Enrolment.objects.filter(cohort=cohort, learner_id=learner_id).update(
            cohort=None
        )
    )


def regenerate_join_code(*, cohort: Cohort) -> str:
    """Give the cohort a new generated join code; the old one stops working."""
    while True:
        cohort.join_code = unused_join_code()
        try:
            with transaction.atomic():
                cohort.save(update_fields=["join_code"])
        except IntegrityError:
            continue  # another cohort took the same code in the meantime
        return cohort.join_code


def set_joining_open(*, cohort: Cohort, is_open: bool) -> None:
    """Open or close the cohort to learners with the join code."""
    cohort.is_open = is_open
    cohort.save(update_fields=["is_open"])


@dataclass(frozen=True)
class AnnouncementPosted:
    announcement: CohortAnnouncement
    emailed: int  # how many learners will get an e-mail with a link


REPOST_WINDOW = timedelta(minutes=1)


@transaction.atomic
def post_announcement(*, cohort: Cohort, text: str, author) -> AnnouncementPosted:
    """Show a message on the cohort's My learning; e-mail a link to those who asked.

    The same text posted to the same cohort again within a minute (a double
    click, a resent form) is the same announcement: no second row or e-mail.
    """
    # Lock the cohort so two submits of one form cannot both pass the check.
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    repeated = CohortAnnouncement.objects.filter(
        cohort=cohort,
        text=text.strip(),
        created_at__gte=timezone.now() - REPOST_WINDOW,
    ).first()
    if repeated is not None:
        return AnnouncementPosted(announcement=repeated, emailed=0)
    announcement = CohortAnnouncement(
        cohort=cohort, text=text.strip(), created_by=author
    )
    announcement.full_clean()
    announcement.save()
    emailed = announcement_recipients(cohort).count()
    if emailed:
        transaction.on_commit(lambda: email_announcement_task.enqueue(announcement.pk))
    return AnnouncementPosted(announcement=announcement, emailed=emailed)


def withdraw_announcement(*, announcement: CohortAnnouncement) -> None:
    """Take an announcement down from every learner's My learning."""
    announcement.delete()


def dismiss_announcement(*, learner, announcement: CohortAnnouncement) -> None:
    """Hide an announcement from this learner's My learning; safe to call twice."""
    try:
        with transaction.atomic():
            AnnouncementDismissal.objects.get_or_create(
                learner=learner, announcement=announcement
            )
    except IntegrityError:
        pass  # another tab dismissed it first


ANNOUNCEMENT_SUBJECT = _("Your Circles update")
ANNOUNCEMENT_BODY = _(
    "Hello,\n\n"
    "There is something new for you on Circles. Log in to read it:\n"
    "%(url)s\n\n"
    "You get this e-mail because you asked for updates. To stop them, untick "
    "the box under “E-mail updates” on My learning."
)


def queue_announcement_emails(*, announcement_id: int) -> int:
    """Queue an e-mail for each learner of the cohort who asked; return how many.

    One task per learner, queued together or not at all: a failed e-mail is
    tried again alone, so no one gets the same e-mail twice because another
    one failed.
    """
    announcement = CohortAnnouncement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        return 0  # withdrawn before the e-mails went out
    learner_ids = list(
        announcement_recipients(announcement.cohort).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for learner_id in learner_ids:
            email_announcement_to_learner_task.enqueue(announcement_id, learner_id)
    return len(learner_ids)


def email_announcement(*, announcement_id: int, learner_id: int) -> bool:
    """E-mail one learner a link to a new announcement; False if no longer wanted.

    The e-mail carries a neutral subject and a link only: never the message,
    the course or the cohort, which someone else reading the inbox could see.
    One message per learner, so no one sees who else is in the cohort.
    """
    announcement = CohortAnnouncement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        return False  # withdrawn before the e-mail went out
    email = (
        announcement_recipients(announcement.cohort)
        .filter(pk=learner_id)
        .values_list("email", flat=True)
        .first()
    )
    if email is None:
        return False  # left the cohort, stopped asking or was erased meanwhile
    url = settings.SITE_URL.rstrip("/") + reverse("dashboard")
    EmailMessage(
        subject=str(ANNOUNCEMENT_SUBJECT),
        body=str(ANNOUNCEMENT_BODY) % {"url": url},
        to=[email],
    ).send()
    return True


class ReasonRequired(Refusal):
    """A trainer's change to a learner's record needs a reason, kept with it."""


def required_reason(reason: str) -> str:
    """The reason, trimmed; refused when empty."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Please write why, so the reason is kept."))
    return reason


@transaction.atomic
def mark_step_complete(
    *, learner, step: Page, marked_by, reason: str
) -> CompletionOutcome:
    """Record for a trainer that the learner finished a step, with who and why.

    Goes through `complete_step`, so marking the last step completes the course
    exactly once. A step the learner already finished keeps its own record.
    """
    reason = required_reason(reason)
    outcome = complete_step(learner=learner, step=step)
    if outcome.created:
        StepCompletion.objects.filter(pk=outcome.completion.pk).update(
            marked_by=marked_by, reason=reason
        )
        outcome.completion.marked_by = marked_by
        outcome.completion.reason = reason
    return outcome
