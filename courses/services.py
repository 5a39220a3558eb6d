"""Every change to enrolment and progress goes through one of these functions."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .models import Cohort, CoursePage, Enrolment, StepCompletion, StepSkip
from .outline import course_outline
from .selectors import completed_step_ids, course_for_page, missing_prerequisites
from .signals import course_completed


class LearningError(Exception):
    """A request the learner can fix, with a message that says how."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class EnrolmentRefused(LearningError):
    pass


class NotEnrolled(LearningError):
    pass


class StepUnavailable(LearningError):
    pass


@transaction.atomic
def enrol(*, learner, course: CoursePage, join_code: str = "") -> Enrolment:
    """Enrol the learner in the course; safe to call twice (returns the enrolment)."""
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
        code = (join_code or "").strip().upper()
        if not code:
            raise EnrolmentRefused(
                _("This course needs a join code. Your trainer can give you one.")
            )
        cohort = Cohort.objects.filter(
            course=course, join_code=code, is_open=True
        ).first()
        if cohort is None:
            # One answer for a wrong code and a closed group: a guess learns nothing.
            raise EnrolmentRefused(
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
    announces it with `course_completed` after the transaction commits.
    """
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
    """Note that the learner skipped a step for now; it stays incomplete."""
    course = _course_of_step(step)
    _require_enrolment(learner=learner, course=course)
    try:
        with transaction.atomic():
            StepSkip.objects.get_or_create(learner=learner, step=step)
    except IntegrityError:
        pass
    return course


def record_visit(*, enrolment: Enrolment, step: Page) -> None:
    """Remember the last step the learner opened, so they can pick up there."""
    if enrolment.last_step_id != step.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_step=step)
        enrolment.last_step_id = step.pk


class ReasonRequired(LearningError):
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
