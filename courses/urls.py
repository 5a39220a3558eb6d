from django.urls import path, re_path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    # Old addresses of a step's actions, kept for bookmarks and old forms: the
    # actions are routes of the step page now.
    re_path(
        r"^steps/(?P<step_id>[0-9]+)/(?P<action>complete|skip|continue)/$",
        views.moved_step_action,
        name="moved_step_action",
    ),
]
