"""Failed logins count per name and address together: no stranger locks anyone out."""

import pytest

from .test_doors import HOME_ADDRESS, STRANGER, is_logged_in


@pytest.mark.django_db
def test_guessing_a_learners_password_from_elsewhere_never_locks_them_out(
    client, learner, password
):
    for _attempt in range(12):
        client.post(
            "/accounts/login/",
            {"login": "pseudonym", "password": "a wrong guess"},
            REMOTE_ADDR=STRANGER,
        )
    response = client.post(
        "/accounts/login/",
        {"login": "pseudonym", "password": password},
        REMOTE_ADDR=HOME_ADDRESS,
    )
    assert response.status_code == 302
    assert is_logged_in(client)


@pytest.mark.django_db
def test_the_guesser_is_refused_with_a_429_that_says_when_to_retry(
    client, learner, password
):
    for _attempt in range(5):
        response = client.post(
            "/accounts/login/",
            {"login": "pseudonym", "password": "a wrong guess"},
            REMOTE_ADDR=STRANGER,
        )
        assert response.status_code == 200
    response = client.post(
        "/accounts/login/",
        {"login": "pseudonym", "password": password},
        REMOTE_ADDR=STRANGER,
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 60
    assert "too many tries" in response.content.decode()
    assert not is_logged_in(client)
