"""Every way in has the same lock: one login page, limits on every password form."""

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import CourseFactory

STRANGER = "10.0.0.9"
HOME_ADDRESS = "10.0.0.1"


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("door", ["/admin/login/", "/_util/login/"])
def test_wagtails_login_views_do_not_let_anyone_past_the_login_limits(
    client, trainer, password, door
):
    for _attempt in range(30):
        client.post(door, {"username": "trainer", "password": "a wrong guess"})
    response = client.post(door, {"username": "trainer", "password": password})
    assert not is_logged_in(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_the_admin_login_sends_trainers_to_the_one_login_page_and_back(
    client, trainer, password
):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    response = client.post(
        response["Location"], {"login": "trainer", "password": password}
    )
    assert response["Location"] == "/admin/pages/"
    # A `next` leading to another site is dropped.
    response = client.get("/admin/login/?next=https://elsewhere.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


@pytest.fixture
def protected_course(course_index):
    course = CourseFactory(parent=course_index, title="Group work", slug="group")
    restriction = PageViewRestriction.objects.create(
        page=course,
        restriction_type=PageViewRestriction.PASSWORD,
        password="group-only",
    )
    return course, f"/_util/authenticate_with_password/{restriction.pk}/{course.pk}/"


def try_password(client, url, password, address=STRANGER):
    return client.post(
        url,
        {"password": password, "return_url": "/courses/group/"},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_page_passwords_cannot_be_guessed_without_limit(client, protected_course):
    _course, url = protected_course
    for _attempt in range(10):
        assert try_password(client, url, "a wrong guess").status_code == 200
    response = try_password(client, url, "group-only")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Someone else, elsewhere, still gets in with the right password.
    response = try_password(client, url, "group-only", address=HOME_ADDRESS)
    assert response.status_code == 302


@pytest.mark.django_db
def test_right_page_passwords_are_not_counted(client, protected_course):
    _course, url = protected_course
    for _attempt in range(15):
        assert try_password(client, url, "group-only").status_code == 302
