"""Factories for users and the page tree, built with add_child as Wagtail wants."""

import json

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Page

from courses.models import CoursePage, LessonPage, ModulePage

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
        course = _publish(parent, model_class(**kwargs))
        for m in range(modules):
            module = ModuleFactory(
                parent=course, title=f"Module {m + 1}", slug=f"module-{m + 1}"
            )
            for s in range(steps):
                LessonFactory(
                    parent=module,
                    title=f"Lesson {m + 1}.{s + 1}",
                    slug=f"lesson-{s + 1}",
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
