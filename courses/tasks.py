"""Background work for courses: e-mail a link when a trainer posts an announcement."""

from django_tasks import task


@task()
def email_announcement_task(announcement_id: int) -> int:
    """E-mail the learners who asked that there is news; return how many were sent."""
    from .services import email_announcement

    return email_announcement(announcement_id=announcement_id)
