"""What trainers read about learners: the gradebook, one learner's record, their home.

Every list here costs a fixed number of queries however many learners there
are; the course outline comes from the cache.

"Who may need a hand" is one rule, used by the gradebook and the trainer's
home alike: a learner who has not finished and has done nothing in the course
for QUIET_DAYS, or who has tried a quiz TRIES_BEFORE_A_HAND times (tries a
trainer reset do not count) without passing it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from certificates.models import Certificate
from courses.locales import originals
from courses.models import CoursePage, Enrolment, StepCompletion
from courses.outline import Outline, StepEntry, course_outline, course_outlines
from courses.selectors import LearnerProgressRow
from quizzes.models import QuizAttempt
from quizzes.selectors import may_show_correct_answers, review_questions

QUIET_DAYS = 14
TRIES_BEFORE_A_HAND = 3
ACTIVE_DAYS = 7
QUIZ_KIND = "quizpage"


def is_quiet(*, finished: bool, last_activity: datetime, now: datetime) -> bool:
    """Not finished, and nothing done in the course for QUIET_DAYS."""
    return not finished and last_activity <= now - timedelta(days=QUIET_DAYS)


def is_stuck(*, tries: int, passed: bool, completed: bool) -> bool:
    """Tried a quiz TRIES_BEFORE_A_HAND times without passing, and not marked done."""
    return tries >= TRIES_BEFORE_A_HAND and not passed and not completed


def quiz_steps(outline: Outline) -> list[StepEntry]:
    return [step for step in outline.steps if step.kind == QUIZ_KIND]


@dataclass(frozen=True)
class QuizScore:
    best: int | None  # the best score of any try, reset ones included
    tries: int  # tries that count: a trainer's reset sets this back to 0
    passed: bool
    stuck: bool


NOT_TRIED = QuizScore(best=None, tries=0, passed=False, stuck=False)


@dataclass(frozen=True)
class GradebookRow(LearnerProgressRow):
    """A learner's progress with their quiz scores, last activity and certificate."""

    learner_id: int = 0
    last_activity: datetime | None = None
    certificate: Certificate.Status | None = None
    quiet: bool = False
    stuck_on: tuple[str, ...] = ()  # titles of the quizzes tried without passing
    scores: dict[int, QuizScore] = field(default_factory=dict)

    @property
    def needs_a_hand(self) -> bool:
        return self.quiet or bool(self.stuck_on)

    def score(self, quiz_id: int) -> QuizScore:
        return self.scores.get(quiz_id, NOT_TRIED)


@dataclass(frozen=True)
class Gradebook:
    quizzes: list[StepEntry]
    rows: list[GradebookRow]


def gradebook(*, course: CoursePage, enrolments=None, now=None) -> Gradebook:
    """Each enrolled learner's steps, quiz scores, last activity and certificate.

    Four queries however many learners: enrolments, completions, quiz tries
    and certificates (the outline comes from the cache).
    """
    now = now or timezone.now()
    outline = course_outline(course)
    quizzes = quiz_steps(outline)
    if enrolments is None:
        enrolments = Enrolment.objects.filter(course=course)
    learners = enrolments.values("learner_id")
    done_steps, last_completed = _completions(course, learners)
    tries = _tries(course, learners)
    certificates = _certificate_status(course, learners, now)
    rows = []
    for enrolment in enrolments.select_related("learner", "cohort").order_by(
        "learner__username"
    ):
        learner_id = enrolment.learner_id
        done_ids = done_steps.get(learner_id, set())
        learner_tries = tries.get(learner_id, {})
        scores = {}
        for quiz in quizzes:
            found = learner_tries.get(quiz.id)
            if found is not None:
                passed = found["passes"] > 0
                scores[quiz.id] = QuizScore(
                    best=found["best"],
                    tries=found["tries"],
                    passed=passed,
                    stuck=is_stuck(
                        tries=found["tries"],
                        passed=passed,
                        completed=quiz.id in done_ids,
                    ),
                )
        last_activity = max(
            moment
            for moment in (
                enrolment.enrolled_at,
                last_completed.get(learner_id),
                *(found["last_started"] for found in learner_tries.values()),
                *(found["last_submitted"] for found in learner_tries.values()),
            )
            if moment is not None
        )
        finished = enrolment.completed_at is not None
        rows.append(
            GradebookRow(
                learner_id=learner_id,
                username=enrolment.learner.username,
                cohort=enrolment.cohort.name if enrolment.cohort else "",
                enrolled_at=enrolment.enrolled_at,
                completed_at=enrolment.completed_at,
                done=len(done_ids & outline.required_step_ids),
                total=len(outline.required_step_ids),
                last_activity=last_activity,
                certificate=certificates.get(learner_id),
                quiet=is_quiet(finished=finished, last_activity=last_activity, now=now),
                stuck_on=tuple(
                    q.title for q in quizzes if q.id in scores and scores[q.id].stuck
                ),
                scores=scores,
            )
        )
    return Gradebook(quizzes=quizzes, rows=rows)


def _completions(course, learners) -> tuple[dict[int, set[int]], dict[int, datetime]]:
    """Each learner's completed step ids in the course, and their latest completion."""
    steps: dict[int, set[int]] = defaultdict(set)
    last: dict[int, datetime] = {}
    for learner_id, step_id, completed_at in StepCompletion.objects.filter(
        learner_id__in=learners, step__path__startswith=course.path
    ).values_list("learner_id", "step_id", "completed_at"):
        steps[learner_id].add(step_id)
        last[learner_id] = max(completed_at, last.get(learner_id, completed_at))
    return steps, last


def _tries(course, learners) -> dict[int, dict[int, dict]]:
    """Per learner and quiz: best score, tries that count, passes, latest moments."""
    submitted = Q(submitted_at__isnull=False)
    found: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in (
        QuizAttempt.objects.filter(
            learner_id__in=learners, quiz__path__startswith=course.path
        )
        .order_by()
        .values("learner_id", "quiz_id")
        .annotate(
            best=Max("score", filter=submitted),
            tries=Count("id", filter=submitted & Q(reset_at__isnull=True)),
            passes=Count("id", filter=Q(passed=True)),
            last_started=Max("started_at"),
            last_submitted=Max("submitted_at"),
        )
    ):
        found[row["learner_id"]][row["quiz_id"]] = row
    return found


def _certificate_status(course, learners, now) -> dict[int, Certificate.Status]:
    current = Certificate.objects.filter(
        course_id=course.pk, learner_id__in=learners, replaced_at__isnull=True
    ).only("learner_id", "revoked_at", "replaced_at", "expires_at")
    return {c.learner_id: c.status_at(now) for c in current}


@dataclass(frozen=True)
class StepRecord:
    step: StepEntry
    module_title: str
    completion: StepCompletion | None


@dataclass(frozen=True)
class AttemptRecord:
    attempt: QuizAttempt
    review: list[dict]  # the questions as the learner's review showed them
    answers_shown: bool  # whether that review showed the right answers


@dataclass(frozen=True)
class QuizRecord:
    quiz: StepEntry
    attempts: list[AttemptRecord]

    @property
    def tries(self) -> int:
        return sum(
            1
            for a in self.attempts
            if a.attempt.submitted_at and a.attempt.reset_at is None
        )

    @property
    def passed(self) -> bool:
        return any(a.attempt.passed for a in self.attempts)

    @property
    def best(self) -> int | None:
        scores = [a.attempt.score for a in self.attempts if a.attempt.score is not None]
        return max(scores) if scores else None


@dataclass(frozen=True)
class LearnerRecord:
    enrolment: Enrolment
    steps: list[StepRecord]
    quizzes: list[QuizRecord]
    certificate: Certificate | None

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.completion)


def learner_record(*, course: CoursePage, enrolment: Enrolment) -> LearnerRecord:
    """One learner in one course: each live step, each quiz try with its review.

    A few queries for the steps; each submitted try is reviewed from the quiz
    as it was when the learner took it, so one more per try.
    """
    learner = enrolment.learner
    outline = course_outline(course)
    completions = {
        c.step_id: c
        for c in StepCompletion.objects.filter(
            learner=learner, step_id__in=outline.step_ids
        ).select_related("marked_by")
    }
    modules = {m.id: m.title for m in outline.modules}
    steps = [
        StepRecord(
            step=step,
            module_title=modules.get(step.module_id, ""),
            completion=completions.get(step.id),
        )
        for step in outline.steps
    ]
    attempts = defaultdict(list)
    for attempt in (
        QuizAttempt.objects.filter(learner=learner, quiz_id__in=outline.step_ids)
        .select_related("quiz", "revision", "reset_by")
        .order_by("started_at")
    ):
        submitted = attempt.submitted_at is not None
        attempts[attempt.quiz_id].append(
            AttemptRecord(
                attempt=attempt,
                review=review_questions(attempt) if submitted else [],
                answers_shown=submitted
                and may_show_correct_answers(attempt, attempt.quiz),
            )
        )
    return LearnerRecord(
        enrolment=enrolment,
        steps=steps,
        quizzes=[
            QuizRecord(quiz=q, attempts=attempts.get(q.id, []))
            for q in quiz_steps(outline)
        ],
        certificate=Certificate.objects.filter(
            course_id=course.pk, learner=learner, replaced_at__isnull=True
        ).first(),
    )


@dataclass(frozen=True)
class CourseSummary:
    course: CoursePage
    learners: int
    active_this_week: int
    finished: int
    need_a_hand: int


def trainer_home(*, now=None) -> list[CourseSummary]:
    """Each live course: learners active this week, finished, who may need a hand.

    A fixed number of queries however many courses and learners: only the
    last QUIET_DAYS of activity is read, and quiz tries only where a learner
    has tried a quiz TRIES_BEFORE_A_HAND times without passing.
    """
    now = now or timezone.now()
    since = now - timedelta(days=QUIET_DAYS)
    week = now - timedelta(days=ACTIVE_DAYS)
    courses = list(originals(CoursePage.objects.live()).order_by("path"))
    if not courses:
        return []
    outlines = course_outlines(courses)
    course_at = _course_by_path(courses)

    recent: dict[tuple[int, int], datetime] = {}  # (course, learner) -> last

    def seen(path, learner_id, moment):
        course_id = course_at(path)
        if course_id is not None and moment and moment >= since:
            key = (course_id, learner_id)
            recent[key] = max(moment, recent.get(key, moment))

    for learner_id, path, moment in StepCompletion.objects.filter(
        completed_at__gte=since
    ).values_list("learner_id", "step__path", "completed_at"):
        seen(path, learner_id, moment)
    for learner_id, path, started, submitted in QuizAttempt.objects.filter(
        Q(started_at__gte=since) | Q(submitted_at__gte=since)
    ).values_list("learner_id", "quiz__path", "started_at", "submitted_at"):
        seen(path, learner_id, started)
        seen(path, learner_id, submitted)

    stuck = _stuck(outlines)
    summaries = {
        c.pk: {"learners": 0, "active": 0, "finished": 0, "hand": 0} for c in courses
    }
    for course_id, learner_id, enrolled_at, completed_at in Enrolment.objects.filter(
        course_id__in=summaries
    ).values_list("course_id", "learner_id", "enrolled_at", "completed_at"):
        counts = summaries[course_id]
        last = max(enrolled_at, recent.get((course_id, learner_id), enrolled_at))
        counts["learners"] += 1
        counts["finished"] += completed_at is not None
        counts["active"] += last >= week
        quiet = is_quiet(finished=completed_at is not None, last_activity=last, now=now)
        counts["hand"] += quiet or (course_id, learner_id) in stuck
    return [
        CourseSummary(
            course=c,
            learners=summaries[c.pk]["learners"],
            active_this_week=summaries[c.pk]["active"],
            finished=summaries[c.pk]["finished"],
            need_a_hand=summaries[c.pk]["hand"],
        )
        for c in courses
    ]


def _course_by_path(courses):
    by_path = {c.path: c.pk for c in courses}
    lengths = sorted({len(path) for path in by_path})

    def course_at(path: str) -> int | None:
        return next((by_path[path[:n]] for n in lengths if path[:n] in by_path), None)

    return course_at


def _stuck(outlines: dict[int, Outline]) -> set[tuple[int, int]]:
    """(course, learner) pairs with a live quiz tried too often without passing."""
    course_of_quiz = {
        step.id: course_id
        for course_id, outline in outlines.items()
        for step in quiz_steps(outline)
    }
    if not course_of_quiz:
        return set()
    candidates = list(
        QuizAttempt.objects.filter(quiz_id__in=course_of_quiz)
        .order_by()
        .values("learner_id", "quiz_id")
        .annotate(
            tries=Count(
                "id", filter=Q(submitted_at__isnull=False, reset_at__isnull=True)
            ),
            passes=Count("id", filter=Q(passed=True)),
        )
        .filter(tries__gte=TRIES_BEFORE_A_HAND, passes=0)
        .values_list("learner_id", "quiz_id", "tries")
    )
    if not candidates:
        return set()
    done = set(
        StepCompletion.objects.filter(
            learner_id__in={learner for learner, _quiz, _tries in candidates},
            step_id__in={quiz for _learner, quiz, _tries in candidates},
        ).values_list("learner_id", "step_id")
    )
    return {
        (course_of_quiz[quiz], learner)
        for learner, quiz, tries in candidates
        if is_stuck(tries=tries, passed=False, completed=(learner, quiz) in done)
    }
