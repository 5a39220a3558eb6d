"""Background work for courses: e-mail a link when a trainer posts an announcement."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from circles.task_retries import retried


@retried(_("Queue an announcement's e-mails"))
@task()
def email_announcement_task(announcement_id: int) -> int:
    """Queue one e-mail per learner who asked for one; return how many.

    Safe to run twice: a try that fails has queued nothing.
    """
    from .services import queue_announcement_emails

    return queue_announcement_emails(announcement_id=announcement_id)


@retried(_("E-mail a learner about an announcement"))
@task()
def email_announcement_to_learner_task(announcement_id: int, learner_id: int) -> bool:
    """E-mail one learner that there is news; False if they no longer want it.

    Tried again alone when it fails, so the others are not e-mailed twice.
    """
    from .services import email_announcement

    return email_announcement(announcement_id=announcement_id, learner_id=learner_id)
