import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as static_serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from learners import views as learner_views

from . import doors, health

# Every way in shares the one login page and its limits (see doors.py); these
# come before Wagtail's own patterns, which they replace.
login_doors = [
    path("admin/login/", doors.to_login_page, {"default_next": "/admin/"}),
    path("_util/login/", doors.to_login_page),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/"
        "<int:page_id>/",
        doors.page_password,
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        doors.document_password,
    ),
]

urlpatterns = [
    *login_doors,
    path("healthz", home_views.healthz, name="healthz"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("exit/", home_views.quick_exit, name="quick_exit"),
    path("support/", home_views.support, name="support"),
    path("break/", home_views.take_a_break, name="take_a_break"),
    path("language/<str:code>/", home_views.choose_language, name="choose_language"),
    # Django's form-based switcher, for pages a browser still holds from before.
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("learn/", learner_views.dashboard, name="dashboard"),
    path(
        "learn/announcements/<int:announcement_id>/dismiss/",
        learner_views.dismiss,
        name="dismiss_announcement",
    ),
    path("learn/email-updates/", learner_views.email_updates, name="email_updates"),
    path("learn/", include("learners.urls")),
    path("learn/", include("courses.urls")),
    path("learn/", include("quizzes.urls")),
    path("learn/", include("peers.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("certificates.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # Images and documents trainers upload. In production a web server or
    # object storage should serve MEDIA_ROOT; SERVE_MEDIA lets a small
    # single-host site serve it from Django instead.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            static_serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]

# Refusals from allauth's own limits (sign-up, password reset) say when to retry.
handler429 = doors.too_many_requests
