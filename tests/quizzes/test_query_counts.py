"""A quiz page costs the same number of queries however long its course is."""

from courses.services import enrol
from quizzes.models import QuizPage
from tests.queries import count_queries

from .conftest import course_with_quiz


def test_a_quiz_page_costs_the_same_after_one_lesson_or_twenty(
    learner_client, learner, course_index, support_settings
):
    urls = []
    for slug, steps in (("short", 1), ("long", 20)):
        course = course_with_quiz(
            course_index, title=slug.title(), slug=slug, steps=steps
        )
        enrol(learner=learner, course=course)
        urls.append(QuizPage.objects.descendant_of(course).get().url)

    # Routing (the request's locale, the quiz by its URL and its own row),
    # privacy (ancestors, view restrictions), the user, the course above the
    # quiz, steps done and skipped, the enrolment, the learner's open attempt
    # and their attempts so far. The outline comes from the cache.
    assert [count_queries(learner_client, url) for url in urls] == [12, 12]
