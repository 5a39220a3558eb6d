"""Erasing a learner: all that names them goes; certificates kept or withdrawn."""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from certificates.models import Certificate
from certificates.selectors import signed_status_list
from certificates.status_list import is_set
from courses.models import Enrolment, StepCompletion
from learners.erasure import erase_learner
from quizzes.models import QuizAttempt
from tests.certificates.issuing import finish_course, make_course
from tests.factories import PASSWORD, UserFactory

from .data_history import FIRST_NAME, SECOND_NAME, build_history

User = get_user_model()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def history(course_index):
    """build_history plus a second finished course, so two certificates are current."""
    history = build_history(course_index)
    caring = make_course(course_index, title="Caring for yourself", slug="caring")
    finish_course(history.learner, caring)
    history.second = Certificate.objects.get(learner=history.learner, course=caring)
    return history


def text_of(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def private_files(settings) -> set[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def rows_pointing_at(user_id: int) -> list[str]:
    """Every row in any model whose foreign key to users holds user_id."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                if model._base_manager.filter(**{field.attname: user_id}).exists():
                    found.append(f"{model._meta.label}.{field.name}")
    return found


def rows_containing(*needles: str) -> list[str]:
    """Every text or JSON column, in every model, that holds one of the needles."""
    kinds = (models.CharField, models.TextField, models.JSONField)
    found = []
    for model in apps.get_models():
        fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                text = value if isinstance(value, str) else repr(value)
                for needle in needles:
                    if needle.lower() in text.lower():
                        found.append(f"{model._meta.label}.{name}: {needle}")
    return found


def test_the_erase_page_says_what_goes_and_what_stays(client, history):
    client.force_login(history.learner)
    response = client.get("/learn/data/erase/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = text_of(response)
    assert "What is erased" in text and "What stays" in text
    assert "Keep it verifiable" in text and "Withdraw it" in text
    # One choice for each certificate still in use; none for the replaced one.
    assert history.current.display_code in text
    assert history.second.display_code in text
    assert history.replaced.display_code not in text


def test_your_data_links_to_erasing(client, history):
    client.force_login(history.learner)
    page = BeautifulSoup(client.get("/learn/data/").content, "html.parser")
    assert page.find("a", href="/learn/data/erase/")


def test_a_wrong_password_erases_nothing(client, history):
    client.force_login(history.learner)
    response = client.post("/learn/data/erase/", {"password": "not my password"})
    assert response.status_code == 400
    assert "That is not your password" in text_of(response)
    assert User.objects.filter(pk=history.learner.pk).exists()
    assert Certificate.objects.filter(learner=history.learner).count() == 3


def test_guessing_the_password_is_stopped(client, history):
    client.force_login(history.learner)
    for _try in range(5):
        client.post("/learn/data/erase/", {"password": "guess"})
    response = client.post("/learn/data/erase/", {"password": PASSWORD})
    assert response.status_code == 429
    assert User.objects.filter(pk=history.learner.pk).exists()


def test_erasing_leaves_no_row_or_file_that_names_the_learner(
    client, history, settings
):
    learner = history.learner
    files_before = private_files(settings)
    own_files = {c.pdf.name for c in Certificate.objects.filter(learner=learner)}
    assert own_files and own_files <= files_before
    client.force_login(learner)

    response = client.post(
        "/learn/data/erase/",
        {
            "password": PASSWORD,
            f"certificate_{history.current.pk}": "keep",
            f"certificate_{history.second.pk}": "withdraw",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/learn/data/erased/"
    done = client.get(response["Location"])
    assert "Your account is erased" in text_of(done)
    # Signed out.
    assert client.get("/learn/").status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert rows_pointing_at(learner.pk) == []
    assert rows_containing("quiet-heron", "quiet-heron@example.org", FIRST_NAME) == []
    assert not (own_files & private_files(settings))

    # The kept certificate still checks out under its printed name only.
    kept = client.get(f"/verify/{history.current.display_code}/")
    assert kept.status_code == 200
    assert "This certificate is genuine and current" in text_of(kept)
    assert SECOND_NAME in text_of(kept)

    # The withdrawn one says so, with no name, in the page, the API and the list.
    withdrawn = Certificate.objects.get(pk=history.second.pk)
    assert SECOND_NAME not in repr(
        [getattr(withdrawn, f.attname) for f in Certificate._meta.concrete_fields]
    )
    page = client.get(f"/verify/{withdrawn.display_code}/")
    assert "Withdrawn at the holder's request" in text_of(page)
    assert SECOND_NAME not in text_of(page)
    status = client.get(f"/api/v1/certificates/{withdrawn.display_code}").json()
    assert status["status"] == "withdrawn"
    assert status["holder_name"] is None
    credential = client.get(f"/api/v1/certificates/{withdrawn.display_code}/credential")
    assert credential.status_code == 410
    encoded = signed_status_list()["credentialSubject"]["encodedList"]
    assert is_set(encoded, withdrawn.status_list_index)
    assert not is_set(encoded, history.current.status_list_index)

    # The replaced one says "replaced" and no longer holds the old name.
    replaced = client.get(f"/verify/{history.replaced.display_code}/")
    assert "Replaced" in text_of(replaced)


def test_erasing_one_learner_leaves_another_alone(course_index):
    mine = build_history(course_index, username="quiet-heron")
    other = build_history(course_index, username="bright-finch")
    erase_learner(learner=mine.learner)
    assert Enrolment.objects.filter(learner=other.learner).count() == 2
    assert StepCompletion.objects.filter(learner=other.learner).exists()
    assert QuizAttempt.objects.filter(learner=other.learner).exists()
    assert Certificate.objects.filter(learner=other.learner).count() == 2
    replaced = Certificate.objects.get(pk=other.replaced.pk)
    assert replaced.printed_name == FIRST_NAME


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(username="site-admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_the_admin_delete_explains_and_erases_through_the_same_service(
    admin_client, history, settings
):
    learner = history.learner
    url = f"/admin/users/delete/{learner.pk}/"
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    text = text_of(confirm)
    assert "What is erased" in text and "What stays" in text
    assert "every certificate is kept verifiable" in text

    response = admin_client.post(url)

    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert rows_pointing_at(learner.pk) == []
    assert rows_containing("quiet-heron", FIRST_NAME) == []
    kept = Certificate.objects.get(pk=history.current.pk)
    assert kept.learner_id is None
    assert kept.status == Certificate.Status.VALID
    assert kept.printed_name == SECOND_NAME
    assert Certificate.objects.get(pk=history.replaced.pk).printed_name == ""


def test_the_admin_bulk_delete_erases_too(admin_client, history):
    learner = history.learner
    url = f"/admin/bulk/learners/user/delete/?next=/admin/users/&id={learner.pk}"
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "What is erased" in text_of(confirm)
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    assert rows_containing("quiet-heron", FIRST_NAME) == []
