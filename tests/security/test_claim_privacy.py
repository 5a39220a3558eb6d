"""Claiming a certificate checks the course's privacy, like every id-based view."""

import pytest
from wagtail.models import PageViewRestriction

from certificates.models import Certificate
from tests.certificates.issuing import finish_course, make_course
from tests.factories import UserFactory


@pytest.fixture
def finished(course_index):
    """A learner who finished a course before choosing a printed name."""
    course = make_course(course_index)
    learner = UserFactory(username="quiet-heron")
    finish_course(learner, course)
    return learner, course


def claim(client, course):
    return client.post(f"/learn/certificates/courses/{course.pk}/issue/")


@pytest.mark.django_db
def test_claiming_for_a_private_course_answers_404_and_names_no_address(
    client, finished
):
    learner, course = finished
    PageViewRestriction.objects.create(
        page=course,
        restriction_type=PageViewRestriction.PASSWORD,
        password="group-only",
    )
    client.force_login(learner)
    response = claim(client, course)
    assert response.status_code == 404
    assert "listening" not in response.get("Location", "")
    assert not Certificate.objects.filter(learner=learner).exists()


@pytest.mark.django_db
def test_claiming_for_an_open_course_still_asks_for_the_name(client, finished):
    learner, course = finished
    client.force_login(learner)
    response = claim(client, course)
    assert response.status_code == 302
    assert response["Location"].startswith("/learn/certificates/name/")
