"""Keep learners' passes when trainers take quizzes down and put them back."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, post_page_move


def _record_passes(page) -> None:
    from .services import record_passes_when_live

    # On commit: the course outline has been forgotten and sees the new tree.
    transaction.on_commit(lambda: record_passes_when_live(page=page))


@receiver(page_published, dispatch_uid="quizzes_passes_on_publish")
def record_passes_on_publish(sender, instance, **kwargs):
    """A quiz (or its module) published again completes the passes made meanwhile."""
    _record_passes(instance)


@receiver(post_page_move, dispatch_uid="quizzes_passes_on_move")
def record_passes_on_move(sender, instance, **kwargs):
    _record_passes(instance)
