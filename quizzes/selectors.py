"""What quiz pages show: the form for an open attempt, the review of a graded one."""

import math
from dataclasses import dataclass

from django.utils import timezone

from courses.locales import original, original_id
from courses.outline import course_outline
from courses.selectors import course_for_page

from .models import QuizAttempt, QuizPage


def attempts_used(*, learner, quiz: QuizPage) -> int:
    """Submitted attempts that count: those a trainer reset no longer do."""
    return QuizAttempt.objects.filter(
        learner=learner, quiz=quiz, submitted_at__isnull=False, reset_at__isnull=True
    ).count()


def attempts_left(*, learner, quiz: QuizPage) -> int | None:
    """How many more attempts the learner may start; None means unlimited."""
    if quiz.attempts_allowed is None:
        return None
    return max(0, quiz.attempts_allowed - attempts_used(learner=learner, quiz=quiz))


def open_attempt(*, learner, quiz: QuizPage) -> QuizAttempt | None:
    """The learner's attempt at the quiz that is not yet submitted, if any."""
    return QuizAttempt.objects.filter(
        learner=learner, quiz=quiz, submitted_at__isnull=True
    ).first()


def last_graded_attempt(*, learner, quiz: QuizPage) -> QuizAttempt | None:
    """The learner's most recently submitted attempt at the quiz, if any."""
    return (
        QuizAttempt.objects.filter(
            learner=learner, quiz=quiz, submitted_at__isnull=False
        )
        .order_by("-submitted_at")
        .first()
    )


def minutes_left(attempt: QuizAttempt) -> int | None:
    """Whole minutes until the attempt's time limit, rounded up; None without one."""
    if attempt.deadline is None:
        return None
    seconds = (attempt.deadline - timezone.now()).total_seconds()
    return max(0, math.ceil(seconds / 60))


def question_views(attempt: QuizAttempt, shown_in: QuizPage | None = None) -> list:
    """The attempt's questions as drawn, worded as `shown_in` words them.

    An attempt is graded on the original quiz as it was when it started;
    `shown_in`, the copy in the language the learner reads now, gives only
    the words, matched by the question's and each choice's stable id. What
    a translation lacks stays in the original's words.
    """
    views = attempt.quiz_as_attempted().question_views(attempt.question_ids)
    if shown_in is None or shown_in.pk == attempt.quiz_id:
        return views
    worded = {v["id"]: v for v in shown_in.question_views(attempt.question_ids)}
    return [_worded_as(view, worded.get(view["id"])) for view in views]


def _worded_as(view: dict, translated: dict | None) -> dict:
    if translated is None:
        return view
    choices = {c["id"]: c for c in translated["choices"]}
    return {
        **view,
        **{key: translated[key] or view[key] for key in WORDED_KEYS},
        "choices": [
            {
                **choice,
                **{
                    key: choices[choice["id"]][key] or choice[key]
                    for key in WORDED_CHOICE_KEYS
                    if choice["id"] in choices
                },
            }
            for choice in view["choices"]
        ],
    }


#: What a translation may change in a question and in a choice: words only.
WORDED_KEYS = ("scenario", "text", "explanation")
WORDED_CHOICE_KEYS = ("text", "feedback")


def form_questions(attempt: QuizAttempt, shown_in: QuizPage | None = None) -> list:
    """The drawn questions with only what a learner may see before submitting.

    Nothing here says which answer is right, nor carries choice feedback.
    """
    questions = []
    for number, view in enumerate(question_views(attempt, shown_in), start=1):
        choices = {c["id"]: c["text"] for c in view["choices"]}
        order = attempt.choice_order.get(view["id"]) or list(choices)
        chosen = set(attempt.answers.get(view["id"], []))
        questions.append(
            {
                "id": view["id"],
                "number": number,
                "scenario": view["scenario"],
                "text": view["text"],
                "multiple": view["multiple"],
                "choices": [
                    {"id": cid, "text": choices[cid], "chosen": cid in chosen}
                    for cid in order
                    if cid in choices
                ],
            }
        )
    return questions


def may_show_correct_answers(attempt: QuizAttempt, quiz: QuizPage) -> bool:
    if quiz.show_answers == QuizPage.ShowAnswers.ALWAYS:
        return True
    if quiz.show_answers == QuizPage.ShowAnswers.AFTER_PASS:
        return attempt.passed
    return False


def review_questions(attempt: QuizAttempt, shown_in: QuizPage | None = None) -> list:
    """Each question with the learner's answers, and the right ones where allowed."""
    show_correct = may_show_correct_answers(attempt, attempt.quiz)
    rows = []
    for number, view in enumerate(question_views(attempt, shown_in), start=1):
        chosen = set(attempt.answers.get(view["id"], []))
        order = attempt.choice_order.get(view["id"]) or [
            c["id"] for c in view["choices"]
        ]
        by_id = {c["id"]: c for c in view["choices"]}
        rows.append(
            {
                "number": number,
                "scenario": view["scenario"],
                "text": view["text"],
                "is_right": attempt.results.get(view["id"], False),
                "explanation": view["explanation"] if show_correct else "",
                "choices": [
                    {
                        "text": by_id[cid]["text"],
                        "chosen": cid in chosen,
                        "correct": show_correct and by_id[cid]["correct"],
                        "feedback": by_id[cid]["feedback"] if cid in chosen else "",
                    }
                    for cid in order
                    if cid in by_id
                ],
            }
        )
    return rows


def quiz_report(quiz: QuizPage) -> dict:
    """Attempts, passes, average score, and per question the share right and picks.

    One query for the attempts; the rest is arithmetic.
    """
    attempts = list(
        QuizAttempt.objects.filter(quiz=quiz, submitted_at__isnull=False).values(
            "learner_id", "score", "passed", "answers", "results"
        )
    )
    scores = [a["score"] for a in attempts if a["score"] is not None]
    questions = []
    for number, view in enumerate(quiz.question_views(), start=1):
        asked = [a for a in attempts if view["id"] in a["results"]]
        right = sum(1 for a in asked if a["results"][view["id"]])
        questions.append(
            {
                "number": number,
                "id": view["id"],
                "text": view["text"],
                "asked": len(asked),
                "right": right,
                "percent_right": round(100 * right / len(asked)) if asked else None,
                "choices": [
                    {
                        "text": c["text"],
                        "correct": c["correct"],
                        "picked": sum(
                            1
                            for a in asked
                            if c["id"] in a["answers"].get(view["id"], [])
                        ),
                    }
                    for c in view["choices"]
                ],
            }
        )
    return {
        "attempts": len(attempts),
        "learners": len({a["learner_id"] for a in attempts}),
        "learners_passed": len({a["learner_id"] for a in attempts if a["passed"]}),
        "average_score": round(sum(scores) / len(scores)) if scores else None,
        "questions": questions,
    }


@dataclass(frozen=True)
class QuizReportRow:
    """One answer of one question: how often it was picked."""

    number: int
    question: str
    asked: int
    percent_right: int | None
    answer: str
    correct: bool
    picked: int
    first_of_question: bool


def quiz_report_rows(report: dict) -> list[QuizReportRow]:
    """The report as a table, one row per answer, for the listing and downloads."""
    return [
        QuizReportRow(
            number=q["number"],
            question=q["text"],
            asked=q["asked"],
            percent_right=q["percent_right"],
            answer=c["text"],
            correct=c["correct"],
            picked=c["picked"],
            first_of_question=index == 0,
        )
        for q in report["questions"]
        for index, c in enumerate(q["choices"])
    ]


def quiz_form(*, learner, quiz: QuizPage, errors: dict[str, str]) -> dict:
    """What the quiz page shows: the open attempt's form, or how to start one.

    `quiz` is the copy the learner reads; attempts are of its original.
    """
    shown_in, quiz = quiz, original(quiz)
    current = open_attempt(learner=learner, quiz=quiz)
    return {
        "minutes_left": minutes_left(current) if current else None,
        "attempt": current,
        "questions": form_questions(current, shown_in) if current else [],
        "errors": errors,
        "last_attempt": last_graded_attempt(learner=learner, quiz=quiz),
        "attempts_left": attempts_left(learner=learner, quiz=quiz),
    }


def attempt_review(*, learner, quiz: QuizPage, attempt: QuizAttempt) -> dict:
    """The review of a graded attempt, with the way on through the course.

    `quiz` is the copy the learner reads, in their language; the attempt is of
    its original.
    """
    course = course_for_page(quiz)
    outline = course_outline(course)
    step_id = original_id(quiz)
    step = outline.step(step_id)
    _previous, following = outline.neighbours(step_id)
    graded = attempt.quiz
    return {
        "page": quiz,
        "self": quiz,
        "attempt": attempt,
        "questions": review_questions(attempt, quiz),
        "course": course,
        "module": outline.module(step.module_id) if step else None,
        "next_step": following,
        "attempts_left": attempts_left(learner=learner, quiz=graded),
        "open_attempt": open_attempt(learner=learner, quiz=graded),
    }
