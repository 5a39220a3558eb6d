"""The signing key in each environment, and the demo learner's certificate."""

import stat

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from certificates.apps import check_signing_key
from certificates.keys import (
    SigningKeyMissing,
    _load_key,
    site_private_key,
    site_public_key,
)
from certificates.models import Certificate, CertificatePolicy, CertificateTemplate
from certificates.signing import generate_private_key, private_key_to_pem
from courses.models import CoursePage

from .issuing import finish_course, make_course


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SIGNING_KEY_CREATE = False
    settings.SIGNING_KEY_PEM = ""
    settings.SIGNING_KEY_FILE = ""
    return settings


def test_production_without_a_key_refuses_with_a_clear_message(production):
    with pytest.raises(SigningKeyMissing, match="No certificate signing key"):
        site_private_key()
    [error] = check_signing_key()
    assert error.id == "certificates.E001"
    assert "SIGNING_KEY_FILE" in error.msg and "SIGNING_KEY_PEM" in error.msg


def test_production_reads_the_key_from_the_environment(production, client, db):
    key = generate_private_key()
    production.SIGNING_KEY_PEM = private_key_to_pem(key).decode()
    assert check_signing_key() == []
    assert site_public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
    did = client.get("/.well-known/did.json").json()
    assert did["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")


def test_a_key_file_that_cannot_be_read_is_named(production, tmp_path):
    production.SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    with pytest.raises(SigningKeyMissing, match="missing.pem"):
        site_private_key()


def test_development_creates_a_private_key_file_on_first_use(settings, tmp_path):
    settings.SIGNING_KEY_PEM = settings.SIGNING_KEY_FILE = ""
    settings.SIGNING_KEY_DEV_FILE = tmp_path / "var" / "signing-key.pem"
    first = site_public_key().public_bytes_raw()
    mode = stat.S_IMODE(settings.SIGNING_KEY_DEV_FILE.stat().st_mode)
    assert mode == 0o600
    _load_key.cache_clear()  # as a new process would: the file is read again
    assert site_public_key().public_bytes_raw() == first


def test_a_site_url_with_a_path_fails_the_system_check(settings):
    settings.SITE_URL = "https://example.org/circles"
    assert [e.id for e in check_signing_key()] == ["certificates.E002"]


def test_without_a_key_completion_still_counts_and_nothing_is_issued(
    production, course_index, caplog
):
    from tests.factories import UserFactory

    learner = UserFactory(username="finisher", certificate_name="Sam")
    course = make_course(course_index)
    finish_course(learner, course)
    assert learner.enrolments.get().completed_at is not None
    assert not Certificate.objects.exists()
    assert "No signing key" in caplog.text


def test_seed_demo_gives_the_demo_learner_a_certificate_once(demo):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    learner = get_user_model().objects.get(username="learner")
    [certificate] = Certificate.objects.filter(learner=learner)
    assert certificate.course.slug == "boundaries-and-self-care"
    assert certificate.printed_name == "Sam Rivera"
    assert certificate.status == Certificate.Status.VALID
    standard = CertificateTemplate.objects.get(name="Circles standard")
    assert certificate.template == standard
    policies = CertificatePolicy.objects.values_list("course", "template")
    assert dict(policies) == dict.fromkeys(
        CoursePage.objects.values_list("pk", flat=True), standard.pk
    )
    trainers = Group.objects.get(name="Trainers")
    assert trainers.permissions.filter(codename="change_certificate").exists()
