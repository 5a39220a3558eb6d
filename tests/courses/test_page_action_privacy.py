"""A course's and a step's actions are routes of their pages, so privacy covers them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses.models import Enrolment, StepCompletion, StepSkip


def password_protect(course):
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="circle"
    )


def asks_for_the_password(response) -> bool:
    return response.status_code == 200 and 'name="password"' in response.text


@pytest.mark.parametrize("action", ["complete/", "skip/", "continue/"])
def test_every_step_action_of_a_password_protected_course_asks_for_the_password(
    learner_client, learner, enrolled, course, steps, action
):
    password_protect(course)

    response = learner_client.post(f"{steps[0].url}{action}")

    assert asks_for_the_password(response)
    assert not StepCompletion.objects.filter(learner=learner).exists()
    assert not StepSkip.objects.filter(learner=learner).exists()


def test_the_step_itself_asks_for_the_password(learner_client, enrolled, course, steps):
    password_protect(course)
    assert asks_for_the_password(learner_client.get(steps[0].url))


def test_a_group_only_course_sends_others_to_log_in_and_records_nothing(
    learner_client, learner, enrolled, course, steps
):
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Spring cohort"))

    response = learner_client.post(f"{steps[0].url}complete/")

    assert response.status_code == 302
    assert not StepCompletion.objects.filter(learner=learner).exists()


def test_once_the_password_is_given_the_actions_work(
    learner_client, learner, enrolled, course, steps
):
    password_protect(course)
    restriction = PageViewRestriction.objects.get()
    learner_client.post(
        reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, course.pk]
        ),
        {"password": "circle", "return_url": course.url},
    )

    response = learner_client.post(f"{steps[0].url}complete/")

    assert response["Location"] == steps[1].url
    assert StepCompletion.objects.filter(learner=learner).exists()


@pytest.mark.parametrize("action", ["complete", "skip", "continue"])
def test_old_id_addresses_send_the_request_on_to_the_step_route(
    learner_client, enrolled, steps, action
):
    response = learner_client.post(f"/learn/steps/{steps[0].id}/{action}/")

    assert response.status_code == 307
    assert response["Location"] == f"{steps[0].url}{action}/"


def test_an_old_id_address_keeps_working_for_a_form_posted_to_it(
    learner_client, learner, enrolled, steps
):
    response = learner_client.post(f"/learn/steps/{steps[0].id}/complete/", follow=True)

    assert response.redirect_chain[-1][0] == steps[1].url
    assert StepCompletion.objects.filter(learner=learner, step_id=steps[0].id).exists()


def test_an_old_id_address_of_a_private_step_is_not_found_and_names_no_address(
    learner_client, enrolled, course, steps
):
    password_protect(course)

    response = learner_client.post(f"/learn/steps/{steps[0].id}/complete/")

    assert response.status_code == 404
    assert "listening" not in response.get("Location", "")


def test_enrolling_in_a_password_protected_course_asks_for_the_password(
    learner_client, learner, course
):
    password_protect(course)

    response = learner_client.post(f"{course.url}enrol/")

    assert asks_for_the_password(response)
    assert not Enrolment.objects.filter(learner=learner).exists()


def test_the_old_enrol_address_sends_the_form_on_and_enrols(
    learner_client, learner, course, steps
):
    response = learner_client.post(f"/learn/courses/{course.id}/enrol/")
    assert response.status_code == 307
    assert response["Location"] == f"{course.url}enrol/"

    followed = learner_client.post(f"/learn/courses/{course.id}/enrol/", follow=True)

    assert followed.redirect_chain[-1][0] == steps[0].url
    assert Enrolment.objects.filter(learner=learner, course=course).exists()


def test_the_old_enrol_address_of_a_private_course_is_not_found(
    learner_client, learner, course
):
    password_protect(course)

    response = learner_client.post(f"/learn/courses/{course.id}/enrol/")

    assert response.status_code == 404
    assert not Enrolment.objects.filter(learner=learner).exists()


def test_enrolling_needs_a_post(learner_client, learner, course):
    response = learner_client.get(f"{course.url}enrol/")

    assert response.status_code == 405
    assert not Enrolment.objects.filter(learner=learner).exists()
