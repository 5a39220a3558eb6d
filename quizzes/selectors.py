"""What quiz pages show: the form for an open attempt, the review of a graded one."""

from dataclasses import dataclass

from .models import QuizAttempt, QuizPage


def form_questions(attempt: QuizAttempt) -> list[dict]:
    """The drawn questions with only what a learner may see before submitting.

    Nothing here says which answer is right, nor carries choice feedback.
    """
    quiz = attempt.quiz_as_attempted()
    questions = []
    for number, view in enumerate(quiz.question_views(attempt.question_ids), start=1):
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


def review_questions(attempt: QuizAttempt) -> list[dict]:
    """Each question with the learner's answers, and the right ones where allowed."""
    quiz = attempt.quiz_as_attempted()
    show_correct = may_show_correct_answers(attempt, attempt.quiz)
    rows = []
    for number, view in enumerate(quiz.question_views(attempt.question_ids), start=1):
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
