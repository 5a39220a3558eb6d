"""Your data: a learner sees everything the site keeps about them, and no one else's."""

import pytest
from bs4 import BeautifulSoup

from learners.export import TABLES, learner_data

from .data_history import FIRST_NAME, SECOND_NAME, build_history, first_choice_texts


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def history(course_index):
    return build_history(course_index)


def page_text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def test_my_learning_links_to_your_data(client, history):
    client.force_login(history.learner)
    page = BeautifulSoup(client.get("/learn/").content, "html.parser")
    assert page.find("a", href="/learn/data/", string="Your data")


def test_your_data_needs_signing_in(client, db):
    response = client.get("/learn/data/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_your_data_shows_everything_kept(client, history):
    client.force_login(history.learner)
    response = client.get("/learn/data/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = page_text(response)
    # Account
    assert "quiet-heron" in text
    assert "quiet-heron@example.org" in text
    # Enrolments and cohort
    assert "Listening well" in text and "Boundaries" in text
    assert "Spring group" in text
    # Steps done (one marked by a trainer, with why) and skipped
    assert "Lesson 1.1" in text and "Did it in class" in text
    assert "Lesson 1.2" in text
    # Quiz answers as the words chosen, and the trainer's reset
    assert "Check your understanding" in text
    for choice in first_choice_texts(history.quiz):
        assert choice in text
    assert "Phone died" in text
    # Certificates with every printed name, and how often checked
    assert FIRST_NAME in text and SECOND_NAME in text
    assert history.replaced.display_code in text
    assert history.current.display_code in text
    # Announcement hidden
    assert "News from trainers you hid" in text


def test_export_holds_every_table_and_nothing_of_another_learner(course_index):
    mine = build_history(course_index, username="quiet-heron")
    other = build_history(course_index, username="bright-finch")
    data = learner_data(learner=mine.learner)
    assert set(data.tables) == set(TABLES)
    for table in TABLES:
        assert data[table], f"{table} is empty"
    certificates = {row["code"] for row in data["certificates"]}
    assert certificates == {mine.replaced.display_code, mine.current.display_code}
    assert len(data["enrolments"]) == 2
    assert len(data["quiz_attempts"]) == 1
    assert data["quiz_attempts"][0]["answers"][0]["chosen"]
    assert data["account"][0]["username"] == "quiet-heron"
    assert "bright-finch" not in repr(data.tables)
    assert other.current.display_code not in repr(data.tables)


def test_the_page_shows_nothing_of_another_learner(client, course_index):
    mine = build_history(course_index, username="quiet-heron")
    other = build_history(course_index, username="bright-finch")
    client.force_login(mine.learner)
    text = page_text(client.get("/learn/data/"))
    assert "bright-finch" not in text
    assert other.current.display_code not in text
    assert other.replaced.display_code not in text
