"""Every cohort has its circle from the start, so links to it never need to make one."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.models import Cohort


@receiver(post_save, sender=Cohort, dispatch_uid="peers.circle_for_new_cohort")
def circle_for_new_cohort(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import circle_for

        circle_for(instance)
