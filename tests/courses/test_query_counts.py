"""Pages cost the same number of queries however big the course or the dashboard."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import LessonPage
from courses.outline import course_outline
from courses.services import complete_step, enrol
from tests.factories import CourseFactory
from tests.queries import count_queries


def _course(course_index, learner, slug, steps):
    course = CourseFactory(
        parent=course_index, slug=slug, title=slug.title(), modules=5, steps=steps // 5
    )
    enrol(learner=learner, course=course)
    for entry in course_outline(course).steps[:2]:
        complete_step(learner=learner, step=LessonPage.objects.get(pk=entry.id))
    return course


def test_course_page_queries_do_not_grow_with_steps(
    learner_client, learner, course_index, support_settings
):
    small = _course(course_index, learner, "small", 5)
    large = _course(course_index, learner, "large", 50)
    # Routing (the request's locale, for Wagtail's tree in that language; the
    # course by its URL and its own row; the site and home page are known to
    # the process), the page's privacy (ancestors, view
    # restrictions), the user, their enrolment, steps done and skipped, the
    # catalogue above for the way back. The outline comes from the cache; a
    # learner's permissions are never asked for.
    assert count_queries(learner_client, small.url) == 10
    assert count_queries(learner_client, large.url) == 10


def test_lesson_page_queries_do_not_grow_with_steps(
    learner_client, learner, course_index, support_settings
):
    small = _course(course_index, learner, "small", 5)
    large = _course(course_index, learner, "large", 50)
    small_step = course_outline(small).steps[2].url
    large_step = course_outline(large).steps[30].url
    # Routing (the request's locale, the lesson by its URL and its own row),
    # privacy (ancestors, view restrictions), the user, the course above the
    # lesson, steps done and skipped, the enrolment. The outline comes from the cache.
    assert count_queries(learner_client, small_step) == 10
    assert count_queries(learner_client, large_step) == 10


def test_dashboard_of_one_and_of_ten_courses_costs_the_same(
    learner_client, learner, course_index, support_settings
):
    # The user, their enrolments with live courses, steps done, steps skipped,
    # cohort announcements not yet dismissed, current certificates. Outlines
    # come from the cache.
    _course(course_index, learner, "first", 5)
    assert count_queries(learner_client, "/learn/") == 6
    for n in range(9):
        _course(course_index, learner, f"more-{n}", 5)
    assert count_queries(learner_client, "/learn/") == 6


def test_deep_pages_are_found_in_a_few_queries_not_one_per_level(course_index):
    from django.test import RequestFactory
    from wagtail.models import Site

    from home.models import HomePage

    course = _course_with_steps(course_index)
    lesson = course_outline(course).steps[-1]
    request = RequestFactory().get(lesson.url)
    home = HomePage.objects.get()
    Site.objects.get()  # warm nothing else: count the route alone
    with CaptureQueriesContext(connection) as queries:
        result = home.route(request, [c for c in lesson.url.split("/") if c])
    assert result.page.pk == lesson.id
    assert len(queries) == 2


def test_an_unknown_address_is_still_not_found(client, course_index):
    _course_with_steps(course_index)
    assert client.get("/courses/busy/no-such-module/").status_code == 404


def _course_with_steps(course_index):
    return CourseFactory(parent=course_index, slug="busy", modules=2, steps=2)
