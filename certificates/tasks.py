"""Background work for certificates: rendering PDFs (WeasyPrint) off the request.

With the in-process backend (development, tests, `make demo`) a task runs as
soon as it is enqueued; in production it waits in the database for
`manage.py db_worker`, and until then the holder sees "being prepared".
"""

from django.utils.translation import gettext_lazy as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from circles.task_retries import retried

from .models import Certificate


def tasks_wait_for_a_worker() -> bool:
    """Return True when tasks are queued for a worker rather than run at once."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return not isinstance(backend, ImmediateBackend)


@retried(_("Make a certificate's PDF"))
@task()
def render_certificate_pdf_task(certificate_id: int) -> str:
    """Render and store one certificate's PDF; return its SHA-256 ("" if gone).

    Safe to run twice: a second PDF replaces the first, whose hash is kept.
    """
    from .services import render_certificate_file

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.withdrawn_at is not None:
        return ""
    return render_certificate_file(certificate=certificate).pdf_sha256
