"""Text checks compare text as a reader sees it: invisible and look-alike
characters cannot slip a word or a name past them."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from circles.neutral import sensitive_words_in
from circles.normalise import one_line, skeleton
from courses.models import CoursePage
from tests.factories import UserFactory

User = get_user_model()


@pytest.mark.parametrize(
    "text",
    [
        "Traffic\u00adking",  # soft hyphen
        "Traf\u200bficking",  # zero-width space
        "Traffic\u2060king",  # word joiner
        "\u202etrafficking",  # right-to-left override
        "Tr\u0430fficking",  # Cyrillic а
        "ＴＲＡＦＦＩＣＫＩＮＧ",  # full-width letters
        "Tráfficking",  # an accent
    ],
)
def test_hidden_and_look_alike_characters_do_not_hide_a_sensitive_word(text):
    assert sensitive_words_in(f"Module: {text} today") == ["trafficking"]


def test_neutral_words_stay_neutral():
    assert sensitive_words_in("Listening well, with care") == []
    assert skeleton("Listening") == "listening"


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["Traffic\u00adking basics", "Traf\u200bficking"])
def test_a_course_titled_with_a_hidden_sensitive_word_is_refused(course_index, title):
    with pytest.raises(ValidationError) as refusal:
        course_index.add_child(
            instance=CoursePage(title=title, slug="basics", summary="Plain.")
        )
    assert "title" in refusal.value.message_dict


def sign_up(client, username):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": "",
            "password1": "quiet morning walk",
            "password2": "quiet morning walk",
        },
    )


def username_error(response) -> str:
    page = BeautifulSoup(response.content, "html.parser")
    return page.select_one("#div_id_username .invalid-feedback").get_text(strip=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "look_alike",
    [
        "tr\u0430iner",  # Cyrillic а: the trainer's account
        "riv\u0435r-stone",  # Cyrillic е: a learner's account
        "RIVER-STONE",  # only case differs (allauth's own check)
    ],
)
def test_a_look_alike_of_an_existing_username_is_refused(client, trainer, look_alike):
    UserFactory(username="river-stone")
    accounts = User.objects.count()
    response = sign_up(client, look_alike)
    assert response.status_code == 200
    assert username_error(response)
    assert User.objects.count() == accounts


@pytest.mark.django_db
def test_the_look_alike_refusal_says_why(client, db):
    UserFactory(username="river-stone")
    response = sign_up(client, "riv\u0435r-stone")
    assert "looks too much like a name already in use" in username_error(response)


@pytest.mark.django_db
def test_a_name_unlike_any_other_is_welcome(client, db):
    UserFactory(username="river-stone")
    assert sign_up(client, "мария").status_code == 302
    assert sign_up(client, "josé-luis").status_code == 302


def test_control_characters_in_a_printed_name_become_spaces():
    assert one_line("Alice\n\tSmith") == "Alice Smith"
    assert one_line("Alice\u0007Smith") == "Alice Smith"
    assert one_line("Ali\u00adce\u200b Smith") == "Alice Smith"


@pytest.mark.django_db
def test_a_printed_name_typed_across_lines_is_saved_on_one(client, learner):
    client.force_login(learner)
    client.post("/learn/certificates/name/", {"printed_name": "Alice\n\tSmith"})
    learner.refresh_from_db()
    assert learner.certificate_name == "Alice Smith"
