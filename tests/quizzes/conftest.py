import json
import uuid

import pytest

from courses.models import ModulePage
from courses.services import enrol
from quizzes.models import QuizPage
from tests.factories import CourseFactory


def choice(text, correct=False, feedback=""):
    return {
        "type": "item",
        "id": str(uuid.uuid4()),
        "value": {"text": text, "correct": correct, "feedback": feedback},
    }


QUESTIONS = [
    {
        "type": "scenario",
        "id": "q-listen",
        "value": {
            "scenario": "A mentee says they feel they are failing.",
            "question": "What helps most?",
            "choose_several": False,
            "choices": [
                choice(
                    "Tell them to cheer up.",
                    feedback="Kind, but it skips their feeling.",
                ),
                choice("Reflect what you heard.", True, "Yes: they feel heard."),
                choice("Change the subject.", feedback="This can feel dismissive."),
            ],
            "explanation": "Reflecting shows you listened.",
        },
    },
    {
        "type": "multiple",
        "id": "q-boundaries",
        "value": {
            "question": "Which are healthy boundaries?",
            "choices": [
                choice("Agreeing times to talk.", True, "Yes."),
                choice("Lending money.", feedback="This can strain the relationship."),
                choice("Saying what you can and cannot do.", True, "Yes."),
            ],
            "explanation": "Clear limits keep both people safe.",
        },
    },
    {
        "type": "true_false",
        "id": "q-rest",
        "value": {
            "question": "Mentors need rest too.",
            "answer": "true",
            "feedback_true": "Yes.",
            "feedback_false": "Rest matters for everyone.",
            "explanation": "Looking after yourself keeps you able to help.",
        },
    },
]


def course_with_quiz(
    course_index,
    *,
    title="Listening well",
    slug="listening",
    steps=1,
    quiz_title="Check your understanding",
    **quiz_fields,
):
    """A live course of one module: `steps` lessons, then a quiz of QUESTIONS."""
    course = CourseFactory(parent=course_index, title=title, slug=slug, steps=steps)
    module = ModulePage.objects.child_of(course).get()
    quiz = QuizPage(
        title=quiz_title, slug="check", questions=json.dumps(QUESTIONS), **quiz_fields
    )
    module.add_child(instance=quiz)
    quiz.save_revision().publish()
    return course


@pytest.fixture
def quiz_course(course_index):
    return course_with_quiz(course_index, pass_mark=80)


@pytest.fixture
def quiz(quiz_course):
    return QuizPage.objects.get()


@pytest.fixture
def enrolled(learner, quiz_course):
    return enrol(learner=learner, course=quiz_course)


def right_answers(quiz):
    return {q.id: sorted(q.correct) for q in quiz.grading_questions()}


def form_data(answers, action="submit"):
    data = {"action": action}
    for question_id, chosen in answers.items():
        data[f"q-{question_id}"] = list(chosen)
    return data
