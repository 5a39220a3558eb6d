"""Content notes with real choices; prerequisites and join codes before enrolling."""

import pytest
from bs4 import BeautifulSoup

from courses.models import (
    Cohort,
    CoursePage,
    CoursePrerequisite,
    LessonPage,
    ModulePage,
    StepSkip,
)
from courses.services import EnrolmentRefused, complete_step, enrol


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def noted_step(course, steps):
    lesson = LessonPage.objects.get(pk=steps[1].id)
    lesson.content_note = "This lesson describes control in relationships."
    lesson.save_revision().publish()
    return steps[1]


def test_a_content_note_comes_before_the_content_with_three_choices(
    learner_client, enrolled, noted_step
):
    page = soup(learner_client.get(noted_step.url))
    assert "This lesson describes control in relationships." in page.get_text()
    assert "Listening starts with noticing." not in page.get_text()
    assert page.find("button", string="Continue to the step") is not None
    assert page.find("button", string="Skip for now") is not None
    brk = page.find("a", string="Take a break")
    assert brk["href"] == f"/break/?next={noted_step.url}"


def test_continue_shows_the_content_and_the_note_is_not_repeated(
    learner_client, enrolled, noted_step
):
    response = learner_client.post(f"{noted_step.url}continue/")
    assert response["Location"] == noted_step.url
    text = soup(learner_client.get(noted_step.url)).get_text()
    assert "Listening starts with noticing." in text


def test_skip_for_now_leaves_the_step_open_and_listed_as_skipped(
    learner_client, learner, enrolled, noted_step, steps
):
    response = learner_client.post(f"{noted_step.url}skip/")
    assert response["Location"] == steps[2].url
    assert StepSkip.objects.filter(learner=learner, step_id=noted_step.id).exists()
    page = soup(learner_client.get("/courses/listening/"))
    item = page.find("a", string=noted_step.title).find_parent("li")
    assert "Skipped for now" in item.get_text()
    # Skipping is not completing: Continue still leads to the first open step.
    assert page.find("a", class_="btn-primary")["href"] == steps[0].url


def test_a_module_content_note_shows_before_its_first_step(
    learner_client, enrolled, course, steps
):
    module = ModulePage.objects.get(pk=steps[2].module_id)
    module.content_note = "This module talks about pressure and fear."
    module.save_revision().publish()
    text = soup(learner_client.get(steps[2].url)).get_text()
    assert "This module talks about pressure and fear." in text


def test_the_quick_exit_forgets_which_notes_were_seen(
    learner_client, learner, enrolled, noted_step
):
    learner_client.post(f"{noted_step.url}continue/")
    learner_client.get("/exit/")
    learner_client.force_login(learner)
    text = soup(learner_client.get(noted_step.url)).get_text()
    assert "This lesson describes control in relationships." in text


@pytest.fixture
def advanced(make_course, course):
    advanced = make_course(
        title="Going further", slug="going-further", modules=1, steps=1
    )
    CoursePrerequisite.objects.create(course=advanced, required_course=course)
    return CoursePage.objects.get(pk=advanced.pk)


def test_a_course_with_unfinished_prerequisites_names_and_links_them(
    learner_client, advanced
):
    page = soup(learner_client.get("/courses/going-further/"))
    assert "Please finish these courses first:" in page.get_text()
    assert page.find("a", string="Listening well")["href"] == "/courses/listening/"
    assert page.find("button", string="Enrol and start") is None


def test_enrolment_waits_until_prerequisites_are_done(
    learner_client, learner, advanced, enrolled, steps
):
    response = learner_client.post(f"{advanced.url}enrol/", follow=True)
    assert (
        "Please finish these courses first: Listening well."
        in response.content.decode()
    )
    for step in steps:
        complete_step(learner=learner, step=LessonPage.objects.get(pk=step.id))
    assert enrol(learner=learner, course=advanced).course_id == advanced.pk


def test_a_cohort_course_needs_the_right_join_code(learner_client, learner, course):
    course.enrolment_policy = CoursePage.Enrolment.COHORT
    course.save_revision().publish()
    Cohort.objects.create(course=course, name="Spring group", join_code="spring26")
    page = soup(learner_client.get("/courses/listening/"))
    assert page.find("label", string="Join code") is not None
    wrong = learner_client.post(
        f"{course.url}enrol/", {"join_code": "nope"}, follow=True
    )
    assert "That join code does not work for this course." in wrong.content.decode()
    with pytest.raises(EnrolmentRefused):
        enrol(learner=learner, course=course)
    right = learner_client.post(f"{course.url}enrol/", {"join_code": " Spring26 "})
    assert right.status_code == 302
    assert learner.enrolments.get().cohort.name == "Spring group"


def test_a_closed_cohort_takes_no_one_new(learner, course):
    course.enrolment_policy = CoursePage.Enrolment.COHORT
    course.save_revision().publish()
    Cohort.objects.create(
        course=course, name="Old group", join_code="OLD", is_open=False
    )
    with pytest.raises(EnrolmentRefused, match="does not work for this course"):
        enrol(
            learner=learner,
            course=CoursePage.objects.get(pk=course.pk),
            join_code="old",
        )


def test_continue_goes_past_a_skipped_step_until_nothing_else_is_left(
    learner_client, learner, enrolled, noted_step, steps
):
    complete_step(learner=learner, step=LessonPage.objects.get(pk=steps[0].id))
    learner_client.post(f"{noted_step.url}skip/")
    page = soup(learner_client.get("/courses/listening/"))
    assert page.find("a", class_="btn-primary")["href"] == steps[2].url
    dashboard = soup(learner_client.get("/learn/"))
    assert dashboard.select_one(".dashboard-card a.btn-primary")["href"] == steps[2].url
    for step in steps[2:]:
        complete_step(learner=learner, step=LessonPage.objects.get(pk=step.id))
    page = soup(learner_client.get("/courses/listening/"))
    assert page.find("a", class_="btn-primary")["href"] == noted_step.url
