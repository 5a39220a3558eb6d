from django.urls import path

from . import api, views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_result, name="verify_result"),
    path(
        "api/v1/certificates/<str:code>",
        api.certificate_status,
        name="api_certificate",
    ),
    path(
        "api/v1/certificates/<str:code>/credential",
        api.certificate_credential,
        name="credential",
    ),
    path(".well-known/did.json", api.did_json, name="did_json"),
    path("status/1", api.status_list, name="status_list"),
    path("learn/certificates/name/", views.printed_name, name="printed_name"),
    path(
        "learn/certificates/courses/<int:course_id>/issue/",
        views.claim,
        name="claim",
    ),
    path(
        "learn/certificates/<str:code>/download/",
        views.download,
        name="download",
    ),
]
