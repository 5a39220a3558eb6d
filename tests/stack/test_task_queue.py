"""Certificate PDFs on the production queue: the worker draws them, not the web."""

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from tests.certificates.issuing import certified, make_course

# Real commits: the worker checks its connection like a separate process would.
pytestmark = pytest.mark.django_db(transaction=True)

BEING_PREPARED = "The PDF is being prepared"
RENDER_TASK = "certificates.tasks.render_certificate_pdf_task"


def pdf_task():
    # Wagtail queues its own work too (search and reference indexes).
    return DBTaskResult.objects.get(task_path=RENDER_TASK)


def run_worker():
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )


def test_a_new_certificate_waits_for_the_worker_but_is_valid_at_once(
    client, course_index, queued_tasks
):
    certificate = certified(make_course(course_index))

    assert certificate.pdf_rendered_at is None
    assert pdf_task().status == TaskResultStatus.READY
    verified = client.get(f"/verify/{certificate.display_code}/")
    assert verified.status_code == 200
    assert "valid" in verified.content.decode().lower()
    assert client.get(f"/api/v1/certificates/{certificate.code}").json()["status"] == (
        "valid"
    )


def test_the_holder_sees_being_prepared_until_the_worker_has_drawn_the_pdf(
    client, course_index, queued_tasks
):
    certificate = certified(make_course(course_index))
    client.force_login(certificate.learner)
    download = f"/learn/certificates/{certificate.display_code}/download/"

    dashboard = client.get("/learn/").content.decode()
    assert BEING_PREPARED in dashboard
    assert download not in dashboard
    waiting = client.get(download, follow=True)
    assert waiting.redirect_chain[0][1] == 302
    assert "s PDF is being prepared. It is already valid" in waiting.content.decode()
    assert not Certificate.objects.get(pk=certificate.pk).pdf

    run_worker()

    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at is not None
    assert pdf_task().status == TaskResultStatus.SUCCESSFUL
    dashboard = client.get("/learn/").content.decode()
    assert BEING_PREPARED not in dashboard
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_task_that_fails_is_recorded_with_its_error_and_waits_to_be_tried_again(
    course_index, queued_tasks, monkeypatch
):
    certified(make_course(course_index))

    def broken(**kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr("certificates.services.render_certificate_file", broken)
    run_worker()

    failed = pdf_task()
    assert failed.status == TaskResultStatus.READY  # tests/stack/test_task_retries.py
    assert failed.exception_class_path == "builtins.RuntimeError"
    assert "fonts missing" in failed.traceback
