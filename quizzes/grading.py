"""Grade a quiz attempt: pure functions over plain values, no database.

A question is right only when the learner chose exactly its set of correct
choices; the score is the percentage of questions right, rounded down, so a
pass is never granted by rounding.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    id: str
    choice_ids: tuple[str, ...]
    correct: frozenset[str]
    multiple: bool = False


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    chosen: frozenset[str]
    correct: frozenset[str]

    @property
    def is_right(self) -> bool:
        return self.chosen == self.correct


@dataclass(frozen=True)
class Result:
    questions: tuple[QuestionResult, ...]

    @property
    def right(self) -> int:
        return sum(1 for q in self.questions if q.is_right)

    @property
    def score(self) -> int:
        """Percentage of questions right, 0 to 100, rounded down."""
        if not self.questions:
            return 0
        return (100 * self.right) // len(self.questions)

    def passed(self, pass_mark: int) -> bool:
        return bool(self.questions) and self.score >= pass_mark


def questions_needed(pass_mark: int, asked: int) -> int:
    """How many of `asked` questions a learner must get right to reach the pass mark."""
    if not asked:
        return 0
    # `asked` right always scores 100, so the search always ends.
    return next(r for r in range(asked + 1) if (100 * r) // asked >= pass_mark)


class InvalidAnswers(ValueError):
    """Answers that do not fit the questions; `problems` maps question id to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def check_answers(
    questions: Sequence[Question],
    answers: Mapping[str, Iterable[str]],
    *,
    require_all: bool = True,
) -> dict[str, frozenset[str]]:
    """Return the answers as sets, or raise InvalidAnswers naming every problem.

    Refuses unknown question ids, choices that were not offered, two choices
    for a single-answer question and, with `require_all`, unanswered questions.
    """
    by_id = {q.id: q for q in questions}
    problems: dict[str, str] = {}
    cleaned: dict[str, frozenset[str]] = {}
    for question_id, chosen in answers.items():
        question = by_id.get(question_id)
        if question is None:
            problems[question_id] = _("This question is not part of the quiz.")
            continue
        chosen = frozenset(chosen)
        if not chosen <= set(question.choice_ids):
            problems[question_id] = _(
                "An answer was chosen that this question does not offer."
            )
        elif not question.multiple and len(chosen) > 1:
            problems[question_id] = _("Choose one answer for this question.")
        elif chosen:
            cleaned[question_id] = chosen
    if require_all:
        for question in questions:
            if question.id not in cleaned and question.id not in problems:
                problems[question.id] = _("Please choose an answer for this question.")
    if problems:
        raise InvalidAnswers(problems)
    return cleaned


def grade(
    questions: Sequence[Question], answers: Mapping[str, Iterable[str]]
) -> Result:
    """Mark each question right when exactly its correct choices were chosen."""
    return Result(
        questions=tuple(
            QuestionResult(
                question_id=q.id,
                chosen=frozenset(answers.get(q.id, ())),
                correct=q.correct,
            )
            for q in questions
        )
    )
