"""`manage.py verify_credential FILE`: a readable report, non-zero unless verified."""

import copy
import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from certificates.services import change_printed_name, revoke_certificate
from certificates.signing import generate_private_key, public_key_multibase

from .issuing import certified, make_course


@pytest.fixture
def certificate(course_index):
    return certified(make_course(course_index))


@pytest.fixture
def served(client, certificate):
    """The credential exactly as the API serves it."""
    response = client.get(f"/api/v1/certificates/{certificate.display_code}/credential")
    return json.loads(response.content)


def run(tmp_path, document, *args):
    path = tmp_path / "credential.json"
    path.write_text(
        document if isinstance(document, str) else json.dumps(document),
        encoding="utf-8",
    )
    out = StringIO()
    try:
        call_command("verify_credential", str(path), *args, stdout=out)
    except CommandError as error:
        return False, out.getvalue(), error
    return True, out.getvalue(), None


def test_a_served_credential_is_verified_with_a_readable_report(
    tmp_path, served, certificate
):
    verified, out, _error = run(tmp_path, served)
    assert verified, out
    for line in ("PASSED  signature", "PASSED  schema", "PASSED  status"):
        assert line in out
    assert "PASSED  validity" in out
    assert f"certificate {certificate.display_code} is valid" in out
    assert "The credential is verified." in out


def test_a_revoked_credential_fails_with_exit_status_1(
    tmp_path, served, certificate, trainer
):
    revoke_certificate(certificate=certificate, by=trainer, note="Issued in error")
    verified, out, error = run(tmp_path, served)
    assert not verified
    assert error.returncode == 1
    assert "FAILED  status" in out and "has been revoked" in out
    assert f"certificate {certificate.display_code} is revoked" in out


def test_a_replaced_credential_fails(tmp_path, served, certificate):
    change_printed_name(learner=certificate.learner, printed_name="Someone New")
    verified, out, _error = run(tmp_path, served)
    assert not verified and "FAILED  status" in out


def test_an_expired_credential_fails_on_validity(tmp_path, certificate, client):
    from certificates import services

    certificate.completed_at = datetime(2023, 1, 1, tzinfo=UTC)
    certificate.expires_at = datetime(2024, 1, 1, tzinfo=UTC)
    certificate.credential = services._signed_credential(certificate)
    certificate.save()
    verified, out, _error = run(tmp_path, certificate.credential)
    assert not verified
    assert "FAILED  validity" in out and "expired on 2024-01-01" in out


def test_another_key_does_not_verify(tmp_path, served):
    other = public_key_multibase(generate_private_key().public_key())
    verified, out, _error = run(tmp_path, served, "--public-key", other)
    assert not verified and "FAILED  signature" in out


def test_a_file_that_is_not_json_is_refused(tmp_path, db):
    verified, _out, error = run(tmp_path, "{not json")
    assert not verified and "is not JSON" in str(error)


def leaves(value, path=()):
    """Every scalar in a JSON document, with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x" if value else "x"
    return "x"


def test_changing_any_field_of_a_served_credential_makes_it_fail(tmp_path, served):
    paths = list(leaves(served))
    assert len(paths) > 25
    survivors = []
    for path, value in paths:
        document = copy.deepcopy(served)
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = changed(value)
        verified, _out, _error = run(tmp_path, document)
        if verified:
            survivors.append(path)
    assert survivors == []


def test_removing_any_field_of_a_served_credential_makes_it_fail(tmp_path, served):
    survivors = []
    for key in served:
        document = {k: v for k, v in served.items() if k != key}
        if run(tmp_path, document)[0]:
            survivors.append(key)
    for key in served["credentialSubject"]:
        document = copy.deepcopy(served)
        del document["credentialSubject"][key]
        if run(tmp_path, document)[0]:
            survivors.append(f"credentialSubject.{key}")
    assert survivors == []
