"""A quiz's actions are routes of the quiz page, so its privacy settings cover them."""

import pytest
from wagtail.models import PageViewRestriction

from quizzes.models import QuizAttempt
from quizzes.services import start_attempt

from .conftest import form_data, right_answers


@pytest.fixture
def started(learner, enrolled, quiz):
    return start_attempt(learner=learner, quiz=quiz)


def password_protect(course):
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="circle"
    )


def asks_for_the_password(response) -> bool:
    return response.status_code == 200 and 'name="password"' in response.text


def test_starting_a_password_protected_quiz_asks_for_the_password(
    learner_client, enrolled, quiz_course, quiz
):
    password_protect(quiz_course)

    response = learner_client.post(f"{quiz.url}start/")

    assert asks_for_the_password(response)
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize("action", ["save", "submit"])
def test_answering_a_password_protected_quiz_asks_for_the_password(
    learner_client, started, quiz_course, quiz, action
):
    password_protect(quiz_course)

    response = learner_client.post(
        f"{quiz.url}attempts/{started.pk}/", form_data(right_answers(quiz), action)
    )

    assert asks_for_the_password(response)
    started.refresh_from_db()
    assert started.is_open
    assert started.answers == {}


def test_the_review_of_a_password_protected_quiz_asks_for_the_password(
    learner_client, started, quiz_course, quiz
):
    learner_client.post(
        f"{quiz.url}attempts/{started.pk}/", form_data(right_answers(quiz))
    )
    password_protect(quiz_course)

    response = learner_client.get(f"{quiz.url}attempts/{started.pk}/")

    assert asks_for_the_password(response)
    assert "You passed" not in response.text


def test_old_addresses_send_the_request_on_to_the_quiz_routes(
    learner_client, started, quiz
):
    start = learner_client.post(f"/learn/quizzes/{quiz.pk}/start/")
    attempt = learner_client.post(
        f"/learn/attempts/{started.pk}/", form_data(right_answers(quiz))
    )

    assert (start.status_code, start["Location"]) == (307, f"{quiz.url}start/")
    assert attempt.status_code == 307
    assert attempt["Location"] == f"{quiz.url}attempts/{started.pk}/"


def test_an_answer_posted_to_an_old_address_is_still_marked(
    learner_client, started, quiz
):
    response = learner_client.post(
        f"/learn/attempts/{started.pk}/", form_data(right_answers(quiz)), follow=True
    )

    assert "You passed with 100%" in response.text


def test_old_addresses_of_a_private_quiz_are_not_found_and_name_no_address(
    learner_client, started, quiz_course, quiz
):
    password_protect(quiz_course)

    for address in (
        f"/learn/quizzes/{quiz.pk}/start/",
        f"/learn/attempts/{started.pk}/",
    ):
        response = learner_client.post(address, form_data(right_answers(quiz)))
        assert response.status_code == 404
        assert "check" not in response.get("Location", "")
