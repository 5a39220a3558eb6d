import os

import pytest
from moto.server import ThreadedMotoServer


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test keeps its uploads and certificate PDFs in its own folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def queued_tasks(settings):
    """Tasks wait in the database for `manage.py db_worker`, as in production."""
    settings.TASKS = {"default": {"BACKEND": settings.TASKS_DATABASE}}


@pytest.fixture(scope="session")
def s3_endpoint():
    """The stack's S3 server (scripts/stack.sh --s3), or moto in this process."""
    if os.environ.get("S3_ENDPOINT_URL"):
        yield os.environ["S3_ENDPOINT_URL"]
        return
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
