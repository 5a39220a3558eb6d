from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("steps/<int:step_id>/complete/", views.complete, name="complete"),
    path("steps/<int:step_id>/skip/", views.skip, name="skip"),
    path("steps/<int:step_id>/continue/", views.continue_past_note, name="continue"),
]
