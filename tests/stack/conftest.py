import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test keeps its uploads and certificate PDFs in its own folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def queued_tasks(settings):
    """Tasks wait in the database for `manage.py db_worker`, as in production."""
    settings.TASKS = {"default": {"BACKEND": settings.TASKS_DATABASE}}
