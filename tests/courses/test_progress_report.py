"""Trainers read each course's progress by cohort and by learner, and download it."""

import csv
import io

import pytest
from openpyxl import load_workbook

from courses.models import Cohort, LessonPage, ModulePage
from courses.selectors import LearnerProgressRow, percent_of, progress_rows
from courses.services import complete_step, enrol
from tests.factories import LessonFactory, UserFactory
from tests.queries import count_queries


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def _learners(course, names, cohort=None):
    users = [UserFactory(username=name) for name in names]
    for user in users:
        enrol(learner=user, course=course)
        if cohort:
            user.enrolments.filter(course=course).update(cohort=cohort)
    return users


def _complete(learner, entries):
    for entry in entries:
        complete_step(learner=learner, step=LessonPage.objects.get(pk=entry.id))


def _csv(response):
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


def test_progress_by_cohort_and_by_learner(trainer_client, course, steps):
    spring = Cohort.objects.create(
        course=course, name="Spring group", join_code="SPRING"
    )
    ana, ben = _learners(course, ["ana", "ben"], cohort=spring)
    _learners(course, ["cal"])
    _complete(ana, steps)
    _complete(ben, steps[:1])

    html = trainer_client.get(f"/admin/course-progress/{course.pk}/").content.decode()
    assert "Spring group" in html
    assert "62%" in html  # (100 + 25) / 2
    assert "No cohort (self-enrolled)" in html
    assert "1 / 4 (25%)" in html
    assert "Finished (100%)" in html

    rows = _csv(trainer_client.get(f"/admin/course-progress/{course.pk}/?export=csv"))
    assert rows[0] == [
        "Learner",
        "Cohort",
        "Enrolled",
        "Steps done",
        "Steps now",
        "Progress (%)",
        "Finished",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["ana"][3:6] == ["4", "4", "100"] and by_name["ana"][6]
    assert by_name["ben"][1:2] == ["Spring group"]
    assert by_name["cal"][3:7] == ["0", "4", "0", ""]


def test_the_cohort_filter_shows_only_that_cohort(trainer_client, course):
    spring = Cohort.objects.create(course=course, name="Spring", join_code="SPRING")
    _learners(course, ["in-spring"], cohort=spring)
    _learners(course, ["on-their-own"])

    html = trainer_client.get(
        f"/admin/course-progress/{course.pk}/?cohort={spring.pk}"
    ).content.decode()
    assert "in-spring" in html and "on-their-own" not in html

    rows = _csv(
        trainer_client.get(
            f"/admin/course-progress/{course.pk}/?cohort={spring.pk}&export=csv"
        )
    )
    assert [row[0] for row in rows[1:]] == ["in-spring"]


def test_sorting_by_progress_puts_the_furthest_learner_first(
    trainer_client, course, steps
):
    slow, quick = _learners(course, ["aaron-slow", "zoe-quick"])
    _complete(quick, steps[:3])
    html = trainer_client.get(
        f"/admin/course-progress/{course.pk}/?ordering=-percent"
    ).content.decode()
    assert html.index("zoe-quick") < html.index("aaron-slow")


def test_a_finished_course_stays_at_100_when_steps_are_added_or_removed(
    trainer_client, course, steps
):
    (done,) = _learners(course, ["finished"])
    (halfway,) = _learners(course, ["halfway"])
    _complete(done, steps)
    _complete(halfway, steps[:2])
    assert done.enrolments.get().completed_at

    module = ModulePage.objects.child_of(course).first()
    LessonFactory(parent=module, title="A new lesson", slug="new-lesson")
    html = trainer_client.get(f"/admin/course-progress/{course.pk}/").content.decode()
    assert "Finished (100%), 1 new step since" in html
    assert "2 / 5 (40%)" in html

    # Unpublishing a module with done steps: the finished learner stays at 100%,
    # and the others count only live steps.
    module.unpublish()
    rows = {row.username: LearnerProgressRow.of(row) for row in progress_rows(course)}
    assert rows["finished"].percent == 100
    assert (rows["halfway"].done, rows["halfway"].total) == (0, 2)
    rows = _csv(trainer_client.get(f"/admin/course-progress/{course.pk}/?export=csv"))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["finished"][5] == "100"


@pytest.mark.parametrize("name", ["=1+1", "+1+1", "@sum", "-2", "\t=1"])
def test_exports_show_formula_like_usernames_as_text(trainer_client, course, name):
    _learners(course, [name])
    rows = _csv(trainer_client.get(f"/admin/course-progress/{course.pk}/?export=csv"))
    assert rows[1][0] == "'" + name

    response = trainer_client.get(f"/admin/course-progress/{course.pk}/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == "'" + name and cell.data_type == "s"


def test_the_report_costs_the_same_for_many_learners(trainer_client, course, steps):
    url = f"/admin/course-progress/{course.pk}/"
    (one,) = _learners(course, ["one"])
    _complete(one, steps[:2])
    few = count_queries(trainer_client, url)
    for learner in _learners(course, [f"many-{n}" for n in range(15)]):
        _complete(learner, steps[:1])
    assert count_queries(trainer_client, url) == few


def test_the_report_pages_sorted_rows_from_the_database(trainer_client, course, steps):
    learners = _learners(course, [f"learner-{n:02d}" for n in range(55)])
    for learner in learners[50:]:
        _complete(learner, steps[:2])
    url = f"/admin/course-progress/{course.pk}/"

    first = trainer_client.get(f"{url}?ordering=-percent").content.decode()
    assert "Page 1 of 2" in first
    for learner in learners[50:]:
        assert learner.username in first
    assert "2 / 4 (50%)" in first

    second = trainer_client.get(f"{url}?ordering=-percent&p=2").content.decode()
    assert "learner-49" in second and "learner-50" not in second
    # the cohort totals cover every learner, not one page
    assert "55" in first.split("By cohort")[1].split("</table>")[0]

    rows = _csv(trainer_client.get(f"{url}?export=csv&ordering=username"))
    assert [row[0] for row in rows[1:]] == [learner.username for learner in learners]


def test_the_database_rounds_progress_as_learners_see_it(course, steps):
    module = ModulePage.objects.child_of(course).first()
    for n in range(4):  # eight steps: one done is 12.5%
        LessonFactory(parent=module, title=f"Extra {n}", slug=f"extra-{n}")
    (learner,) = _learners(course, ["rounding"])
    _complete(learner, steps[:1])
    (row,) = progress_rows(course)
    assert (row.done, row.total, row.percent) == (1, 8, 13)
    assert percent_of(1, 8) == 13 and percent_of(1, 3) == 33 and percent_of(0, 0) == 0


def test_the_course_list_counts_learners_and_links_to_each_report(
    trainer_client, course, steps
):
    (ana,) = _learners(course, ["ana"])
    _complete(ana, steps)
    html = trainer_client.get("/admin/course-progress/").content.decode()
    assert f'href="/admin/course-progress/{course.pk}/"' in html
    assert "Listening well" in html


def test_learners_cannot_read_the_progress_report(learner_client, course):
    assert learner_client.get(f"/admin/course-progress/{course.pk}/").status_code == 302
