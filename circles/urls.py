from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from learners import views as learner_views

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("exit/", home_views.quick_exit, name="quick_exit"),
    path("support/", home_views.support, name="support"),
    path("break/", home_views.take_a_break, name="take_a_break"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("learn/", learner_views.dashboard, name="dashboard"),
    path("learn/", include("courses.urls")),
    path("learn/", include("quizzes.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("certificates.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
