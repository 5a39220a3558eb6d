"""/healthz/ready: every service a request needs, and a worker taking the queue."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certificates.tasks import render_certificate_pdf_task

pytestmark = pytest.mark.django_db


def lines(response) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in response.content.decode().splitlines())


def test_ready_when_every_service_answers(client):
    response = client.get("/healthz/ready")

    assert response.status_code == 200
    assert lines(response) == {
        "database": "ok",
        "cache": "ok",
        "media storage": "ok",
        "private storage": "ok",
        "worker": "not used (tasks run in the web process)",
    }
    assert "no-store" in response["Cache-Control"]


def test_not_ready_when_the_cache_loses_what_it_was_given(client, monkeypatch):
    monkeypatch.setattr("circles.health.cache.get", lambda key, *args, **kwargs: None)

    response = client.get("/healthz/ready")

    assert response.status_code == 503
    assert lines(response)["cache"] == "the cache did not keep a value"


def test_not_ready_when_private_storage_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    settings.PRIVATE_MEDIA_ROOT = blocked

    response = client.get("/healthz/ready")

    assert response.status_code == 503
    assert lines(response)["private storage"] == "unavailable"
    assert lines(response)["media storage"] == "ok"


def test_a_queue_with_a_busy_worker_is_ready(client, queued_tasks):
    render_certificate_pdf_task.enqueue(1)
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(minutes=1))

    assert lines(client.get("/healthz/ready"))["worker"] == "ok"


def test_not_ready_when_work_waits_and_no_worker_took_any(client, queued_tasks):
    render_certificate_pdf_task.enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))

    response = client.get("/healthz/ready")

    assert response.status_code == 503
    assert lines(response)["worker"] == "no worker has taken a task lately"


def test_a_retry_whose_pause_just_ended_does_not_mark_the_worker_stale(
    client, queued_tasks
):
    # Queued long ago, failed, and due again only a moment ago: nobody is late.
    render_certificate_pdf_task.enqueue(1)
    DBTaskResult.objects.update(
        enqueued_at=timezone.now() - timedelta(minutes=30),
        run_after=timezone.now() - timedelta(seconds=5),
    )

    assert lines(client.get("/healthz/ready"))["worker"] == "ok"


def test_liveness_stays_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/healthz").content == b"ok"
