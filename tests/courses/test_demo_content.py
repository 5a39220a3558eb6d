"""The demo course files, read as files: quizzes that cannot be passed by guessing."""

from decimal import Decimal

import pytest

from courses.content_check import (
    Choice,
    Question,
    correct_longest_count,
    has_length_bias,
    question_from_raw,
)
from courses.demo_loader import build_course, demo_course_files, read_course_file
from courses.models import LessonPage
from quizzes.demo import question_block


def quiz_questions(data: dict) -> list[Question]:
    return [
        question_from_raw(question_block(question))
        for module in data["module"]
        for step in module["step"]
        if step["kind"] == "quiz"
        for question in step["question"]
    ]


DEMO_COURSES = {path.stem: read_course_file(path) for path in demo_course_files()}


@pytest.mark.parametrize("name", sorted(DEMO_COURSES))
def test_the_right_answer_is_the_longest_in_at_most_a_third_of_questions(name):
    questions = quiz_questions(DEMO_COURSES[name])
    longest, total = correct_longest_count(questions)
    assert total >= 5
    assert longest * 3 <= total, f"{longest} of {total} right answers are longest"


@pytest.mark.parametrize("name", sorted(DEMO_COURSES))
def test_every_choice_of_every_question_has_feedback(name):
    missing = [
        (question.text, choice.text)
        for question in quiz_questions(DEMO_COURSES[name])
        for choice in question.choices_without_feedback
    ]
    assert missing == []


@pytest.mark.parametrize("name", sorted(DEMO_COURSES))
def test_no_composite_quote_wears_the_lived_experience_badge(name):
    quotes = [
        block
        for module in DEMO_COURSES[name]["module"]
        for step in module["step"]
        for block in step.get("block", [])
        if block["type"] == "quote"
    ]
    assert quotes
    for quote in quotes:
        assert not quote.get("lived_experience"), quote["text"]
        assert quote["attribution"].startswith("Illustrative example"), quote


def question(*lengths, correct=0, feedback="Why."):
    return Question(
        text="?",
        choices=tuple(
            Choice("x" * n, i == correct, feedback) for i, n in enumerate(lengths)
        ),
        single_answer=True,
    )


def test_length_bias_counts_right_answers_that_are_longest():
    biased = [question(30, 10, 10), question(40, 20, 5), question(10, 30, 10)]
    assert correct_longest_count(biased) == (2, 3)
    assert has_length_bias(biased)
    assert not has_length_bias([question(30, 10, 10), *[question(5, 30, 10)] * 2])


def test_a_choice_with_empty_feedback_is_reported():
    assert [c.text for c in question(3, 4, feedback=" ").choices_without_feedback] == [
        "xxx",
        "xxxx",
    ]


LESSON_WORDS = "Listening well starts with noticing how you feel today. " * 60


def small_course(**extra) -> dict:
    return {
        "title": "Listening well",
        "slug": "listening",
        "summary": "A plain summary.",
        "module": [
            {
                "title": "Listening",
                "slug": "listening",
                "step": [
                    {
                        "kind": "lesson",
                        "title": "Noticing",
                        "slug": "noticing",
                        "block": [
                            {"type": "rich_text", "value": f"<p>{LESSON_WORDS}</p>"},
                            {"type": "reflection", "prompt": "What do you notice?"},
                        ],
                    },
                    {
                        "kind": "lesson",
                        "title": "Timed practice",
                        "slug": "timed-practice",
                        "minutes": 45,
                        "block": [{"type": "rich_text", "value": "<p>Practise.</p>"}],
                    },
                ],
            }
        ],
        **extra,
    }


def test_minutes_and_hours_are_estimated_from_the_text(course_index):
    course = build_course(course_index, small_course())
    noticing, practice = LessonPage.objects.descendant_of(course).order_by("path")
    # 540 words at 60 a minute, and 3 minutes for the reflection.
    assert noticing.estimated_minutes == 12
    assert practice.estimated_minutes == 45
    course.refresh_from_db()
    assert course.estimated_hours == Decimal("1.0")


def test_stated_hours_need_a_reason(course_index):
    with pytest.raises(ValueError, match="hours_reason"):
        build_course(course_index, small_course(hours=3))
    course = build_course(
        course_index,
        small_course(hours=3, hours_reason="Includes a two-hour live session."),
    )
    assert course.estimated_hours == 3
    assert course.hours_reason == "Includes a two-hour live session."
