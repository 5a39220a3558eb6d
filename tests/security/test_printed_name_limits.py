"""Printed-name changes are limited: each one issues certificates and uses slots."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from tests.certificates.issuing import certified, make_course
from tests.factories import UserFactory

NAME_PAGE = "/learn/certificates/name/"


@pytest.fixture
def holder(course_index):
    return certified(make_course(course_index)).learner


def change_name(client, name):
    return client.post(NAME_PAGE, {"printed_name": name})


def field_error(response) -> str:
    return " ".join(response.context["form"].errors.get("printed_name", []))


@pytest.mark.django_db
def test_three_name_changes_a_day_then_try_tomorrow_or_ask_the_trainer(client, holder):
    client.force_login(holder)
    for n in range(3):
        assert change_name(client, f"Amara {n}").status_code == 302
    response = change_name(client, "Amara Again")
    assert response.status_code == 200
    assert "try again tomorrow, or ask your trainer" in field_error(response)
    holder.refresh_from_db()
    assert holder.certificate_name == "Amara 2"
    assert Certificate.objects.filter(learner=holder).count() == 4


@pytest.mark.django_db
def test_ten_name_changes_in_all_then_ask_the_trainer(client, holder):
    client.force_login(holder)
    for n in range(10):
        assert change_name(client, f"Amara {n}").status_code == 302
        # Spread the changes over days, as a patient learner would.
        Certificate.objects.filter(learner=holder, replaced_at__isnull=False).update(
            replaced_at=timezone.now() - timedelta(days=2)
        )
    response = change_name(client, "Amara Again")
    assert "Please ask your trainer to change it for you" in field_error(response)
    assert Certificate.objects.filter(learner=holder).count() == 11


@pytest.mark.django_db
def test_choosing_a_name_before_any_certificate_is_not_counted(client, home):
    learner = UserFactory(username="early-bird")
    client.force_login(learner)
    for n in range(6):
        assert change_name(client, f"Early {n}").status_code == 302
    learner.refresh_from_db()
    assert learner.certificate_name == "Early 5"
