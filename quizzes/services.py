"""Starting, saving and submitting quiz attempts: every change goes through here."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.refusals import Refusal
from courses.models import StepCompletion
from courses.selectors import is_live_step
from courses.services import complete_step, required_reason

from .grading import InvalidAnswers, check_answers, grade
from .models import QuizAttempt, QuizPage, questions_for
from .selectors import attempts_left, open_attempt


class AttemptRefused(Refusal):
    pass


class QuizPaused(AttemptRefused):
    """The quiz is not part of the live course just now; answers are kept."""


@transaction.atomic
def start_attempt(
    *, learner, quiz: QuizPage, rng: random.Random | None = None
) -> QuizAttempt:
    """Start an attempt, or return the one already open (a second tab resumes it)."""
    existing = open_attempt(learner=learner, quiz=quiz)
    if existing:
        return existing
    if attempts_left(learner=learner, quiz=quiz) == 0:
        raise AttemptRefused(
            _("You have used all the attempts for this quiz. Your trainer can help.")
        )
    rng = rng or random.SystemRandom()
    pool = [view["id"] for view in quiz.question_views()]
    drawn = pool
    if quiz.draw_count and quiz.draw_count < len(pool):
        drawn = rng.sample(pool, quiz.draw_count)
    choice_order = {}
    if quiz.shuffle_choices:
        for view in quiz.question_views(drawn):
            ids = [c["id"] for c in view["choices"]]
            rng.shuffle(ids)
            choice_order[view["id"]] = ids
    deadline = None
    if quiz.time_limit_minutes:
        deadline = timezone.now() + timedelta(minutes=quiz.time_limit_minutes)
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                learner=learner,
                quiz=quiz,
                revision_id=quiz.live_revision_id or quiz.latest_revision_id,
                question_ids=drawn,
                choice_order=choice_order,
                deadline=deadline,
            )
    except IntegrityError:
        # Another tab started one a moment ago: use that.
        return open_attempt(learner=learner, quiz=quiz)


def _is_late(attempt: QuizAttempt) -> bool:
    return attempt.deadline is not None and timezone.now() > attempt.deadline


@transaction.atomic
def save_answers(*, attempt: QuizAttempt, answers: dict[str, list[str]]) -> QuizAttempt:
    """Keep the learner's answers so far; refuse answers that were never offered."""
    if not attempt.is_open:
        raise AttemptRefused(_("This attempt was already submitted."))
    if _is_late(attempt):
        raise AttemptRefused(
            _("The time for this attempt is over, so these answers were not saved.")
        )
    cleaned = check_answers(questions_for(attempt), answers, require_all=False)
    merged = {**attempt.answers, **{k: sorted(v) for k, v in cleaned.items()}}
    for question_id, chosen in answers.items():
        if not chosen:
            merged.pop(question_id, None)  # the learner cleared this answer
    QuizAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        answers=merged
    )
    attempt.answers = merged
    return attempt


def _keep_valid_answers(attempt: QuizAttempt, answers: dict[str, list[str]]) -> None:
    if not answers:
        return
    try:
        save_answers(attempt=attempt, answers=answers)
    except (InvalidAnswers, AttemptRefused):
        pass


@dataclass(frozen=True)
class SubmitOutcome:
    attempt: QuizAttempt  # as graded, read back from the database
    graded_late: bool  # the time was over, so only answers saved in time counted
    completed_course: bool  # this pass finished the learner's course just now


def submit_attempt(
    *, attempt: QuizAttempt, answers: dict[str, list[str]]
) -> SubmitOutcome:
    """Grade the attempt once; a second submit (double click, tab) changes nothing.

    Raises InvalidAnswers when answers are missing or were never offered; the
    valid answers are kept so nothing the learner chose is lost. After the time
    limit only the answers saved in time are graded, and the outcome says so.
    """
    attempt = QuizAttempt.objects.select_related("quiz").get(pk=attempt.pk)
    if not attempt.is_open:
        return SubmitOutcome(attempt=attempt, graded_late=False, completed_course=False)
    if not is_live_step(attempt.quiz):
        # Marking now could record a pass that no completion follows; keep the
        # answers instead, so the learner submits them when the quiz is back.
        _keep_valid_answers(attempt, answers)
        raise QuizPaused(
            _(
                "Your trainer has taken this quiz down for a while, so it cannot be "
                "marked yet. Your answers are saved: submit them when it is back."
            )
        )
    questions = questions_for(attempt)
    late = _is_late(attempt)
    if late:
        answers = attempt.answers
    else:
        try:
            cleaned = check_answers(questions, answers, require_all=True)
        except InvalidAnswers as error:
            _keep_valid_answers(
                attempt, {k: v for k, v in answers.items() if k not in error.problems}
            )
            raise
        answers = {k: sorted(v) for k, v in cleaned.items()}
    result = grade(questions, answers)
    quiz = attempt.quiz
    passed = result.passed(quiz.pass_mark)
    with transaction.atomic():
        # The conditional update is the guard: of two racing submits, one grades.
        won = QuizAttempt.objects.filter(
            pk=attempt.pk, submitted_at__isnull=True
        ).update(
            answers=answers,
            submitted_at=timezone.now(),
            score=result.score,
            passed=passed,
            results={q.question_id: q.is_right for q in result.questions},
        )
        completed_course = False
        if won and passed:
            try:
                with transaction.atomic():
                    outcome = complete_step(learner=attempt.learner, step=quiz)
                completed_course = outcome.course_completed_now
            except Refusal:
                # Unpublished in the instant since the check above: the pass
                # stands and record_passes_when_live completes the step later.
                pass
    attempt.refresh_from_db()
    return SubmitOutcome(
        attempt=attempt, graded_late=late, completed_course=completed_course
    )


def record_passes_when_live(*, page) -> int:
    """Complete the quiz steps at or below `page` that learners passed meanwhile.

    A pass graded while its quiz was out of the course (unpublished or moved)
    becomes a completion once the quiz is live again; returns how many.
    """
    passes = (
        QuizAttempt.objects.filter(
            quiz__path__startswith=page.path,
            quiz__live=True,
            passed=True,
            reset_at__isnull=True,
        )
        .exclude(
            Exists(
                StepCompletion.objects.filter(
                    learner_id=OuterRef("learner_id"), step_id=OuterRef("quiz_id")
                )
            )
        )
        .select_related("quiz", "learner")
    )
    recorded = 0
    for attempt in passes:
        try:
            with transaction.atomic():
                outcome = complete_step(learner=attempt.learner, step=attempt.quiz)
        except Refusal:
            continue  # still not a live step, or the learner left the course
        recorded += int(outcome.created)
    return recorded


@dataclass(frozen=True)
class ResetOutcome:
    reset: int  # submitted attempts that stopped counting
    removed_open: bool  # an unsubmitted attempt was removed, so the next is fresh


@transaction.atomic
def reset_attempts(*, learner, quiz: QuizPage, reset_by, reason: str) -> ResetOutcome:
    """Let the learner start the quiz afresh, on a trainer's word and with why.

    Submitted attempts are kept for the record, marked reset, and no longer
    count against the attempts allowed; an open attempt, never graded, is
    removed. A pass and the step's completion stay.
    """
    reason = required_reason(reason)
    reset = QuizAttempt.objects.filter(
        learner=learner, quiz=quiz, submitted_at__isnull=False, reset_at__isnull=True
    ).update(reset_at=timezone.now(), reset_by=reset_by, reset_reason=reason)
    removed, _by_model = QuizAttempt.objects.filter(
        learner=learner, quiz=quiz, submitted_at__isnull=True
    ).delete()
    return ResetOutcome(reset=reset, removed_open=bool(removed))
