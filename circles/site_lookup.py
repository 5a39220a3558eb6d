"""The Wagtail site a request is for, found once per process, not per request.

Wagtail finds the site (and, to route, its home page) with two queries on
every request. Both change only when an editor changes a page or a site,
which starts a new page-cache generation (circles/page_cache.py); so each
process keeps the site it found per host and port, with the generation it
found it in, and looks again only when the generation has moved on.

It relies on the same shared cache as the page cache, so it is off, like the
page cache, when `PAGE_CACHE_SECONDS` is 0 (development without Redis).
`request._wagtail_site` is where Wagtail's `Site.find_for_request` keeps
what it found; recheck it when upgrading Wagtail.
"""

from django.conf import settings
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from .page_cache import current_generation

#: Host and port pairs remembered per process; ALLOWED_HOSTS keeps them few.
MAX_HOSTS = 64
#: Paths that never need the site: health checks stay one query, whatever
#: has just changed.
SKIPPED_PREFIXES = ("/healthz",)


class SiteLookupMiddleware:
    """Give each request the site its process already found for its host.

    Wagtail reads the site it finds from `request._wagtail_site`, so a site
    set there is the one everything in the request uses: routing, page URLs,
    settings.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.sites: dict[tuple[str, int], tuple[str, Site | None]] = {}

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS > 0 and not request.path.startswith(
            SKIPPED_PREFIXES
        ):
            request._wagtail_site = self._site(request)
        return self.get_response(request)

    def _site(self, request) -> Site | None:
        hostname = split_domain_port(request._get_raw_host())[0]
        key = (hostname, request.get_port())
        generation = current_generation()
        known = self.sites.get(key)
        if known is not None and known[0] == generation:
            return known[1]
        site = _find_site(*key)
        if len(self.sites) >= MAX_HOSTS:
            self.sites.clear()
        self.sites[key] = (generation, site)
        return site


def _find_site(hostname: str, port: int) -> Site | None:
    """The site for host and port as Wagtail finds it, its home page loaded."""
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    # Routing starts from the home page's own class; load it now, once.
    site.root_page.specific  # noqa: B018
    return site
