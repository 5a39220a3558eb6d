"""Certificate actions are for trainers: Wagtail's Editors and Moderators get none."""

import pytest
from django.contrib.auth.models import Group

from certificates.models import Certificate, CertificateTemplate
from tests.factories import UserFactory

from .issuing import certified, make_course

LIST = "/admin/snippets/certificates/certificate/"
BULK = "/admin/bulk/certificates/certificate/"


@pytest.fixture
def certificate(course_index):
    return certified(make_course(course_index))


def action_urls(certificate, template):
    """Every admin URL that shows or changes certificates."""
    pk = certificate.pk
    return [
        LIST,
        f"{LIST}inspect/{pk}/",
        f"/admin/certificates/{pk}/revoke/",
        f"/admin/certificates/{pk}/reissue/",
        f"/admin/certificates/{pk}/make-pdf-again/",
        f"/admin/certificates/zip/?course={certificate.course_id}",
        f"/admin/certificates/templates/{template.pk}/regenerate/",
        f"/admin/certificates/templates/{template.pk}/sample.pdf",
        f"{BULK}download/?id={pk}",
        f"{BULK}revoke/?id={pk}",
        f"{BULK}make_pdfs_again/?id={pk}",
        f"{BULK}delete/?id={pk}",
    ]


def refused(response) -> bool:
    """403, or Wagtail's redirect to the admin home with a message."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"] in ("/admin/", "/")


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_and_moderators_reach_no_certificate_action(
    client, certificate, trainers_group, group
):
    user = UserFactory(username=f"only-{group.lower()}")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    assert client.get("/admin/").status_code == 200  # they do reach the admin
    template = CertificateTemplate.objects.create(name="Plain")
    before = certificate.pdf_rendered_at

    for url in action_urls(certificate, template):
        for method in (client.get, client.post):
            response = method(url, {"note": "Not mine to revoke."})
            assert refused(response), (method.__name__, url, response.status_code)

    # The PDF itself is the holder's and trainers': others are told it is not there.
    download = f"/learn/certificates/{certificate.display_code}/download/"
    assert client.get(download).status_code == 404

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert certificate.pdf_rendered_at == before
    assert Certificate.objects.count() == 1


def test_trainers_reach_every_certificate_action(client, certificate, trainer):
    client.force_login(trainer)
    template = CertificateTemplate.objects.create(name="Plain")
    for url in action_urls(certificate, template):
        response = client.get(url)
        if "/delete/" in url:
            assert refused(response)  # certificates are never deleted
        else:
            assert response.status_code == 200, url
