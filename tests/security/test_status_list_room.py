"""The revocation list grows before it fills, issuing never fails unnoticed, and
trainers are warned when it is 80% used."""

import logging

import pytest

from certificates import status_list
from certificates.models import Certificate
from certificates.services import (
    issue_certificate,
    revoke_certificate,
)
from certificates.status_list import (
    MIN_SIZE,
    StatusListFull,
    decode_status_list,
    is_set,
    list_size,
)
from circles.refusals import Refusal
from tests.certificates.issuing import certified, finish_course, make_course
from tests.factories import UserFactory


def test_the_list_doubles_before_more_than_half_its_slots_are_used():
    assert list_size(used=0) == MIN_SIZE
    assert list_size(used=MIN_SIZE // 2) == MIN_SIZE
    assert list_size(used=MIN_SIZE // 2 + 1) == 2 * MIN_SIZE
    assert list_size(used=MIN_SIZE + 1) == 4 * MIN_SIZE
    # A slot already given out always stays inside the list.
    assert list_size(used=3, highest_index=MIN_SIZE) == 2 * MIN_SIZE


def test_past_its_capacity_the_list_says_it_is_full():
    with pytest.raises(StatusListFull):
        list_size(used=status_list.CAPACITY + 1)


@pytest.fixture
def course(course_index):
    return make_course(course_index)


@pytest.mark.django_db
def test_the_published_list_grows_and_keeps_every_slot(client, course, trainer):
    certificate = certified(course)
    # As if the first list had filled: this slot lies in the second half.
    Certificate.objects.filter(pk=certificate.pk).update(status_list_index=MIN_SIZE + 5)
    certificate.refresh_from_db()
    revoke_certificate(certificate=certificate, by=trainer, note="test")
    encoded = client.get("/status/1").json()["credentialSubject"]["encodedList"]
    assert len(decode_status_list(encoded)) * 8 == 2 * MIN_SIZE
    assert is_set(encoded, MIN_SIZE + 5)


@pytest.mark.django_db
def test_new_slots_are_drawn_from_the_grown_list(course, monkeypatch):
    certified(course)
    # One certificate already fills more than half of a list this small.
    monkeypatch.setattr(status_list, "GROW_AT", 1 / MIN_SIZE)
    indexes = {
        certified(course, username=f"learner-{n}").status_list_index for n in range(12)
    }
    assert max(indexes) >= 2 * MIN_SIZE


@pytest.mark.django_db
def test_a_full_list_stops_issuing_with_a_message_and_an_error_in_the_log(
    course, monkeypatch, caplog
):
    certified(course)
    monkeypatch.setattr(status_list, "CAPACITY", 1)
    learner = UserFactory(username="late-comer", certificate_name="Late Comer")
    with caplog.at_level(logging.ERROR):
        finish_course(learner, course)
        with pytest.raises(Refusal) as refusal:
            issue_certificate(learner=learner, course=course)
    assert "tell your trainer" in str(refusal.value.message)
    assert "revocation list is full" in caplog.text
    assert not Certificate.objects.filter(learner=learner).exists()


@pytest.mark.django_db
def test_trainers_are_warned_on_the_dashboard_at_80_percent(
    client, course, trainer, monkeypatch
):
    for n in range(4):
        certified(course, username=f"learner-{n}")
    client.force_login(trainer)
    monkeypatch.setattr(status_list, "CAPACITY", 10)
    assert "revocation list is" not in client.get("/admin/").content.decode()
    monkeypatch.setattr(status_list, "CAPACITY", 5)
    page = client.get("/admin/").content.decode()
    assert "The certificate revocation list is 80% used (4 of 5 slots)" in page
