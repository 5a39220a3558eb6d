"""manage.py check_course: what a trainer is told before learners see a course."""

import io
import json
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.models import LessonPage, ModulePage
from quizzes.models import QuizPage
from tests.factories import CourseFactory, LessonFactory


def run(slug: str) -> tuple[str, bool]:
    """(the command's output, whether it refused the course)."""
    out = io.StringIO()
    try:
        call_command("check_course", slug, stdout=out)
    except CommandError as refusal:
        return out.getvalue() + str(refusal), True
    return out.getvalue(), False


def lesson_body(text: str) -> str:
    return json.dumps([{"type": "rich_text", "value": f"<p>{text}</p>"}])


def choice(text, correct=False, feedback="Here is why."):
    return {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {"text": text, "correct": correct, "feedback": feedback},
    }


def single(right: str, *wrong: str, feedback="Here is why.") -> dict:
    return {
        "type": "single",
        "id": str(uuid.uuid4()),
        "value": {
            "question": "What helps most?",
            "choices": [choice(right, True)]
            + [choice(text, feedback=feedback) for text in wrong],
            "explanation": "",
        },
    }


@pytest.fixture
def tidy_course(course_index):
    course = CourseFactory(
        parent=course_index,
        title="Listening well",
        slug="listening",
        steps=0,
        estimated_hours=Decimal("0.5"),
    )
    module = ModulePage.objects.child_of(course).get()
    LessonFactory(
        parent=module,
        title="Noticing",
        slug="noticing",
        estimated_minutes=1,
        body=lesson_body("Listening starts with noticing how you feel."),
    )
    return course, module


def test_a_tidy_course_passes(tidy_course):
    output, refused = run("listening")
    assert not refused, output
    assert "Listening well: nothing to fix." in output


def test_each_kind_of_problem_is_reported_and_the_command_fails(tidy_course):
    course, module = tidy_course
    LessonFactory(
        parent=module,
        title="When someone is low",
        slug="when-someone-is-low",
        estimated_minutes=1,
        body=lesson_body("Some people think about suicide. Ask directly."),
    )
    older = LessonFactory(
        parent=module,
        title="Body basics",
        slug="body-basics",
        estimated_minutes=30,
        body=lesson_body("How the body reacts."),
    )
    # Publishing refuses such a title now; pages saved before the rule keep it.
    LessonPage.objects.filter(pk=older.pk).update(
        title="Trauma basics", slug="trauma-basics"
    )
    quiz = QuizPage(
        title="Check",
        slug="check",
        estimated_minutes=2,
        questions=json.dumps(
            [
                single("Reflect what you heard, then ask.", "Advise.", "Leave."),
                single("Ask what they would like.", "Wait.", "Go.", feedback=""),
            ]
        ),
    )
    module.add_child(instance=quiz)
    quiz.save_revision().publish()

    output, refused = run("listening")

    assert refused
    assert "When someone is low: Mentions suicide but has no content note." in output
    assert "Trauma basics: The title has a word the neutral frame refuses" in output
    assert "Trauma basics: The slug has a word" in output
    assert "Trauma basics: Says 30 minutes; its length suggests about 1." in output
    assert "Check: Question 2: 2 answers have no feedback." in output
    assert "The right answer is the longest in 2 of 2 single-answer" in output


def test_a_content_note_on_the_module_covers_its_lessons(tidy_course):
    course, module = tidy_course
    LessonFactory(
        parent=module,
        title="When someone is low",
        slug="when-someone-is-low",
        estimated_minutes=1,
        body=lesson_body("Some people think about suicide. Ask directly."),
    )
    assert "Mentions suicide" in run("listening")[0]
    module.content_note = "This module talks about suicide."
    module.save_revision().publish()
    assert "Mentions suicide" not in run("listening")[0]


def test_an_unknown_slug_is_refused(db):
    output, refused = run("no-such-course")
    assert refused
    assert "No course has the slug" in output


@pytest.mark.parametrize("slug", ["foundations", "boundaries-and-self-care"])
def test_both_demo_courses_pass(demo, slug):
    output, refused = run(slug)
    assert not refused, output
    assert "nothing to fix" in output
