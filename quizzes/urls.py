from django.urls import path

from . import views

app_name = "quizzes"

# Old addresses of a quiz's actions, kept for bookmarks and old forms: the
# actions are routes of the quiz page now.
urlpatterns = [
    path("quizzes/<int:quiz_id>/start/", views.moved_start, name="moved_start"),
    path("attempts/<int:attempt_id>/", views.moved_attempt, name="moved_attempt"),
]
