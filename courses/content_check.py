"""Checks a trainer can run over a course's text: quiz answers, content notes, time.

Everything here takes plain values (StreamField raw data, strings), so the same
rules apply to the demo files in courses/demo and to live pages
(`manage.py check_course <slug>`).
"""

import html
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from circles.neutral import sensitive_words_in

# A quiz is easy to pass without reading when the right answer is the longest.
MAX_SHARE_CORRECT_LONGEST = 1 / 3

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    text: str
    choices: tuple[Choice, ...]
    single_answer: bool
    true_false: bool = False

    @property
    def correct_is_longest(self) -> bool:
        """The right answer is (or ties for) the longest of three or more choices."""
        if not self.single_answer or self.true_false or len(self.choices) < 3:
            return False
        longest = max(len(choice.text) for choice in self.choices)
        return any(c.correct and len(c.text) == longest for c in self.choices)

    @property
    def choices_without_feedback(self) -> list[Choice]:
        return [choice for choice in self.choices if not choice.feedback.strip()]


def question_from_raw(block: dict) -> Question:
    """A question from one item of a quiz's StreamField raw data."""
    kind, value = block["type"], block["value"]
    if kind == "true_false":
        return Question(
            text=value["question"],
            choices=(
                Choice("True", value["answer"] == "true", value["feedback_true"]),
                Choice("False", value["answer"] == "false", value["feedback_false"]),
            ),
            single_answer=True,
            true_false=True,
        )
    multiple = kind == "multiple" or bool(value.get("choose_several"))
    return Question(
        text=value["question"],
        choices=tuple(
            Choice(
                text=item["value"]["text"],
                correct=bool(item["value"]["correct"]),
                feedback=item["value"].get("feedback") or "",
            )
            for item in value["choices"]
        ),
        single_answer=not multiple,
    )


def correct_longest_count(questions: list[Question]) -> tuple[int, int]:
    """(questions whose right answer is the longest, single-answer questions)."""
    counted = [q for q in questions if q.single_answer and not q.true_false]
    return sum(q.correct_is_longest for q in counted), len(counted)


def has_length_bias(questions: list[Question]) -> bool:
    longest, total = correct_longest_count(questions)
    return longest > total * MAX_SHARE_CORRECT_LONGEST


def plain_words(text: str) -> list[str]:
    return html.unescape(_TAG.sub(" ", text)).split()


# --- Content notes -------------------------------------------------------------

# Themes a learner is warned about before meeting them: a step that mentions one
# needs a content note (on the step, on its module, or a content note block in
# it). Matched case-insensitively at the start of a word, so "suicid" covers
# "suicide" and "suicidal". Keep FORMAT.md's copy of the list in step.
CONTENT_NOTE_THEMES = (
    "suicid",
    "self-harm",
    "harming yourself",
    "ending their life",
    "ending your life",
    "kill",
    "rape",
    "sexual abuse",
    "sexual violence",
    "sexual exploitation",
    "assault",
    "beaten",
    "violen",
    "weapon",
    "tortur",
    "threaten",
    "flashback",
    "dissociat",
    "overdos",
)
_THEMES = re.compile(
    r"(?<![a-z])((?:"
    + "|".join(re.escape(t) for t in CONTENT_NOTE_THEMES)
    + r")[a-z-]*)"
)


def hard_themes_in(text: str) -> list[str]:
    """The words in `text` that start with a listed theme, each once, in order."""
    found = _THEMES.findall(" ".join(plain_words(text)).lower())
    return list(dict.fromkeys(found))


# --- Time ------------------------------------------------------------------------

# Lessons are written at about a grade-5 level and often read in a second
# language, carefully: 60 words a minute, plus time for each activity.
READING_WORDS_PER_MINUTE = 60
ACTIVITY_MINUTES = {"reflection": 3, "grounding": 2}
# Quizzes: the situations, questions and answers at the same pace, plus a
# minute a question to think and read the feedback for the answer chosen.
MINUTES_PER_QUESTION = 1
_READ_AFTER_ANSWERING = {"feedback", "feedback_true", "feedback_false", "explanation"}
_NOT_TEXT = {"type", "id", "kind", "url", "answer"}


def _texts(value, skip=frozenset()):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip and key not in _NOT_TEXT:
                yield from _texts(item, skip)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item, skip)


def word_count(blocks: list[dict], *, quiz: bool = False) -> int:
    """Words a learner reads in StreamField raw data (a quiz: before answering)."""
    skip = _READ_AFTER_ANSWERING if quiz else frozenset()
    return sum(len(plain_words(text)) for text in _texts(list(blocks), skip))


def estimate_minutes(blocks: list[dict], *, quiz: bool = False) -> int:
    """Minutes a step takes, from its words and activities; at least one."""
    minutes = word_count(blocks, quiz=quiz) / READING_WORDS_PER_MINUTE
    if quiz:
        minutes += MINUTES_PER_QUESTION * len(blocks)
    else:
        minutes += sum(ACTIVITY_MINUTES.get(block["type"], 0) for block in blocks)
    return max(1, round(minutes))


MINUTES_RULE = gettext_lazy(
    "Estimate: about 60 words a minute, plus 3 minutes for each reflection and 2 "
    "for each grounding exercise. manage.py check_course says when this is off "
    "by more than half."
)
HOURS_RULE = gettext_lazy(
    "Certificates state the hours. Estimate: the steps' minutes added up, to the "
    "nearest half hour. If you choose other hours, say why below."
)


def hours_from_minutes(minutes: list[int]) -> Decimal:
    """A course's hours from its steps' minutes, to the nearest half hour."""
    return Decimal(max(1, round(sum(minutes) / 30))) / 2


def minutes_disagree(stated: int, estimate: int) -> bool:
    """The stated minutes are off the estimate by more than half of it."""
    return abs(stated - estimate) > estimate / 2


# --- A whole course ----------------------------------------------------------------


@dataclass(frozen=True)
class StepText:
    title: str
    slug: str
    minutes: int
    content_note: str
    blocks: list[dict]
    quiz: bool = False


@dataclass(frozen=True)
class ModuleText:
    title: str
    slug: str
    content_note: str
    steps: list[StepText]


@dataclass(frozen=True)
class CourseText:
    title: str
    slug: str
    hours: Decimal
    hours_reason: str
    modules: list[ModuleText]


@dataclass(frozen=True)
class Problem:
    where: str
    message: str


def _neutral_frame_problems(where: str, title: str, slug: str) -> list[Problem]:
    problems = []
    for field, text in ((_("title"), title), (_("slug"), slug.replace("-", " "))):
        if words := sensitive_words_in(text):
            problems.append(
                Problem(
                    where,
                    _("The %(field)s has a word the neutral frame refuses: %(words)s.")
                    % {"field": field, "words": ", ".join(sorted(set(words)))},
                )
            )
    return problems


def _step_problems(where: str, step: StepText, module: ModuleText) -> list[Problem]:
    problems = _neutral_frame_problems(where, step.title, step.slug)
    has_note = (
        step.content_note.strip()
        or module.content_note.strip()
        or any(block["type"] == "content_note" for block in step.blocks)
    )
    text = " ".join(_texts(list(step.blocks)))
    if not has_note and (themes := hard_themes_in(text)):
        problems.append(
            Problem(
                where,
                _("Mentions %(themes)s but has no content note.")
                % {"themes": ", ".join(themes)},
            )
        )
    estimate = estimate_minutes(step.blocks, quiz=step.quiz)
    if minutes_disagree(step.minutes, estimate):
        problems.append(
            Problem(
                where,
                _("Says %(stated)s minutes; its length suggests about %(estimate)s.")
                % {"stated": step.minutes, "estimate": estimate},
            )
        )
    if step.quiz:
        for number, block in enumerate(step.blocks, start=1):
            question = question_from_raw(block)
            if missing := question.choices_without_feedback:
                problems.append(
                    Problem(
                        where,
                        _("Question %(number)s: %(count)s answers have no feedback.")
                        % {"number": number, "count": len(missing)},
                    )
                )
    return problems


def check_course(course: CourseText) -> list[Problem]:
    """Everything in the course a trainer should fix, in learning order."""
    problems = _neutral_frame_problems(course.title, course.title, course.slug)
    questions, minutes = [], []
    for module in course.modules:
        problems += _neutral_frame_problems(module.title, module.title, module.slug)
        for step in module.steps:
            where = f"{module.title} › {step.title}"
            problems += _step_problems(where, step, module)
            minutes.append(step.minutes)
            if step.quiz:
                questions += [question_from_raw(block) for block in step.blocks]
    if has_length_bias(questions):
        longest, total = correct_longest_count(questions)
        problems.append(
            Problem(
                course.title,
                _(
                    "The right answer is the longest in %(longest)s of %(total)s "
                    "single-answer questions; keep it to a third or fewer."
                )
                % {"longest": longest, "total": total},
            )
        )
    computed = hours_from_minutes(minutes)
    if course.hours != computed and not course.hours_reason.strip():
        problems.append(
            Problem(
                course.title,
                _(
                    "Says %(hours)s hours; its steps add up to about %(computed)s. "
                    "Change the hours, or say why they differ."
                )
                % {"hours": course.hours.normalize(), "computed": computed},
            )
        )
    return problems


def course_text(course) -> CourseText:
    """The live modules and steps of a CoursePage, in learning order."""
    from .models import ModulePage

    modules = []
    for module in ModulePage.objects.child_of(course).live().order_by("path"):
        steps = []
        for page in module.get_children().live().order_by("path").specific():
            stream = getattr(page, "questions", None) or getattr(page, "body", [])
            steps.append(
                StepText(
                    title=page.title,
                    slug=page.slug,
                    minutes=page.estimated_minutes,
                    content_note=page.content_note,
                    blocks=list(stream.raw_data) if stream else [],
                    quiz=hasattr(page, "questions"),
                )
            )
        modules.append(
            ModuleText(module.title, module.slug, module.content_note, steps)
        )
    return CourseText(
        title=course.title,
        slug=course.slug,
        hours=Decimal(course.estimated_hours),
        hours_reason=course.hours_reason,
        modules=modules,
    )
