"""Keep enrolments right when trainers change a course under learners' feet."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_unpublished

from .selectors import course_for_path


def _recheck(path: str) -> None:
    from .services import complete_courses_now_done

    # Runs on commit, after the outline cache has forgotten the old tree.
    course = course_for_path(path)
    if course is not None:
        complete_courses_now_done(course=course)


@receiver(page_unpublished, dispatch_uid="courses_recheck_on_unpublish")
def recheck_after_unpublish(sender, instance, **kwargs):
    """A learner whose last open step was unpublished has finished the course."""
    transaction.on_commit(lambda: _recheck(instance.path))


@receiver(post_delete, dispatch_uid="courses_recheck_on_delete")
def recheck_after_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and type(instance) is Page and instance.path:
        path = instance.path
        transaction.on_commit(lambda: _recheck(path))
