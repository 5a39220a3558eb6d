"""Production logs carry no query strings, names, e-mail addresses or codes."""

import copy
import io
import logging.config

import pytest
from django.conf import settings
from django.test import Client

import certificates.views
from tests.certificates.issuing import certified, make_course


@pytest.fixture
def production_log():
    """The log as production writes it (the settings' LOGGING), read back as text."""
    stream = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_a_failing_request_is_logged_without_anything_that_names_anyone(
    course_index, production_log, monkeypatch
):
    certificate = certified(make_course(course_index), name="Amara Okafor")
    learner = certificate.learner
    learner.email = "amara@example.org"
    learner.save()
    code = certificate.display_code

    def broken_lookup(text):
        raise RuntimeError(
            f"lookup failed for {text} by {learner.username} "
            f"({learner.email}, {learner.certificate_name})"
        )

    monkeypatch.setattr(certificates.views, "certificate_by_code", broken_lookup)
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    response = client.get(
        f"/verify/{code}/", {"email": "amara@example.org", "name": "Amara Okafor"}
    )
    assert response.status_code == 500

    log = production_log.getvalue()
    assert "Internal Server Error: /verify/" in log
    assert "RuntimeError: lookup failed" in log
    for personal in [
        code,
        code.replace("-", ""),
        learner.username,
        "amara@example.org",
        "Amara Okafor",
        "Amara+Okafor",
        "email=",
    ]:
        assert personal not in log
