"""Public JSON: certificate status, the signed credential, the DID, the status list.

Everything here is open to other sites (CORS `*` for GET, without
credentials): verifiers run in browsers too. django-cors-headers adds the
headers and answers preflights for these paths only (CORS_URLS_REGEX in the
settings). Answers about a code are rate-limited per client and carry only
what SAFETY.md allows.
"""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .codes import InvalidCode, format_code, normalize_code
from .models import Certificate, Verification
from .rendering import credential_bytes
from .selectors import did_document, public_facts, signed_status_list
from .views import count_check, is_limited

_METHODS = ["GET", "HEAD", "OPTIONS"]


def _options() -> HttpResponse:
    """A plain OPTIONS request; CorsMiddleware adds the CORS headers."""
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(_METHODS)
    return response


def _error(http_status: int, error: str, detail: str, **extra) -> JsonResponse:
    response = JsonResponse(
        {"error": error, "detail": detail, **extra}, status=http_status
    )
    add_never_cache_headers(response)
    return response


def _lookup(request, code: str) -> tuple[Certificate | None, JsonResponse | None]:
    """Return the certificate for code, or the JSON error to answer instead."""
    if is_limited(request, group="api", rate=settings.CERTIFICATE_API_RATE):
        response = _error(
            429,
            "rate_limited",
            _("Too many checks from your network. Please wait a minute and try again."),
        )
        response["Retry-After"] = "60"
        return None, response
    try:
        canonical = normalize_code(code)
    except InvalidCode as error:
        return None, _error(400, "malformed_code", error.message)
    certificate = Certificate.objects.filter(code=canonical).first()
    if certificate is None:
        return None, _error(
            404,
            "not_found",
            _("No certificate has this code."),
            code=format_code(canonical),
        )
    return certificate, None


@require_http_methods(_METHODS)
def certificate_status(request, code: str):
    """GET /api/v1/certificates/<code>: the facts the verify page shows, as JSON."""
    if request.method == "OPTIONS":
        return _options()
    certificate, refusal = _lookup(request, code)
    if refusal is not None:
        return refusal
    count_check(request, certificate, Verification.Channel.API)
    response = JsonResponse(public_facts(certificate).as_json())
    add_never_cache_headers(response)
    return response


@require_http_methods(_METHODS)
def certificate_credential(request, code: str):
    """GET /api/v1/certificates/<code>/credential: the signed OpenBadgeCredential.

    A replaced certificate's credential is gone (410): it carries the old name,
    which nobody may see once the holder has changed it.
    """
    if request.method == "OPTIONS":
        return _options()
    certificate, refusal = _lookup(request, code)
    if refusal is not None:
        return refusal
    if certificate.replaced_at is not None:
        return _error(
            410,
            "replaced",
            _("This certificate was replaced. Ask the holder for the new code."),
            code=certificate.display_code,
            status="replaced",
        )
    if certificate.withdrawn_at is not None:
        return _error(
            410,
            "withdrawn",
            _("The holder withdrew this certificate."),
            code=certificate.display_code,
            status="withdrawn",
        )
    count_check(request, certificate, Verification.Channel.API)
    response = HttpResponse(
        credential_bytes(certificate), content_type="application/ld+json"
    )
    add_never_cache_headers(response)
    return response


@require_http_methods(_METHODS)
def did_json(request):
    """GET /.well-known/did.json: the site's did:web document with its public key."""
    if request.method == "OPTIONS":
        return _options()
    response = HttpResponse(
        json.dumps(did_document(), indent=2), content_type="application/json"
    )
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_http_methods(_METHODS)
def status_list(request):
    """GET /status/1: the signed revocation list (BitstringStatusListCredential)."""
    if request.method == "OPTIONS":
        return _options()
    response = HttpResponse(
        json.dumps(signed_status_list(), indent=2), content_type="application/json"
    )
    patch_cache_control(response, public=True, max_age=60)
    return response
