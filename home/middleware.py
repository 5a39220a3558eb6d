from django.utils.cache import add_never_cache_headers

# Our pages load nothing from another host. The header makes the browser hold
# us to it. The Wagtail admin keeps its own policy.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


class SafetyHeadersMiddleware:
    """Keep logged-in pages out of caches and every page off other hosts.

    A shared phone must not show a learner's page after Back, logout or the
    quick exit, so anything served to a signed-in person is `no-store`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        # Other sites never learn which of our pages someone came from; our own
        # forms still send their origin, which CSRF protection needs.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.path.startswith(("/admin/", "/django-admin/")):
            response.headers.setdefault(
                "Content-Security-Policy", CONTENT_SECURITY_POLICY
            )
        return response
