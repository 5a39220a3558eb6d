"""Readiness: whether this web process can serve, checked part by part.

`/healthz` stays cheap (one SELECT 1) for the load balancer's frequent probes;
`/healthz/ready` checks every service a request may need: the database, the
cache, both file storages (a write, a read and a delete each), and that a task
worker is taking the queued work. Each check says only "ok" or what failed;
nothing about learners, and no error text that could carry a secret.
"""

import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from certificates.models import Certificate
from certificates.tasks import tasks_wait_for_a_worker

logger = logging.getLogger(__name__)

OK = "ok"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_cache() -> str:
    key = f"healthz:{secrets.token_hex(8)}"
    cache.set(key, "1", timeout=30)
    found = cache.get(key)
    cache.delete(key)
    return OK if found == "1" else "the cache did not keep a value"


def _check_storage(storage) -> str:
    probe = storage.save(f"healthz/{secrets.token_hex(8)}.txt", ContentFile(b"ok"))
    try:
        with storage.open(probe, "rb") as file:
            read_back = file.read()
    finally:
        storage.delete(probe)
    return OK if read_back == b"ok" else "a file read back differently"


def check_media_storage() -> str:
    return _check_storage(default_storage)


def check_private_storage() -> str:
    return _check_storage(Certificate._meta.get_field("pdf").storage)


def check_worker() -> str:
    """Fail when work has waited longer than WORKER_STALE_AFTER and nobody took any."""
    if not tasks_wait_for_a_worker():
        return "not used (tasks run in the web process)"
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_AFTER)
    # Due since before the cutoff: queued then, and not held back by a retry's
    # pause that ended after it (run_after is the far future when there is none).
    waiting_too_long = (
        DBTaskResult.objects.ready()
        .filter(enqueued_at__lt=cutoff)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lt=cutoff))
    )
    took_one_lately = DBTaskResult.objects.filter(started_at__gte=cutoff)
    if waiting_too_long.exists() and not took_one_lately.exists():
        return "no worker has taken a task lately"
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "media storage": check_media_storage,
    "private storage": check_private_storage,
    "worker": check_worker,
}


def run_checks() -> dict[str, str]:
    """Return each check's answer; a check that raises is reported, not raised."""
    answers = {}
    for name, check in CHECKS.items():
        try:
            answers[name] = check()
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            logger.exception("Readiness check failed: %s", name)
            answers[name] = "unavailable"
    return answers


def is_ready(answers: dict[str, str]) -> bool:
    return all(
        answer == OK or answer.startswith("not used") for answer in answers.values()
    )


@require_safe
def ready(request):
    """Answer 200 when every service answers, 503 naming the ones that do not."""
    answers = run_checks()
    body = "".join(f"{name}: {answer}\n" for name, answer in answers.items())
    response = HttpResponse(
        body, status=200 if is_ready(answers) else 503, content_type="text/plain"
    )
    add_never_cache_headers(response)
    return response
