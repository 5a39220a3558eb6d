"""Accounts: a pseudonym and a password are enough; nothing more is asked."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail

User = get_user_model()


def errors_for(response, field):
    page = BeautifulSoup(response.content, "html.parser")
    block = page.select_one(f"#div_id_{field}")
    return block.select_one(".invalid-feedback").get_text(" ", strip=True)


def signup(client, **overrides):
    data = {
        "username": "river-stone",
        "email": "",
        "password1": "quiet morning walk",
        "password2": "quiet morning walk",
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


@pytest.mark.django_db
def test_sign_up_with_a_pseudonym_and_no_email(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(username="river-stone")
    assert user.email == ""
    # Signed in straight away.
    assert client.get("/accounts/password/change/").status_code == 200


@pytest.mark.django_db
def test_sign_up_page_says_no_real_name_is_needed(client):
    text = BeautifulSoup(
        client.get("/accounts/signup/").content, "html.parser"
    ).get_text()
    assert "You do not need to give your real name" in text
    assert "E-mail is optional" in text


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(client):
    signup(client)
    assert User.objects.get(username="river-stone").password.startswith("argon2")


@pytest.mark.django_db
def test_mismatched_passwords_are_explained_next_to_the_field(client):
    response = signup(client, password2="something else entirely")
    assert response.status_code == 200
    assert "same password" in errors_for(response, "password2")
    assert not User.objects.filter(username="river-stone").exists()


@pytest.mark.django_db
def test_a_short_password_is_explained_next_to_the_field(client):
    response = signup(client, password1="short", password2="short")
    assert "at least 10 characters" in errors_for(response, "password1")


@pytest.mark.django_db
def test_a_taken_username_is_explained_and_keeps_what_was_typed(client, learner):
    response = signup(client, username=learner.username)
    assert "already" in errors_for(response, "username")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#id_username")["value"] == learner.username


@pytest.mark.django_db
def test_sign_up_never_reveals_that_an_email_has_an_account(client, learner):
    learner.email = "someone@example.org"
    learner.save()
    response = signup(client, username="another-name", email="someone@example.org")
    assert "already" not in response.content.decode()
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_bad_email_is_explained_next_to_the_field(client):
    response = signup(client, email="not-an-address")
    assert "valid email" in errors_for(response, "email").lower()


@pytest.mark.django_db
def test_log_in_and_log_out(client, learner, password):
    response = client.post(
        "/accounts/login/", {"login": learner.username, "password": password}
    )
    assert response.status_code == 302
    assert client.get("/accounts/password/change/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/password/change/").status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_gets_a_clear_message(client, learner):
    response = client.post(
        "/accounts/login/", {"login": learner.username, "password": "not it at all"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client, learner, password):
    for _attempt in range(5):
        client.post(
            "/accounts/login/", {"login": learner.username, "password": "wrong guess!"}
        )
    # From this address, even the right password is refused until the limit
    # has passed (tests/security has the learner logging in from elsewhere).
    response = client.post(
        "/accounts/login/", {"login": learner.username, "password": password}
    )
    assert response.status_code == 429
    assert "too many tries" in response.content.decode()
    assert client.get("/accounts/password/change/").status_code == 302


@pytest.mark.django_db
def test_change_password(learner_client, learner, password):
    response = learner_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": password,
            "password1": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("a brand new passphrase")


@pytest.mark.django_db
def test_password_reset_by_email_with_a_neutral_subject(client, learner):
    learner.email = "someone@example.org"
    learner.save()
    response = client.post(
        "/accounts/password/reset/", {"email": "someone@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Your Circles update"
    link = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+)", message.body
    )
    form_page = client.get(link.group(1), follow=True)
    action = (
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    )
    done = client.post(
        action, {"password1": "a fresh passphrase", "password2": "a fresh passphrase"}
    )
    assert done.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("a fresh passphrase")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
