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
    ]
)
# Who may frame a page, in the words of each header. Nobody, as
# X-Frame-Options: DENY says; Wagtail's preview panel (X-Frame-Options:
# SAMEORIGIN on its preview views) frames our pages in our own admin.
FRAME_ANCESTORS = {
    "DENY": "frame-ancestors 'none'",
    "SAMEORIGIN": "frame-ancestors 'self'",
}
# Powerful features no page of ours uses, refused for our pages and anything
# they embed. Fullscreen and picture-in-picture stay, for lesson videos.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)


class SafetyHeadersMiddleware:
    """Keep logged-in pages out of caches, every page off other hosts and frames.

    A shared phone must not show a learner's page after Back, logout or the
    quick exit, so anything served to a signed-in person is `no-store`. No
    other site may frame a page (CSP `frame-ancestors` agrees with
    X-Frame-Options), and powerful browser features are refused.
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
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Django's XFrameOptionsMiddleware sets DENY later, unless a view chose.
        # A page rendered for Wagtail's preview (a dummy request) is framed by
        # the admin, whose preview view says SAMEORIGIN only once it is built.
        if getattr(request, "is_dummy", False):
            framing = "SAMEORIGIN"
        else:
            framing = response.get("X-Frame-Options", "DENY").upper()
        frame_ancestors = FRAME_ANCESTORS.get(framing, FRAME_ANCESTORS["DENY"])
        if request.path.startswith("/admin/"):
            # The Wagtail admin keeps its own policy for everything else.
            policy = frame_ancestors
        else:
            policy = f"{CONTENT_SECURITY_POLICY}; {frame_ancestors}"
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
