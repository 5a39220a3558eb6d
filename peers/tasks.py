"""Background work for practice circles: neutral e-mails, closed circles deleted."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from circles.task_retries import retried


@retried(_("E-mail a circle member that there is something new"))
@task()
def email_member_task(member_id: int) -> bool:
    from .notifications import email_member

    return email_member(member_id=member_id)


@retried(_("E-mail a trainer that a closed practice circle will be deleted"))
@task()
def email_deletion_warning_task(circle_id: int, user_id: int) -> bool:
    from .retention import email_deletion_warning

    return email_deletion_warning(circle_id=circle_id, user_id=user_id)
