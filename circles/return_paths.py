"""Where to send someone back to: a path on this site, never another host.

A `next` parameter comes from the address bar, so anyone can write one; a
link that bounced a learner to another site could be used to phish them.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_return_path(request, default: str = "/") -> str:
    """Return the `next` path from the query string if it stays on this site."""
    candidate = request.GET.get("next", "")
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=False
    ):
        return candidate
    return default
