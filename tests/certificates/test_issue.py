"""Issuing: exactly once, after the name is chosen, with a snapshot and a PDF."""

import hashlib
import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import TestCase

from certificates import services
from certificates.codes import ALPHABET
from certificates.models import (
    STATUS_LIST_SIZE,
    Certificate,
    CertificatePolicy,
    CertificateTemplate,
)
from certificates.services import (
    PrintedNameNeeded,
    add_months,
    change_printed_name,
    issue_certificate,
)
from certificates.signals import issue_on_course_completion
from courses.models import Enrolment
from courses.signals import course_completed
from tests.factories import UserFactory

from .issuing import PRINTED_NAME, certified, finish_course, make_course


@pytest.fixture
def course(course_index):
    return make_course(course_index)


@pytest.fixture
def named_learner(db):
    return UserFactory(username="holder", certificate_name=PRINTED_NAME)


def test_finishing_a_course_issues_one_certificate_with_a_snapshot(
    course_index, named_learner
):
    template = CertificateTemplate.objects.create(
        name="Standard", signatory_name="Jo Okafor", signatory_title="Lead trainer"
    )
    course = make_course(course_index, estimated_hours=Decimal("3.5"))
    CertificatePolicy.objects.create(course=course, template=template, valid_months=24)

    finish_course(named_learner, course)

    certificate = Certificate.objects.get(learner=named_learner, course=course)
    enrolment = Enrolment.objects.get(learner=named_learner, course=course)
    assert certificate.printed_name == PRINTED_NAME
    assert certificate.course_title == "Listening well"
    assert certificate.course_hours == Decimal("3.5")
    assert certificate.completed_at == enrolment.completed_at
    assert certificate.issuer_name == "Circles"
    assert certificate.signatory_line == "Jo Okafor, Lead trainer"
    assert certificate.expires_at == add_months(enrolment.completed_at, 24)
    assert certificate.status == Certificate.Status.VALID
    assert len(certificate.code) == 12 and set(certificate.code) <= set(ALPHABET)
    assert certificate.display_code.count("-") == 2
    assert 0 <= certificate.status_list_index < STATUS_LIST_SIZE


def test_the_pdf_is_rendered_once_and_stored_with_its_sha256(course, named_learner):
    finish_course(named_learner, course)
    certificate = Certificate.objects.get(learner=named_learner)
    assert certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name)
    data = certificate.pdf.storage.open(certificate.pdf.name).read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    assert certificate.files.get().sha256 == certificate.pdf_sha256
    # Nothing in the stored name says whose it is or which code it has.
    assert certificate.code not in certificate.pdf.name
    assert "okafor" not in certificate.pdf.name.lower()


def test_completion_announced_twice_still_issues_one_certificate(course, named_learner):
    finish_course(named_learner, course)
    enrolment = Enrolment.objects.get(learner=named_learner, course=course)
    for _twice in range(2):
        course_completed.send(
            sender=Enrolment, enrolment=enrolment, learner=named_learner, course=course
        )
        issue_on_course_completion(
            Enrolment, enrolment=enrolment, learner=named_learner, course=course
        )
    assert Certificate.objects.filter(learner=named_learner, course=course).count() == 1


def test_the_database_refuses_a_second_current_certificate(course):
    first = certified(course)
    duplicate = Certificate.objects.get(pk=first.pk)
    duplicate.pk = None
    duplicate.code = "0000000000AB"
    duplicate.status_list_index = (first.status_list_index + 1) % STATUS_LIST_SIZE
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save(force_insert=True)


def test_losing_the_race_returns_the_winners_certificate(
    course, named_learner, monkeypatch
):
    """Two processes both see no certificate; the constraint lets one insert."""
    finish_course(named_learner, course)
    winner = Certificate.objects.get(learner=named_learner)
    real_current = services.current_certificate
    calls = []

    def stale_then_real(**kwargs):
        calls.append(kwargs)
        # The first look happens "before the other process committed".
        return None if len(calls) == 1 else real_current(**kwargs)

    monkeypatch.setattr(services, "current_certificate", stale_then_real)
    assert issue_certificate(learner=named_learner, course=course) == winner
    assert Certificate.objects.filter(learner=named_learner).count() == 1
    assert len(calls) == 2  # the second look came after the IntegrityError


@pytest.mark.django_db(transaction=True)
def test_two_threads_issuing_at_once_make_one_certificate(course_index):
    course = make_course(course_index)
    learner = UserFactory(username="racer", certificate_name=PRINTED_NAME)
    Enrolment.objects.create(
        learner=learner, course=course, completed_at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    barrier = threading.Barrier(2)
    results, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=10)
            results.append(issue_certificate(learner=learner, course=course).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Certificate.objects.filter(learner=learner, course=course).count() == 1


def test_once_named_finishing_the_last_step_shows_the_ready_certificate(
    course, named_learner, client
):
    from courses.outline import course_outline
    from courses.services import enrol

    client.force_login(named_learner)
    enrol(learner=named_learner, course=course)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for entry in course_outline(course).steps:
            response = client.post(f"{entry.url}complete/")
    assert response["Location"] == course.url
    page = client.get(course.url).content.decode()
    assert "Your certificate is ready" in page
    assert "Choose the name" not in page
    certificate = Certificate.objects.get(learner=named_learner, course=course)
    assert certificate.display_code in page


def test_nothing_is_issued_before_the_name_is_chosen(course, learner):
    finish_course(learner, course)
    assert not Certificate.objects.exists()
    with pytest.raises(PrintedNameNeeded):
        issue_certificate(learner=learner, course=course)


def test_the_course_page_asks_for_the_name_and_the_name_page_explains(
    course, learner, learner_client
):
    finish_course(learner, course)
    page = learner_client.get(course.url).content.decode()
    assert "Choose the name for your certificate" in page

    response = learner_client.get(f"/learn/certificates/name/?next={course.url}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "shown only on the certificate, and to people you give its code to" in html
    assert 'autocomplete="off"' in html
    assert 'value="' not in html.split('name="printed_name"')[1].split(">")[0]


def test_choosing_the_name_issues_the_certificate_and_the_course_page_says_so(
    course, learner, learner_client
):
    finish_course(learner, course)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = learner_client.post(
            f"/learn/certificates/name/?next={course.url}",
            {"printed_name": "  Trần   Thị Hoa "},
        )
    assert response.status_code == 302 and response["Location"] == course.url
    certificate = Certificate.objects.get(learner=learner, course=course)
    assert certificate.printed_name == "Trần Thị Hoa"
    assert certificate.pdf_sha256

    page = learner_client.get(course.url).content.decode()
    assert "Your certificate is ready" in page
    assert certificate.display_code in page
    assert f"/learn/certificates/{certificate.display_code}/download/" in page
    assert f"/verify/{certificate.display_code}/" in page
    # The printed name is on the certificate, not on the course page.
    assert "Trần Thị Hoa" not in page


def test_changing_the_name_replaces_the_certificate(course, client):
    old = certified(course)
    with TestCase.captureOnCommitCallbacks(execute=True):
        [new] = change_printed_name(learner=old.learner, printed_name="Amara O.")
    old.refresh_from_db()
    assert old.status == Certificate.Status.REPLACED
    assert old.replaced_by == new
    assert old.replacement_reason == Certificate.Replacement.NAME_CHANGE
    assert new.printed_name == "Amara O." and new.code != old.code
    assert new.completed_at == old.completed_at
    assert new.status_list_index != old.status_list_index

    page = client.get(f"/verify/{old.display_code}/").content.decode()
    assert "Replaced" in page
    assert "Amara" not in page


def test_the_same_name_again_changes_nothing(course):
    certificate = certified(course)
    assert (
        change_printed_name(learner=certificate.learner, printed_name=PRINTED_NAME)
        == []
    )
    assert Certificate.objects.count() == 1


def test_a_revoked_certificate_is_not_replaced_by_a_name_change(course, trainer):
    certificate = certified(course)
    services.revoke_certificate(certificate=certificate, by=trainer, note="Error")
    change_printed_name(learner=certificate.learner, printed_name="Someone Else")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert Certificate.objects.count() == 1


def test_a_course_without_certificates_issues_none(course_index, named_learner):
    course = make_course(course_index, offers_certificate=False)
    finish_course(named_learner, course)
    assert not Certificate.objects.exists()
    assert "certificate" not in named_learner.enrolments.get().course.title.lower()


def test_claiming_a_missing_certificate_from_the_course_page(
    course, named_learner, client
):
    # Finished before certificates existed: the signal never came.
    Enrolment.objects.create(
        learner=named_learner, course=course, completed_at=datetime.now(UTC)
    )
    client.force_login(named_learner)
    assert "Make my certificate" in client.get(course.url).content.decode()
    response = client.post(f"/learn/certificates/courses/{course.pk}/issue/")
    assert response.status_code == 302
    assert Certificate.objects.filter(learner=named_learner, course=course).exists()


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(
        2026, 2, 28, tzinfo=UTC
    )
    assert add_months(datetime(2026, 11, 15, tzinfo=UTC), 14) == datetime(
        2028, 1, 15, tzinfo=UTC
    )
