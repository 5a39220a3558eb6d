"""A learner's way through a course: enrol, read, complete, resume, finish."""

from bs4 import BeautifulSoup

from courses.models import CoursePage, Enrolment, LessonPage, StepCompletion
from courses.services import complete_step
from courses.signals import course_completed


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_visitors_see_the_overview_and_are_asked_to_sign_up(client, course):
    page = soup(client.get("/courses/listening/"))
    assert page.h1.get_text(strip=True) == "Listening well"
    assert "Module 1" in page.get_text()
    assert page.find("a", string="Sign up to start") is not None


def test_enrolling_starts_the_first_step(learner_client, learner, course, steps):
    response = learner_client.post(f"{course.url}enrol/")
    assert response["Location"] == steps[0].url
    assert Enrolment.objects.filter(learner=learner, course=course).count() == 1


def test_enrolling_twice_keeps_one_enrolment(learner_client, learner, course):
    learner_client.post(f"{course.url}enrol/")
    learner_client.post(f"{course.url}enrol/")
    assert Enrolment.objects.filter(learner=learner, course=course).count() == 1


def test_a_learner_who_is_not_enrolled_is_sent_to_enrol(learner_client, course, steps):
    response = learner_client.get(steps[0].url, follow=True)
    assert response.redirect_chain[-1][0] == "/courses/listening/"
    assert "Please enrol in this course to start it." in response.content.decode()


def test_a_visitor_opening_a_lesson_is_asked_to_log_in(client, course, steps):
    response = client.get(steps[0].url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_lesson_shows_position_progress_and_navigation(learner_client, enrolled, steps):
    page = soup(learner_client.get(steps[1].url))
    text = page.get_text(" ", strip=True)
    assert "Step 2 of 4" in text
    assert "This module: 0 of 2 steps done" in text
    assert "This course: 0 of 4 steps done" in text
    assert page.find("a", rel="prev")["href"] == steps[0].url
    assert page.find("a", rel="next")["href"] == steps[2].url
    assert page.find("button", string="Mark complete and continue") is not None


def test_mark_complete_records_and_moves_to_the_next_step(
    learner_client, learner, enrolled, steps
):
    response = learner_client.post(f"{steps[0].url}complete/")
    assert response["Location"] == steps[1].url
    assert StepCompletion.objects.filter(learner=learner, step_id=steps[0].id).exists()
    page = soup(learner_client.get(steps[1].url))
    assert "This course: 1 of 4 steps done" in page.get_text(" ", strip=True)


def test_marking_complete_twice_records_one_completion(
    learner_client, learner, enrolled, steps
):
    learner_client.post(f"{steps[0].url}complete/")
    second = learner_client.post(f"{steps[0].url}complete/", follow=True)
    assert StepCompletion.objects.filter(learner=learner).count() == 1
    assert "You had already finished this step." in second.content.decode()


def test_completing_after_the_step_was_unpublished_records_nothing(
    learner_client, learner, enrolled, steps
):
    LessonPage.objects.get(pk=steps[0].id).unpublish()
    response = learner_client.post(f"{steps[0].url}complete/", follow=True)
    assert StepCompletion.objects.filter(learner=learner).count() == 0
    assert "no longer part of the course" in response.content.decode()


def test_completing_without_enrolling_sends_the_learner_to_enrol(
    learner_client, learner, course, steps
):
    response = learner_client.post(f"{steps[0].url}complete/", follow=True)
    assert StepCompletion.objects.filter(learner=learner).count() == 0
    assert response.redirect_chain[-1][0] == "/courses/listening/"
    assert "Please enrol in this course first." in response.content.decode()


def test_course_page_shows_ticks_and_continue_at_the_first_open_step(
    learner_client, learner, enrolled, steps
):
    for step in (steps[0], steps[2]):
        complete_step(learner=learner, step=LessonPage.objects.get(pk=step.id))
    page = soup(learner_client.get("/courses/listening/"))
    done = [
        li.find("a").get_text()
        for li in page.select(".outline-step")
        if "Done" in li.get_text()
    ]
    assert done == [steps[0].title, steps[2].title]
    continue_button = page.find("a", class_="btn-primary")
    assert continue_button["href"] == steps[1].url
    assert "Continue" in continue_button.get_text()
    assert "About 20 minutes left." in page.get_text(" ", strip=True)


def test_resume_remembers_the_last_step_visited(learner_client, enrolled, steps):
    learner_client.get(steps[2].url)
    enrolled.refresh_from_db()
    assert enrolled.last_step_id == steps[2].id
    page = soup(learner_client.get("/courses/listening/"))
    assert page.find("a", string=steps[2].title, href=steps[2].url) is not None
    assert "You were last reading" in page.get_text()


def test_dashboard_lists_courses_with_progress_and_continue(
    learner_client, learner, enrolled, steps
):
    complete_step(learner=learner, step=LessonPage.objects.get(pk=steps[0].id))
    page = soup(learner_client.get("/learn/"))
    assert page.title.get_text(strip=True) == "My learning · Circles"
    card = page.select_one(".dashboard-card")
    assert "Listening well" in card.get_text()
    assert "1 of 4 steps done" in card.get_text()
    assert card.find("a", class_="btn-primary")["href"] == steps[1].url


def test_completing_every_step_completes_the_course_once(
    learner, enrolled, steps, django_capture_on_commit_callbacks
):
    received = []

    def receiver(*, enrolment, **kwargs):
        received.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for step in steps:
                complete_step(learner=learner, step=LessonPage.objects.get(pk=step.id))
            # Announced again? A second completion of the last step changes nothing.
            complete_step(learner=learner, step=LessonPage.objects.get(pk=steps[-1].id))
    finally:
        course_completed.disconnect(receiver)
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None
    assert received == [enrolled.pk]


def test_the_last_step_says_well_done_and_returns_to_the_course(
    learner_client, learner, enrolled, steps
):
    for step in steps[:-1]:
        complete_step(learner=learner, step=LessonPage.objects.get(pk=step.id))
    response = learner_client.post(f"{steps[-1].url}complete/", follow=True)
    assert response.redirect_chain[-1][0] == "/courses/listening/"
    text = soup(response).get_text(" ", strip=True)
    assert "you have finished every step of this course" in text
    assert "You finished this course on" in text
    dashboard = soup(learner_client.get("/learn/")).get_text(" ", strip=True)
    assert "Finished on" in dashboard


def test_unpublished_steps_never_block_completion(learner, enrolled, steps):
    LessonPage.objects.get(pk=steps[-1].id).unpublish()
    for step in steps[:-1]:
        complete_step(learner=learner, step=LessonPage.objects.get(pk=step.id))
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None


def test_steps_published_after_completion_show_as_new_without_undoing_it(
    learner_client, learner, enrolled, steps, course
):
    for step in steps:
        complete_step(learner=learner, step=LessonPage.objects.get(pk=step.id))
    from courses.models import ModulePage
    from tests.factories import LessonFactory

    module = ModulePage.objects.child_of(course).last()
    LessonFactory(parent=module, title="A new lesson", slug="a-new-lesson")
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None
    page = soup(learner_client.get("/courses/listening/"))
    new_item = page.find("a", string="A new lesson").find_parent("li")
    assert "New" in new_item.get_text()
    assert "You finished this course on" in page.get_text(" ", strip=True)


def test_progress_survives_reordering_and_editing_steps(
    learner, enrolled, steps, course
):
    complete_step(learner=learner, step=LessonPage.objects.get(pk=steps[0].id))
    first = LessonPage.objects.get(pk=steps[0].id)
    second = LessonPage.objects.get(pk=steps[1].id)
    first.move(second, pos="right")
    first.title = "Lesson renamed"
    first.save_revision().publish()
    from courses.selectors import learner_progress

    progress = learner_progress(
        learner=learner, course=CoursePage.objects.get(pk=course.pk)
    )
    assert progress.done == 1
    assert progress.outline.steps[1].title == "Lesson renamed"
    assert progress.next_step.id == steps[1].id


def test_unpublishing_the_last_open_step_completes_the_course(
    learner, enrolled, steps, django_capture_on_commit_callbacks
):
    for step in steps[:-1]:
        complete_step(learner=learner, step=LessonPage.objects.get(pk=step.id))
    enrolled.refresh_from_db()
    assert enrolled.completed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        LessonPage.objects.get(pk=steps[-1].id).unpublish()
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None
