"""A background task that fails is tried again later, then left for an operator.

django-tasks records a failure but never retries it. A task marked
`@retried` promises to be safe to run twice; when one of its tries fails on
the database queue, the worker puts the same row back in the queue after a
pause from `TASK_RETRY_DELAYS` (1, 5, then 25 minutes), so the row keeps its
id, its arguments (ids only) and the count of its tries (one worker id per
try). After the last pause it stays failed, with its error, for the admin's
"Background tasks" page, whose "Try again" queues it once more.

With the in-process backend (development, tests) a failure is not retried:
the web request that ran it has already answered.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
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


def try_again(*, result_id: str) -> bool:
    """Queue a failed retried task once more, now; False if it is not failed.

    A conditional UPDATE is the guard: a second press of the button, or two
    operators at once, find it already queued and queue nothing.
    """
    failed = DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.FAILED)
    task_path = failed.values_list("task_path", flat=True).first()
    if task_path is None or not is_retried(task_path):
        return False
    queued = failed.update(status=TaskResultStatus.READY, run_after=timezone.now())
    return bool(queued)
