"""The one e-mail a circle sends: "there is something new in your course".

Only to a member who ticked the box and gave an e-mail address, at most once a
day, and never with anything anyone wrote: no post, reply, feedback, circle
name or course title, since someone else may read the inbox. The e-mail is
queued after the change commits, so a write that fails sends nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .models import Member

SUBJECT = _("Your Circles update")
BODY = _(
    "Hello,\n\n"
    "There is something new in your course on Circles. Log in to see it:\n"
    "%(url)s\n\n"
    "You get this e-mail because you asked for notes from your practice circle. "
    "To stop them, untick the box on your circle's “Your circle name” page."
)
#: However much happens, a member hears from us at most this often.
AT_MOST_EVERY = timedelta(hours=24)


def notify_member(member_id: int) -> None:
    """Queue a neutral note for the member, once the change has committed."""
    from .tasks import email_member_task

    transaction.on_commit(lambda: email_member_task.enqueue(member_id))


def email_member(*, member_id: int) -> bool:
    """Send the neutral note if the member wants it and has not had one today."""
    now = timezone.now()
    with transaction.atomic():
        # Claimed by one update, so two tasks at once cannot both send.
        claimed = (
            Member.objects.filter(
                pk=member_id,
                wants_email=True,
                removed_at__isnull=True,
                learner__is_active=True,
            )
            .exclude(learner__email="")
            .filter(
                Q(last_emailed_at__isnull=True)
                | Q(last_emailed_at__lt=now - AT_MOST_EVERY)
            )
            .update(last_emailed_at=now)
        )
        if not claimed:
            return False
        member = Member.objects.select_related("learner").get(pk=member_id)
        language = getattr(member.learner, "wagtail_userprofile", None)
        language = getattr(language, "preferred_language", "") or settings.LANGUAGE_CODE
        url = settings.SITE_URL.rstrip("/") + reverse("dashboard")
        with override(language):
            EmailMessage(
                subject=str(SUBJECT),
                body=str(BODY) % {"url": url},
                to=[member.learner.email],
            ).send()
    return True
