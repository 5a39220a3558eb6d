"""Filled in by its views module."""

urlpatterns = []
