from django.urls import re_path

from . import views

app_name = "courses"

# Old addresses of a course's and a step's actions, kept for bookmarks and old
# forms: the actions are routes of the pages themselves now.
urlpatterns = [
    re_path(
        r"^courses/(?P<page_id>[0-9]+)/(?P<action>enrol)/$",
        views.moved_page_action,
        name="moved_course_action",
    ),
    re_path(
        r"^steps/(?P<page_id>[0-9]+)/(?P<action>complete|skip|continue)/$",
        views.moved_page_action,
        name="moved_step_action",
    ),
]
