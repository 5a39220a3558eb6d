"""Your data: /learn/data/ and what hangs below it."""

from django.urls import path

from . import data_views

urlpatterns = [
    path("data/", data_views.overview, name="your_data"),
    path("data/download/", data_views.download, name="download_your_data"),
    path(
        "data/download/<int:export_id>/",
        data_views.download_file,
        name="your_data_file",
    ),
    path("data/erase/", data_views.erase, name="erase_your_data"),
    path("data/erased/", data_views.erased, name="your_data_erased"),
]
