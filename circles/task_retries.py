"""A background task that fails is tried again later, then left for an operator.

django-tasks records a failure but never retries it. A task marked
`@retried` promises to be safe to run twice; when one of its tries fails on
the database queue, the worker puts the same row back in the queue after a
pause from `TASK_RETRY_DELAYS` (1, 5, then 25 minutes), so the row keeps its
id, its arguments (ids only) and the count of its tries (one worker id per
try). After the last pause it stays failed, with its error, for the admin's
"Background tasks" page, whose "Try again" queues it once more. A task whose
worker died under it (still "running" TASK_STALLED_AFTER after it started) may be
tried again the same way.

With the in-process backend (development, tests) a failure is not retried:
the web request that ran it has already answered.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks.signals import task_finished
from django_tasks_db.backend import TaskResult as QueuedTaskResult
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

#: Task path (as the queue stores it) -> what the task does, in an operator's words.
RETRIED_TASKS: dict[str, Promise] = {}


def retried(label: Promise) -> Callable[[Task], Task]:
    """Mark a task as safe to run twice, so a failed try is tried again."""

    def register(task: Task) -> Task:
        RETRIED_TASKS[task.module_path] = label
        return task

    return register


def retried_label(task_path: str) -> Promise | None:
    """What a `@retried` task does, in an operator's words; None for other tasks."""
    try:
        import_string(task_path)  # its module registers the label on import
    except ImportError:
        return None  # code since removed: nothing left to run
    return RETRIED_TASKS.get(task_path)


def is_retried(task_path: str) -> bool:
    return retried_label(task_path) is not None


def retry_delay(tries: int) -> timedelta | None:
    """The pause before the next try after `tries` failed ones; None after the last."""
    delays = settings.TASK_RETRY_DELAYS
    if tries > len(delays):
        return None
    return timedelta(seconds=delays[tries - 1])


@receiver(task_finished)
def retry_failed_task(sender, task_result, **kwargs) -> None:
    """Put a failed try of a retried task back in the queue, after its pause."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if not isinstance(task_result, QueuedTaskResult):
        return  # ran in the web process: there is no queue to put it back in
    if task_result.task.module_path not in RETRIED_TASKS:
        return
    delay = retry_delay(task_result.attempts)
    if delay is None:
        return  # out of tries: it stays failed, for the admin's list
    run_after = timezone.now() + delay
    DBTaskResult.objects.filter(
        pk=task_result.id, status=TaskResultStatus.FAILED
    ).update(status=TaskResultStatus.READY, run_after=run_after)
    logger.warning(
        "Task id=%s path=%s failed on try %d; trying again at %s",
        task_result.id,
        task_result.task.module_path,
        task_result.attempts,
        run_after.isoformat(),
    )


def _stalled_before():
    return timezone.now() - timedelta(seconds=settings.TASK_STALLED_AFTER)


def stalled() -> Q:
    """Tasks still running long after they started: their worker has gone."""
    return Q(status=TaskResultStatus.RUNNING, started_at__lt=_stalled_before())


def is_stalled(result: DBTaskResult) -> bool:
    """The same test as `stalled()`, on a row already read."""
    return (
        result.status == TaskResultStatus.RUNNING
        and result.started_at is not None
        and result.started_at < _stalled_before()
    )


def try_again(*, result_id: str) -> bool:
    """Queue a failed or stalled retried task once more, now; False if neither.

    A conditional UPDATE is the guard: a second press of the button, or two
    operators at once, find it already queued and queue nothing.
    """
    stuck = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.FAILED) | stalled(), pk=result_id
    )
    task_path = stuck.values_list("task_path", flat=True).first()
    if task_path is None or not is_retried(task_path):
        return False
    queued = stuck.update(status=TaskResultStatus.READY, run_after=timezone.now())
    return bool(queued)
