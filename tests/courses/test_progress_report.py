"""Trainers read each course's progress by cohort and by learner."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Cohort, LessonPage
from courses.selectors import course_progress_report
from courses.services import complete_step, enrol
from tests.factories import UserFactory


def _learners(course, names, cohort=None):
    users = [UserFactory(username=name) for name in names]
    for user in users:
        enrol(learner=user, course=course)
        if cohort:
            user.enrolments.filter(course=course).update(cohort=cohort)
    return users


def test_progress_by_cohort_and_by_learner(admin_client, course, steps):
    spring = Cohort.objects.create(
        course=course, name="Spring group", join_code="SPRING"
    )
    ana, ben = _learners(course, ["ana", "ben"], cohort=spring)
    _learners(course, ["cal"])
    for step in steps:
        complete_step(learner=ana, step=LessonPage.objects.get(pk=step.id))
    complete_step(learner=ben, step=LessonPage.objects.get(pk=steps[0].id))

    html = admin_client.get(f"/admin/course-progress/{course.pk}/").content.decode()
    assert "Spring group" in html
    assert "62%" in html  # (100 + 25) / 2
    assert "No cohort (self-enrolled)" in html
    assert "1 / 4 (25%)" in html

    response = admin_client.get(f"/admin/course-progress/{course.pk}/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["ana"][3:5] == ["4", "4"] and by_name["ana"][5]
    assert by_name["cal"][3] == "0"


def test_the_report_costs_the_same_for_many_learners(course, steps):
    _learners(course, ["one"])
    course_progress_report(course)
    with CaptureQueriesContext(connection) as few:
        course_progress_report(course)
    _learners(course, [f"many-{n}" for n in range(15)])
    with CaptureQueriesContext(connection) as many:
        course_progress_report(course)
    assert len(few) == len(many)


def test_learners_cannot_read_the_progress_report(learner_client, course):
    assert learner_client.get(f"/admin/course-progress/{course.pk}/").status_code == 302
