"""Every way in has the same lock: one login page, and limits on every password form.

Wagtail and Django bring login views of their own (`/admin/login/`,
`/_util/login/`) that would sidestep the limits allauth keeps on the one login
page, so both send people there instead. Wrong page and document passwords
are counted per client address; past the allowance the form answers 429 with
a `Retry-After` until the window has passed.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as document_views

from .return_paths import safe_return_path


@require_http_methods(["GET", "HEAD", "POST"])
def to_login_page(request, *, default_next: str = "/"):
    """Send someone to the one login page, keeping where they were going."""
    query = urlencode({"next": safe_return_path(request, default=default_next)})
    return redirect(f"{reverse('account_login')}?{query}")


def page_password(request, page_view_restriction_id: int, page_id: int):
    """Wagtail's page-password form, with wrong passwords counted per address."""
    return _counting_wrong_passwords(
        request,
        wagtail_views.authenticate_with_password,
        page_view_restriction_id,
        page_id,
    )


def document_password(request, restriction_id: int):
    """Wagtail's document-password form, with wrong passwords counted per address."""
    return _counting_wrong_passwords(
        request, document_views.authenticate_with_password, restriction_id
    )


def too_many_requests(request):
    """allauth's refusals (sign-up, password reset): wait a few minutes."""
    return too_many_tries(request, retry_after=settings.TOO_MANY_TRIES_WAIT)


def too_many_tries(request, *, retry_after: int):
    """The calm "please wait" page, as a 429 saying when to try again."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(max(1, retry_after))
    return response


def _counting_wrong_passwords(request, view, *args):
    if request.method != "POST":
        return view(request, *args)
    usage = _wrong_password_usage(request, increment=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        return too_many_tries(request, retry_after=usage["time_left"])
    response = view(request, *args)
    # A right password redirects; anything else was a wrong guess.
    if not 300 <= response.status_code < 400:
        _wrong_password_usage(request, increment=True)
    return response


def _wrong_password_usage(request, *, increment: bool):
    return get_usage(
        request,
        group="circles.page_password",
        key="ip",
        rate=settings.PAGE_PASSWORD_RATE,
        increment=increment,
    )
