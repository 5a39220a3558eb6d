"""Certificates whose holder erased their account: kept ones stay revocable,
withdrawn ones are never revoked, re-rendered or downloaded."""

import pytest

from certificates.models import Certificate
from learners.erasure import erase_learner

from .issuing import certified, make_course
from .test_admin_actions import LIST, bulk, visible_text


@pytest.fixture
def course(course_index):
    return make_course(course_index)


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def _erase(certificate, *, withdraw):
    erase_learner(
        learner=certificate.learner, withdraw=[certificate.pk] if withdraw else []
    )
    certificate.refresh_from_db()
    return certificate


def test_a_kept_certificate_of_an_erased_holder_can_be_revoked(trainer_client, course):
    kept = _erase(certified(course), withdraw=False)
    assert kept.learner is None

    response = trainer_client.post(
        f"/admin/certificates/{kept.pk}/revoke/",
        {"note": "Issued in error.", "public_reason": ""},
    )

    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.status == Certificate.Status.REVOKED


def test_a_withdrawn_certificate_offers_no_revoke_pdf_or_new_pdf(
    trainer_client, course
):
    withdrawn = _erase(certified(course), withdraw=True)
    kept = _erase(certified(course, username="second"), withdraw=False)

    row = trainer_client.get(LIST).content.decode()
    assert f"/admin/certificates/{withdrawn.pk}/revoke/" not in row
    assert f"/admin/certificates/{kept.pk}/revoke/" in row
    assert f"/learn/certificates/{withdrawn.display_code}/download/" not in row

    response = trainer_client.post(
        f"/admin/certificates/{withdrawn.pk}/revoke/",
        {"note": "Trying anyway.", "public_reason": ""},
    )
    assert response.status_code in (302, 200)
    withdrawn.refresh_from_db()
    assert withdrawn.status == Certificate.Status.WITHDRAWN
    assert (
        trainer_client.get(
            f"/learn/certificates/{withdrawn.display_code}/download/"
        ).status_code
        == 404
    )

    zipped = trainer_client.post(bulk("download", withdrawn, kept))
    assert withdrawn.display_code not in zipped.content.decode("latin-1")
    withdrawn.refresh_from_db()
    assert not withdrawn.pdf


@pytest.mark.parametrize(
    ("status", "shows_withdrawn", "shows_valid"),
    [("withdrawn", True, False), ("valid", False, True), ("replaced", False, False)],
)
def test_the_status_filter_knows_withdrawn(
    trainer_client, course, status, shows_withdrawn, shows_valid
):
    withdrawn = _erase(certified(course), withdraw=True)
    valid = certified(course, username="second")

    response = trainer_client.get(f"{LIST}?status={status}")

    assert response.status_code == 200
    text = visible_text(response)
    assert (withdrawn.display_code in text) is shows_withdrawn
    assert (valid.display_code in text) is shows_valid
