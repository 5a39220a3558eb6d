"""A course's certificate settings: edited on the course, owned by certificates."""

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from certificates.models import Certificate, CertificatePolicy, CertificateTemplate
from certificates.services import add_months
from courses.models import Enrolment

from .issuing import certified, finish_course, make_course


@pytest.fixture
def course(course_index):
    return make_course(course_index)


@pytest.fixture
def template(db):
    return CertificateTemplate.objects.create(name="Spring look")


def edit_form(client, course) -> dict:
    """Return the course editor's fields as the form would send them, unchanged."""
    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    form = BeautifulSoup(html, "html.parser").select_one("form#page-edit-form")
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") != "submit":
            data[name] = field.get("value", "")
    # The outcomes list is drawn by JavaScript; the factory's course has none.
    data["learning_outcomes-count"] = "0"
    return data


def publish(client, course, data):
    response = client.post(
        f"/admin/pages/{course.pk}/edit/", {**data, "action-publish": "publish"}
    )
    assert response.status_code == 302, BeautifulSoup(
        response.content, "html.parser"
    ).select(".error-message, .help-critical")


def test_the_course_editor_shows_the_certificate_settings_at_their_defaults(
    admin_client, course
):
    data = edit_form(admin_client, course)
    assert data["certificate_policy-TOTAL_FORMS"] == "1"
    assert data["certificate_policy-0-offers_certificate"] == "on"
    assert data["certificate_policy-0-valid_months"] == ""


def test_a_course_published_with_the_settings_untouched_keeps_the_defaults(
    admin_client, course
):
    publish(admin_client, course, edit_form(admin_client, course))
    assert not CertificatePolicy.objects.exists()
    certificate = certified(course)
    assert certificate.template is None
    assert certificate.expires_at is None


def test_a_trainer_sets_the_look_and_validity_on_the_course(
    admin_client, course, template
):
    data = edit_form(admin_client, course)
    data["certificate_policy-0-template"] = str(template.pk)
    data["certificate_policy-0-valid_months"] = "12"
    publish(admin_client, course, data)

    policy = CertificatePolicy.objects.get(course=course)
    assert (policy.template, policy.valid_months) == (template, 12)
    certificate = certified(course)
    completed_at = Enrolment.objects.get(learner=certificate.learner).completed_at
    assert certificate.template == template
    assert certificate.expires_at == add_months(completed_at, 12)

    # Editing again changes the one row; it never adds a second.
    data = edit_form(admin_client, course)
    assert data["certificate_policy-0-valid_months"] == "12"
    data["certificate_policy-0-valid_months"] = "24"
    publish(admin_client, course, data)
    assert CertificatePolicy.objects.get(course=course).valid_months == 24


def test_a_course_that_offers_none_shows_no_certificate_panel(
    course_index, learner, learner_client
):
    course = make_course(course_index, offers_certificate=False)
    learner.certificate_name = "Amara Okafor"
    learner.save()
    finish_course(learner, course)
    html = learner_client.get(course.url).content.decode()
    assert "You finished this course" in html
    assert "certificate-panel" not in html
    assert not Certificate.objects.exists()


def test_a_learner_who_finished_sees_the_certificate_panel_on_the_course(
    course, learner, learner_client
):
    learner.certificate_name = "Amara Okafor"
    learner.save()
    finish_course(learner, course)
    html = learner_client.get(course.url).content.decode()
    panel = BeautifulSoup(html, "html.parser").select_one(".certificate-panel")
    assert "Your certificate is ready" in panel.get_text()
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.display_code in panel.get_text()
    assert certificate.issued_at <= timezone.now()
