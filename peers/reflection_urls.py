"""A learner's answer to a lesson's reflection prompt: kept private, or shared."""

from django.urls import path

from . import views

urlpatterns = [
    path("reflect/<int:page_id>/<str:block_id>/", views.reflect, name="reflect"),
]
