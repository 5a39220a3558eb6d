"""Trainers in the Wagtail admin: list and filter, revoke, reissue, ZIP, templates."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from certificates.models import Certificate, CertificateTemplate
from courses.models import Cohort, Enrolment

from .issuing import PRINTED_NAME, certified, make_course

LIST = "/admin/snippets/certificates/certificate/"


@pytest.fixture
def course(course_index):
    return make_course(course_index)


@pytest.fixture
def certificate(course):
    return certified(course)


@pytest.fixture
def trainer_client(client, trainer, trainers_group):
    client.force_login(trainer)
    return client


def test_trainers_list_and_filter_certificates_without_printed_names(
    trainer_client, certificate, course
):
    response = trainer_client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert certificate.display_code in html
    assert "quiet-heron" in html  # the account, so trainers know whose it is
    assert PRINTED_NAME not in html
    assert "Download as ZIP" in html

    assert (
        certificate.display_code
        in trainer_client.get(
            LIST, {"status": "valid", "course": course.pk}
        ).content.decode()
    )
    assert (
        certificate.display_code
        not in trainer_client.get(LIST, {"status": "revoked"}).content.decode()
    )
    found = trainer_client.get(LIST, {"code": certificate.code.lower()})
    assert certificate.display_code in found.content.decode()


def test_the_inspect_page_offers_revoke_reissue_and_download(
    trainer_client, certificate
):
    url = f"{LIST}inspect/{certificate.pk}/"
    html = trainer_client.get(url).content.decode()
    assert f"/admin/certificates/{certificate.pk}/revoke/" in html
    assert f"/admin/certificates/{certificate.pk}/reissue/" in html
    assert f"/learn/certificates/{certificate.display_code}/download/" in html
    assert PRINTED_NAME not in html


@pytest.mark.parametrize("path", ["add/", "edit/{pk}/", "delete/{pk}/"])
def test_certificates_are_never_added_edited_or_deleted_by_hand(
    client, certificate, admin_user, path
):
    client.force_login(admin_user)
    response = client.get(LIST + path.format(pk=certificate.pk))
    assert response.status_code in (302, 403)
    response = client.post(LIST + path.format(pk=certificate.pk))
    assert response.status_code in (302, 403)
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_revoking_needs_a_private_note_and_shows_the_public_reason(
    trainer_client, client, certificate, trainer, django_capture_on_commit_callbacks
):
    url = f"/admin/certificates/{certificate.pk}/revoke/"
    assert trainer_client.get(url).status_code == 200
    response = trainer_client.post(url, {"note": "", "public_reason": ""})
    assert response.status_code == 200
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(
            url,
            {"note": "Completed under another account.", "public_reason": "In error"},
        )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == trainer
    assert certificate.revocation_note == "Completed under another account."

    client.logout()
    html = client.get(f"/verify/{certificate.display_code}/").content.decode()
    assert "In error" in html and "another account" not in html


def test_reissuing_replaces_with_a_new_code(trainer_client, certificate):
    confirm = trainer_client.get(f"/admin/certificates/{certificate.pk}/reissue/")
    assert "will then say “replaced”" in confirm.content.decode()
    response = trainer_client.post(f"/admin/certificates/{certificate.pk}/reissue/")
    assert response.status_code == 302
    certificate.refresh_from_db()
    successor = certificate.replaced_by
    assert certificate.status == Certificate.Status.REPLACED
    assert certificate.replacement_reason == Certificate.Replacement.REISSUE
    assert successor.printed_name == PRINTED_NAME and successor.code != certificate.code
    assert response["Location"] == f"{LIST}inspect/{successor.pk}/"


def test_learners_cannot_reach_the_tools(client, learner, certificate):
    client.force_login(learner)
    for url in (
        f"/admin/certificates/{certificate.pk}/revoke/",
        "/admin/certificates/zip/",
        LIST,
    ):
        assert client.get(url).status_code in (302, 403)
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None


def test_a_course_or_a_cohort_downloads_as_a_zip(trainer_client, course):
    first = certified(course, username="first")
    second = certified(course, username="second")
    cohort = Cohort.objects.create(course=course, name="Spring", join_code="SPRING")
    Enrolment.objects.filter(learner=first.learner).update(cohort=cohort)
    first.refresh_from_db()

    response = trainer_client.get("/admin/certificates/zip/", {"course": course.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(
        f"certificate-{c.display_code}.pdf" for c in (first, second)
    )
    assert archive.read(f"certificate-{first.display_code}.pdf").startswith(b"%PDF-")

    response = trainer_client.get("/admin/certificates/zip/", {"cohort": cohort.pk})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"certificate-{first.display_code}.pdf"]


def test_the_zip_form_asks_for_a_course_or_cohort(trainer_client, db):
    response = trainer_client.get("/admin/certificates/zip/")
    assert response.status_code == 200
    assert "Download ZIP" in response.content.decode()
    response = trainer_client.get("/admin/certificates/zip/", {"course": ""})
    assert "Choose a course or a cohort." in response.content.decode()


def test_templates_refuse_unknown_placeholders(db):
    template = CertificateTemplate(name="Odd", body_text="Well done {name} {nmae}")
    with pytest.raises(ValidationError) as raised:
        template.full_clean()
    assert "{nmae}" in str(raised.value)


def test_a_trainer_previews_a_template_as_a_sample_pdf(trainer_client, trainer, db):
    template = CertificateTemplate.objects.create(
        name="Warm", title_text="Well done", primary_color="#7a2c09"
    )
    response = trainer_client.get(
        f"/admin/certificates/templates/{template.pk}/sample.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")

    request = RequestFactory().get("/")
    request.user = trainer
    preview = template.serve_preview(request, "")
    assert preview["Content-Type"] == "application/pdf"

    html = trainer_client.get("/admin/snippets/certificates/certificatetemplate/")
    assert f"/admin/certificates/templates/{template.pk}/sample.pdf" in (
        html.content.decode()
    )


def test_the_template_editor_has_a_live_preview(trainer_client, db):
    add = "/admin/snippets/certificates/certificatetemplate/add/"
    assert trainer_client.get(add).status_code == 200
    data = {
        "name": "Draft",
        "title_text": "Certificate",
        "body_text": "{name} finished {course}.",
        "primary_color": "#1d5c63",
        "accent_color": "#b07d00",
        "page_size": "Letter",
        "orientation": "portrait",
    }
    preview = "/admin/snippets/certificates/certificatetemplate/preview/"
    assert trainer_client.post(preview, data).json()["is_valid"]
    response = trainer_client.get(preview)
    assert response["Content-Type"] == "application/pdf"


def test_regenerating_after_a_template_change_renders_the_pdfs_again(
    trainer_client, course, certificate
):
    template = CertificateTemplate.objects.create(name="New look")
    Certificate.objects.filter(pk=certificate.pk).update(template=template)
    before = certificate.pdf_rendered_at
    url = f"/admin/certificates/templates/{template.pk}/regenerate/"
    assert "1 current certificate uses" in trainer_client.get(url).content.decode()
    response = trainer_client.post(
        f"/admin/certificates/templates/{template.pk}/regenerate/"
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at > before


def test_two_templates_cannot_share_a_name(db):
    CertificateTemplate.objects.create(name="Warm")
    again = CertificateTemplate(name="Warm")
    with pytest.raises(ValidationError) as raised:
        again.clean()
    assert "Another template already has this name" in str(raised.value)
