import logging

from django.conf import settings
from django.contrib.auth import logout
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from circles.return_paths import safe_return_path

from .languages import (
    delete_language_cookie,
    is_site_language,
    remember_language,
    set_language_cookie,
)

logger = logging.getLogger(__name__)


@require_safe
def quick_exit(request):
    """Leave at once: end the session, clear what the browser keeps, go elsewhere.

    Reached by `location.replace`, so the page the person left is not in history.
    """
    was_signed_in = request.user.is_authenticated
    logout(request)
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL)
    cleared = ['"cache"', '"storage"']
    if was_signed_in:
        cleared.append('"cookies"')
    response["Clear-Site-Data"] = ", ".join(cleared)
    response.delete_cookie(settings.SESSION_COOKIE_NAME)
    # The language can say something about a person: it goes too.
    delete_language_cookie(response)
    add_never_cache_headers(response)
    return response


@require_safe
def healthz(request):
    """Answer 200 `ok` while the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer.")
        response = HttpResponse(
            "database unavailable", status=503, content_type="text/plain"
        )
    else:
        response = HttpResponse("ok", content_type="text/plain")
    add_never_cache_headers(response)
    return response


@require_safe
def support(request):
    """The support panel as a page of its own, for links and for no-JavaScript use."""
    return render(request, "home/support.html")


@require_safe
def take_a_break(request):
    """A calm page: a grounding exercise and support, keeping the learner's place."""
    return render(
        request, "home/take_a_break.html", {"return_to": safe_return_path(request)}
    )


@require_safe
def choose_language(request, code: str):
    """Switch the interface to the language `code` and go back to the page.

    A plain link rather than a form, so a page offering it carries no CSRF
    token and stays the same for every visitor (and cacheable whole). Only a
    cookie changes, so a link from elsewhere can do no more than that.
    """
    if not is_site_language(code):
        raise Http404
    if request.user.is_authenticated:
        remember_language(request.user, code)
    response = HttpResponseRedirect(safe_return_path(request))
    set_language_cookie(response, code)
    add_never_cache_headers(response)
    return response
