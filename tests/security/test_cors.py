"""CORS through django-cors-headers: open for the public API paths, and only there."""

import pytest

VERIFIER = "https://verifier.example"
PUBLIC = [
    "/api/v1/certificates/ABCD-EFGH-JKMN",
    "/api/v1/certificates/ABCD-EFGH-JKMN/credential",
    "/.well-known/did.json",
    "/status/1",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC)
def test_a_browser_on_another_site_may_read_the_public_api(client, path):
    preflight = client.options(
        path, HTTP_ORIGIN=VERIFIER, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in preflight
    response = client.get(path, HTTP_ORIGIN=VERIFIER)
    assert response["Access-Control-Allow-Origin"] == "*"
    # Refusals are readable too, so a verifier's page can say what went wrong.
    refused = client.post(path, HTTP_ORIGIN=VERIFIER)
    assert refused.status_code == 405
    assert refused["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/verify/", "/verify/ABCD-EFGH-JKMN/", "/accounts/login/", "/learn/"]
)
def test_pages_are_not_open_to_other_sites(client, home, path):
    response = client.get(path, HTTP_ORIGIN=VERIFIER)
    assert "Access-Control-Allow-Origin" not in response
