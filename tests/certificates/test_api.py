"""The JSON API, the Open Badges credential, the DID document and the status list."""

import json
from datetime import UTC, datetime

import pytest

from certificates.keys import site_public_key
from certificates.services import change_printed_name, revoke_certificate
from certificates.signing import public_key_multibase, verify_proof
from certificates.status_list import is_set
from certificates.verification import validate_schema, verify_credential_document
from tests.queries import count_queries

from .issuing import PRINTED_NAME, certified, make_course


@pytest.fixture
def certificate(course_index):
    return certified(make_course(course_index, estimated_hours=3))


# Browsers name the page's origin on a cross-site request; CORS answers it.
VERIFIER = "https://verifier.example"


def api(client, code, suffix=""):
    return client.get(f"/api/v1/certificates/{code}{suffix}", HTTP_ORIGIN=VERIFIER)


def test_a_valid_certificate_as_json(client, certificate):
    response = api(client, certificate.display_code.lower())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "code": certificate.display_code,
        "status": "valid",
        "holder_name": PRINTED_NAME,
        "course": "Listening well",
        "hours": 3.0,
        "issued_on": certificate.issued_at.date().isoformat(),
        "expires_on": None,
        "revoked_on": None,
        "revocation_reason": None,
        "issuer": "Circles",
        "verify_url": f"http://testserver/verify/{certificate.display_code}/",
    }
    assert certificate.learner.username not in response.content.decode()


def test_expired_revoked_and_replaced_as_json(client, certificate, trainer):
    certificate.completed_at = datetime(2024, 1, 1, tzinfo=UTC)
    certificate.expires_at = datetime(2025, 1, 1, tzinfo=UTC)
    certificate.save()
    body = api(client, certificate.display_code).json()
    assert body["status"] == "expired" and body["expires_on"] == "2025-01-01"

    revoke_certificate(
        certificate=certificate, by=trainer, note="why", public_reason="In error"
    )
    body = api(client, certificate.display_code).json()
    assert body["status"] == "revoked"
    assert body["revoked_on"] and body["revocation_reason"] == "In error"

    other = certified(certificate.course, username="second")
    change_printed_name(learner=other.learner, printed_name="New Name")
    body = api(client, other.display_code).json()
    assert body["status"] == "replaced" and body["holder_name"] is None
    assert "New Name" not in json.dumps(body)


def test_unknown_is_404_json_and_malformed_is_400_json(client, db):
    response = api(client, "ABCD-EFGH-JKMN")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert response["Access-Control-Allow-Origin"] == "*"
    response = api(client, "not-a-code")
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_code"
    assert "12 letters and numbers" in response.json()["detail"]


def test_cors_preflight_is_answered(client, db):
    response = client.options(
        "/api/v1/certificates/ABCD-EFGH-JKMN",
        HTTP_ORIGIN=VERIFIER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code in {200, 204}
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert client.post("/api/v1/certificates/ABCD-EFGH-JKMN").status_code == 405


def test_the_api_is_rate_limited_with_a_clear_json_message(
    client, certificate, settings
):
    settings.CERTIFICATE_API_RATE = "2/m"
    assert api(client, certificate.display_code).status_code == 200
    assert api(client, "ABCD-EFGH-JKMN").status_code == 404
    for code in (certificate.display_code, "ABCD-EFGH-JKMN", "bad"):
        response = api(client, code)
        assert response.status_code == 429
        assert response.json() == {
            "error": "rate_limited",
            "detail": "Too many checks from your network. "
            "Please wait a minute and try again.",
        }
        assert response["Retry-After"] == "60"


def test_api_checks_are_counted_for_the_holder(client, certificate):
    api(client, certificate.display_code)
    api(client, certificate.display_code, "/credential")
    assert certificate.verifications.count() == 2


def test_the_credential_is_signed_and_valid_open_badges(client, certificate):
    response = api(client, certificate.display_code, "/credential")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    credential = json.loads(response.content)
    assert credential["id"] == (
        f"http://testserver/api/v1/certificates/{certificate.display_code}/credential"
    )
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "did:web:testserver"
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == PRINTED_NAME
    assert subject["achievement"]["name"] == "Listening well"
    assert "3 hours" in subject["achievement"]["description"]
    status = credential["credentialStatus"]
    assert status["statusListCredential"] == "http://testserver/status/1"
    assert status["statusListIndex"] == str(certificate.status_list_index)
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["verificationMethod"] == "did:web:testserver#key-1"
    assert validate_schema(credential) == []
    report = verify_credential_document(
        credential, public_key=site_public_key(), is_revoked=lambda index: False
    )
    assert report.verified, report.messages


def test_a_replaced_certificates_credential_is_gone(client, certificate):
    change_printed_name(learner=certificate.learner, printed_name="Another Name")
    response = api(client, certificate.display_code, "/credential")
    assert response.status_code == 410
    assert response.json()["status"] == "replaced"
    assert PRINTED_NAME not in response.content.decode()


def test_the_did_document_publishes_the_signing_key(client, db):
    response = client.get("/.well-known/did.json", HTTP_ORIGIN=VERIFIER)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["id"] == "did:web:testserver"
    [method] = document["verificationMethod"]
    assert method["type"] == "Multikey"
    assert method["id"] == "did:web:testserver#key-1"
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert method["publicKeyMultibase"] == public_key_multibase(site_public_key())
    assert document["assertionMethod"] == ["did:web:testserver#key-1"]


def status_bit(client, index):
    response = client.get("/status/1", HTTP_ORIGIN=VERIFIER)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert verify_proof(document, public_key=site_public_key())
    return is_set(document["credentialSubject"]["encodedList"], index)


def test_revoking_flips_the_certificates_bit_in_the_status_list(
    client, certificate, trainer, django_capture_on_commit_callbacks
):
    assert status_bit(client, certificate.status_list_index) is False  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(certificate=certificate, by=trainer, note="A mistake")
    assert status_bit(client, certificate.status_list_index) is True


def test_replacing_flips_the_old_certificates_bit(
    client, certificate, django_capture_on_commit_callbacks
):
    assert status_bit(client, certificate.status_list_index) is False
    with django_capture_on_commit_callbacks(execute=True):
        [new] = change_printed_name(
            learner=certificate.learner, printed_name="Amara O."
        )
    assert status_bit(client, certificate.status_list_index) is True
    assert status_bit(client, new.status_list_index) is False


def test_the_api_answers_a_valid_code_in_two_queries(
    client, certificate, support_settings
):
    """One read of the certificate and what it shows, one INSERT of the check."""
    url = f"/api/v1/certificates/{certificate.display_code}"
    assert count_queries(client, url) == 2
