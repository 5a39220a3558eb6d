"""Your data: /learn/data/ and what hangs below it."""

from django.urls import path

from . import data_views

urlpatterns = [
    path("data/", data_views.overview, name="your_data"),
    path("data/erase/", data_views.erase, name="erase_your_data"),
    path("data/erased/", data_views.erased, name="your_data_erased"),
]
