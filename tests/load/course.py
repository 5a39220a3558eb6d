"""The course the load test's learners take, and what they need to know about it."""

import json

from courses.models import CoursePage
from courses.outline import course_outline
from quizzes.models import QuizPage
from tests.factories import CourseFactory, LessonFactory, ModuleFactory
from tests.quizzes.conftest import QUESTIONS

from .learners import CoursePlan, QuizPlan, StepPlan


def build_course(course_index) -> CoursePage:
    """Two modules, six steps: read, read, quiz; read, quiz, read.

    The last step is a lesson, so that two tabs can finish the course at once.
    The course offers a certificate (the default).
    """
    course = CourseFactory(
        parent=course_index, title="Listening well", slug="listening-well", modules=0
    )
    first = ModuleFactory(parent=course, title="Hearing", slug="hearing")
    LessonFactory(parent=first, title="Noticing", slug="noticing")
    LessonFactory(parent=first, title="Reflecting back", slug="reflecting-back")
    _quiz(first, title="Check your listening", slug="check-listening")
    second = ModuleFactory(parent=course, title="Limits", slug="limits")
    LessonFactory(parent=second, title="Saying what you can do", slug="what-you-can-do")
    _quiz(second, title="Check your limits", slug="check-limits")
    LessonFactory(parent=second, title="Resting", slug="resting")
    return course


def _quiz(module, *, title: str, slug: str) -> QuizPage:
    quiz = QuizPage(title=title, slug=slug, questions=json.dumps(QUESTIONS))
    module.add_child(instance=quiz)
    quiz.save_revision().publish()
    return quiz


def course_plan(course: CoursePage) -> CoursePlan:
    """The course's steps in order, with wrong and right answers for each quiz."""
    quizzes = {quiz.pk: quiz for quiz in QuizPage.objects.live().descendant_of(course)}
    steps = tuple(
        StepPlan(id=entry.id, url=entry.url, quiz=_quiz_plan(quizzes.get(entry.id)))
        for entry in course_outline(course).steps
    )
    return CoursePlan(id=course.pk, url=course.url, steps=steps)


def _quiz_plan(quiz: QuizPage | None) -> QuizPlan | None:
    if quiz is None:
        return None
    questions = quiz.grading_questions()
    return QuizPlan(
        id=quiz.pk,
        # One wrong choice for every question: nothing right, so not yet passed.
        wrong={
            q.id: [next(c for c in q.choice_ids if c not in q.correct)]
            for q in questions
        },
        right={q.id: sorted(q.correct) for q in questions},
    )
