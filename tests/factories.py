"""Factories for users and the page tree, built with add_child as Wagtail wants.

A course is built before anyone sees it, so its pages are added live with no
revision, as if each had been published once, and are left out of Wagtail's
search and reference indexes: no test of a fresh course reads its revisions
or those indexes, and together they were most of the cost of building one.
The course's cached outline is forgotten once at the end, as publishing would.
A module or lesson added to an existing course is published from a revision,
as a trainer would, so the outline, the quizzes and the indexes hear of it.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

from courses.models import CoursePage, LessonPage, ModulePage
from courses.outline import forget_outline_for

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = ""
    password = factory.django.Password(PASSWORD)


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@contextmanager
def _unindexed() -> Iterator[None]:
    """Save pages without updating the search or the reference index."""
    backends = {
        name: {**backend, "AUTO_UPDATE": False}
        for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with (
        override_settings(WAGTAILSEARCH_BACKENDS=backends),
        disable_reference_index_auto_update(),
    ):
        yield


def _add_live(parent: Page, page: Page) -> Page:
    """Add a live page with the dates publishing would give it, and no revision."""
    page.live = True
    page.first_published_at = page.last_published_at = timezone.now()
    parent.add_child(instance=page)
    return page


class CourseFactory(factory.Factory):
    """Build a live course under `parent`, with `modules` × `steps` lessons."""

    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A plain summary."
    estimated_hours = 2

    @classmethod
    def _create(cls, model_class, *args, parent=None, modules=1, steps=2, **kwargs):
        with _unindexed():
            course = cls._build_tree(model_class(**kwargs), parent, modules, steps)
        # The admin title of each step read the outline while it was built.
        forget_outline_for(course.path)
        return course

    @staticmethod
    def _build_tree(course, parent, modules, steps):
        _add_live(parent, course)
        for m in range(modules):
            module = _add_live(
                course,
                ModuleFactory.build(title=f"Module {m + 1}", slug=f"module-{m + 1}"),
            )
            for s in range(steps):
                _add_live(
                    module,
                    LessonFactory.build(
                        title=f"Lesson {m + 1}.{s + 1}", slug=f"lesson-{s + 1}"
                    ),
                )
        return course


class ModuleFactory(factory.Factory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return _publish(parent, model_class(**kwargs))


class LessonFactory(factory.Factory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    estimated_minutes = 10
    body = factory.LazyFunction(
        lambda: json.dumps(
            [{"type": "rich_text", "value": "<p>Listening starts with noticing.</p>"}]
        )
    )

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return _publish(parent, model_class(**kwargs))
