"""A learner's language is theirs: remembered on the account, gone with the exit."""

from django.test import Client
from wagtail.users.models import UserProfile

from learners.export import learner_data


def test_a_signed_in_choice_follows_the_learner_to_another_browser(
    learner_client, learner, password, home
):
    learner_client.get("/language/ar/?next=/")
    assert UserProfile.get_for_user(learner).preferred_language == "ar"

    elsewhere = Client()
    response = elsewhere.post(
        "/accounts/login/", {"login": learner.username, "password": password}
    )
    assert response.status_code == 302
    assert response.cookies["circles_language"].value == "ar"
    html = elsewhere.get("/").content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html


def test_a_visitor_s_choice_is_kept_on_this_browser_only(client, home):
    response = client.get("/language/es/?next=/")
    assert response.cookies["circles_language"].value == "es"
    assert not UserProfile.objects.exists()


def test_the_quick_exit_forgets_the_language(learner_client, home):
    learner_client.get("/language/es/?next=/")
    response = learner_client.get("/exit/")
    cookie = response.cookies["circles_language"]
    assert cookie.value == "" and cookie["max-age"] == 0
    html = Client().get("/").content.decode()
    assert 'lang="en"' in html


def test_the_language_is_in_the_learner_s_export(learner_client, learner, home):
    learner_client.get("/language/es/?next=/")
    assert learner_data(learner=learner).tables["account"][0]["language"] == "es"
