"""Whole pages for visitors who are not signed in, served from the shared cache.

Most requests come from people who have not signed in: the home page, the
catalogue, a course's overview. Those pages are the same for every such
visitor who reads the same language, so the first one is rendered and kept,
and the rest are answered from the cache before sessions, users, URL routing
or Wagtail are touched.

What keeps this safe:
- Only a request carrying no cookie but the language and the CSRF token is
  answered from the cache or kept, so nothing of a signed-in person, a
  half-unlocked private page or a pending message is ever shared. A page
  that sets any cookie (a form's CSRF token, a session) is never kept.
- Only the views named in `CACHEABLE_VIEWS` are kept, and only an answer of
  200 that says nothing against being stored (`private`, `no-store`, a
  `Vary` on anything but cookies, language and compression).
- Anything that can change what such a page shows (a page published,
  unpublished, moved, deleted or saved; a site; an image; a setting like the
  support panel) calls `pages_changed()`, which starts a new generation at
  once and again when its transaction commits: every page kept before it is
  never served again. Entries also expire after `PAGE_CACHE_SECONDS`.

The cache must be shared by every process that serves the site (Redis in
production); `PAGE_CACHE_SECONDS = 0` switches the whole cache off.
"""

import hashlib
import uuid
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re, get_max_age, has_vary_header
from django.utils.translation import get_language_from_request

#: The one key every process reads to learn the current generation.
GENERATION_KEY = "circles:pages:generation"
#: The views whose anonymous answers are kept: Wagtail pages and public views
#: that are the same for every visitor. Views that count or limit each request
#: (certificate checks, sign-in) are not among them.
CACHEABLE_VIEWS = frozenset({"wagtail_serve", "support", "certificates:verify"})
#: Request headers a kept page may vary on. Cookie is safe because a request
#: with any cookie besides the language and CSRF token never reaches the cache.
HARMLESS_VARY = frozenset({"cookie", "accept-language", "accept-encoding"})
#: The header that tells operators (and tests) whether the cache answered.
STATUS_HEADER = "X-Page-Cache"


def pages_changed() -> None:
    """Start a new generation now, and again once the transaction commits.

    Call it whenever something an anonymous page shows has changed. The first
    generation ends what was kept before the change; the second ends a page
    another process rendered from the old data while the change was not yet
    committed.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def current_generation() -> str:
    """The generation now current, starting the first one if there is none."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


class AnonymousPageCacheMiddleware:
    """Answer repeat anonymous requests for public pages from the shared cache.

    Place it first, so that a hit costs this middleware and one cache round
    trip; what the others add to an answer (security headers, compression)
    was added before it was kept. The generation read from the cache is
    remembered between requests, so in the usual case the generation and the
    page come back together in one `get_many`.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.generation: str | None = None

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0 or not _may_share(request):
            return self.get_response(request)
        if not _cacheable_view(request.path_info):
            return self.get_response(request)
        variant = _variant(request)
        generation, response = self._fetch(variant)
        if response is not None:
            response[STATUS_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _may_keep(request, response):
            timeout = min(
                settings.PAGE_CACHE_SECONDS,
                get_max_age(response) or settings.PAGE_CACHE_SECONDS,
            )
            cache.set(_page_key(generation, variant), response, timeout)
            response[STATUS_HEADER] = "miss"
        return response

    def _fetch(self, variant: str):
        """The current generation and the page kept for `variant` in it, or None."""
        guess = self.generation or ""
        page_key = _page_key(guess, variant)
        found = cache.get_many([GENERATION_KEY, page_key])
        # None: the first request ever, or the cache was emptied.
        generation = found.get(GENERATION_KEY) or current_generation()
        if generation != guess:
            self.generation = generation
            return generation, cache.get(_page_key(generation, variant))
        return generation, found.get(page_key)


def _may_share(request) -> bool:
    """Whether the request is one every anonymous visitor could have sent."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    neutral = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return set(request.COOKIES) <= neutral


# The URLconf is fixed while a process runs, so where a path leads is worked
# out once per path: resolving through every pattern to Wagtail's catch-all
# would cost more than the rest of a cache hit.
@lru_cache(maxsize=4096)
def _cacheable_view(path: str) -> bool:
    """Whether `path` leads to a view whose anonymous answers may be kept."""
    try:
        return resolve(path).view_name in CACHEABLE_VIEWS
    except Resolver404:
        return False


def _variant(request) -> str:
    """What the answer depends on: address, language and compression."""
    compressed = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    parts = [
        request.method,
        request.scheme,
        request.get_host(),
        request.path,
        get_language_from_request(request),
        "gzip" if compressed else "plain",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _page_key(generation: str, variant: str) -> str:
    return f"circles:pages:{generation}:{variant}"


def _may_keep(request, response) -> bool:
    """Whether the answer is one every anonymous visitor may be given."""
    match = request.resolver_match
    if match is None or match.view_name not in CACHEABLE_VIEWS:
        # Middleware answered first (a redirect, a refusal), or routed elsewhere.
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.user.is_authenticated:
        return False
    cache_control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if cache_control & {"private", "no-store", "no-cache"}:
        return False
    if has_vary_header(response, "*"):
        return False
    varies = {
        header.strip().lower()
        for header in cc_delim_re.split(response.get("Vary", ""))
        if header.strip()
    }
    return varies <= HARMLESS_VARY


def watch_for_changes(*models) -> None:
    """Start a new generation when any page, or any object of `models`, changes.

    Pages are watched through Wagtail's signals (publish, unpublish, move) and
    through every save and delete, which covers drafts, renames and whole
    branches deleted at once. `models` are the other things anonymous pages
    show: the site, images, settings such as the support panel.
    """
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_changed, dispatch_uid=f"circles.page_cache.{id(signal)}")
    watched = (Page, *models)

    def changed_if_watched(sender, **kwargs):
        if issubclass(sender, watched):
            pages_changed()

    for signal in (post_save, post_delete):
        signal.connect(
            changed_if_watched,
            weak=False,
            dispatch_uid=f"circles.page_cache.models.{id(signal)}",
        )


def _changed(**kwargs) -> None:
    pages_changed()
