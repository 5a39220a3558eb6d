"""Headers: nobody frames our pages, no powerful features, verify results not kept."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.certificates.issuing import certified, make_course

DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/verify/", "/accounts/login/"])
def test_no_site_may_frame_a_page_and_both_headers_say_so(client, home, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/", "/api/v1/certificates/ABCD"])
def test_powerful_browser_features_are_refused(client, home, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_wagtails_preview_panel_may_still_frame_a_page_in_our_admin(admin_client, home):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk])
    form = nested_form_data(
        {
            "title": "Welcome, previewed",
            "slug": home.slug,
            "intro": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )
    assert admin_client.post(url, form).json()["is_valid"] is True
    response = admin_client.get(url, {"in_preview_panel": "true"})
    assert "Welcome, previewed" in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "frame-ancestors 'none'" not in policy


@pytest.fixture
def code(course_index):
    return certified(make_course(course_index)).display_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/verify/{code}/", "/api/v1/certificates/{code}", "/verify/?code={code}"]
)
def test_a_verify_result_is_never_kept_by_a_browser_or_proxy(client, code, path):
    response = client.get(path.format(code=code), follow=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
