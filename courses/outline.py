"""A course's outline: its live modules and steps in tree order, cached per course.

The outline does not depend on the learner, so it is built once (three small
queries) and kept in the cache until a page in the course is published,
unpublished, moved or deleted.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_TIMEOUT = 60 * 60 * 24


@dataclass(frozen=True)
class StepEntry:
    id: int
    title: str
    url: str
    kind: str  # the step's model name: "lessonpage", "quizpage"
    minutes: int
    content_note: str
    module_id: int
    first_published_at: datetime | None
    number: int  # 1-based position in the course


@dataclass(frozen=True)
class ModuleEntry:
    id: int
    title: str
    url: str
    content_note: str
    steps: tuple[StepEntry, ...]

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


@dataclass(frozen=True)
class Outline:
    course_id: int
    modules: tuple[ModuleEntry, ...]
    steps: tuple[StepEntry, ...] = field(init=False)

    def __post_init__(self):
        steps = tuple(step for module in self.modules for step in module.steps)
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "_index", {step.id: i for i, step in enumerate(steps)})

    @property
    def step_ids(self) -> tuple[int, ...]:
        return tuple(step.id for step in self.steps)

    @property
    def required_step_ids(self) -> frozenset[int]:
        """Every live step is required: lessons and quizzes alike."""
        return frozenset(self.step_ids)

    def step(self, step_id: int) -> StepEntry | None:
        index = self._index.get(step_id)
        return None if index is None else self.steps[index]

    def neighbours(self, step_id: int) -> tuple[StepEntry | None, StepEntry | None]:
        index = self._index.get(step_id)
        if index is None:
            return None, None
        previous = self.steps[index - 1] if index > 0 else None
        following = self.steps[index + 1] if index + 1 < len(self.steps) else None
        return previous, following

    def module(self, module_id: int) -> ModuleEntry | None:
        return next((m for m in self.modules if m.id == module_id), None)


def _cache_key(course_id: int) -> str:
    return f"courses:outline:{course_id}"


def course_outline(course) -> Outline:
    """The course's live modules and steps in order; cached, so usually no query."""
    key = _cache_key(course.pk)
    outline = cache.get(key)
    if outline is None:
        outline = build_outline(course)
        cache.set(key, outline, CACHE_TIMEOUT)
    return outline


def _course_at_key(course_path: str) -> str:
    return f"courses:course-at:{course_path}"


def outline_at_course_path(course_path: str) -> Outline | None:
    """The outline of the course at `course_path`; no query when cached.

    For admin listings, which title every step: the course's id for its path
    is cached too, and forgotten with the outline when the tree changes.
    """
    course_id = cache.get(_course_at_key(course_path))
    outline = cache.get(_cache_key(course_id)) if course_id else None
    if outline is None:
        from .models import CoursePage

        course = CoursePage.objects.filter(path=course_path).first()
        if course is None:
            return None
        cache.set(_course_at_key(course_path), course.pk, CACHE_TIMEOUT)
        outline = course_outline(course)
    return outline


def course_outlines(courses) -> dict[int, Outline]:
    """Outlines of several courses with one cache round trip (plus builds on misses)."""
    courses = list(courses)
    found = cache.get_many([_cache_key(course.pk) for course in courses])
    outlines = {}
    for course in courses:
        outline = found.get(_cache_key(course.pk))
        if outline is None:
            outline = build_outline(course)
            cache.set(_cache_key(course.pk), outline, CACHE_TIMEOUT)
        outlines[course.pk] = outline
    return outlines


def build_outline(course) -> Outline:
    """Read the live modules and steps of a course: a query per step type, plus two."""
    course_url = course.url or ""
    course_path_len = len(course.url_path)
    pages = list(
        Page.objects.live()
        .filter(
            path__startswith=course.path, depth__in=[course.depth + 1, course.depth + 2]
        )
        .order_by("path")
        .values(
            "id",
            "title",
            "path",
            "depth",
            "url_path",
            "first_published_at",
            "content_type__model",
            "content_type__app_label",
        )
    )
    modules = [p for p in pages if p["depth"] == course.depth + 1]
    steps = [p for p in pages if p["depth"] == course.depth + 2]
    module_fields = _specific_fields(modules)
    step_fields = _specific_fields(steps)
    module_by_path = {m["path"]: m for m in modules}

    steps_by_module: dict[int, list[StepEntry]] = {m["id"]: [] for m in modules}
    number = 0
    for page in steps:
        module = module_by_path.get(page["path"][: -Page.steplen])
        if module is None:
            continue  # its module is not live, so the step cannot be reached
        number += 1
        minutes, note = step_fields.get(page["id"], (0, ""))
        steps_by_module[module["id"]].append(
            StepEntry(
                id=page["id"],
                title=page["title"],
                url=course_url + page["url_path"][course_path_len:],
                kind=page["content_type__model"],
                minutes=minutes or 0,
                content_note=note or "",
                module_id=module["id"],
                first_published_at=page["first_published_at"],
                number=number,
            )
        )
    return Outline(
        course_id=course.pk,
        modules=tuple(
            ModuleEntry(
                id=m["id"],
                title=m["title"],
                url=course_url + m["url_path"][course_path_len:],
                content_note=module_fields.get(m["id"], (0, ""))[1] or "",
                steps=tuple(steps_by_module[m["id"]]),
            )
            for m in modules
        ),
    )


def _specific_fields(pages: list[dict]) -> dict[int, tuple[int, str]]:
    """(estimated minutes, content note) by page id, one query per page type."""
    from django.apps import apps

    by_type: dict[tuple[str, str], list[int]] = {}
    for page in pages:
        key = (page["content_type__app_label"], page["content_type__model"])
        by_type.setdefault(key, []).append(page["id"])
    fields: dict[int, tuple[int, str]] = {}
    for (app_label, model_name), ids in by_type.items():
        model = apps.get_model(app_label, model_name)
        names = {f.name for f in model._meta.get_fields()}
        minutes = "estimated_minutes" if "estimated_minutes" in names else None
        note = "content_note" if "content_note" in names else None
        values = model.objects.filter(pk__in=ids).values_list(
            "pk", *(name for name in (minutes, note) if name)
        )
        for row in values:
            pk, rest = row[0], row[1:]
            fields[pk] = (
                rest[0] if minutes else 0,
                (rest[-1] if note else "") or "",
            )
    return fields


def ancestor_paths(page_path: str) -> list[str]:
    """The tree paths of the page and every page above it."""
    return [
        page_path[:end] for end in range(Page.steplen, len(page_path) + 1, Page.steplen)
    ]


def forget_outline_for(page_path: str) -> None:
    """Drop the cached outline of whichever course contains the page at `page_path`.

    Forgets now, for the rest of this transaction, and again once it commits:
    a request that read the old tree meanwhile may have cached it again.
    """
    from .models import CoursePage

    course_ids = list(
        CoursePage.objects.filter(path__in=ancestor_paths(page_path)).values_list(
            "pk", flat=True
        )
    )
    keys = [_cache_key(course_id) for course_id in course_ids] + [
        _course_at_key(path) for path in ancestor_paths(page_path)
    ]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


@receiver(page_published)
@receiver(page_unpublished)
def _forget_on_publish(sender, instance, **kwargs):
    forget_outline_for(instance.path)


@receiver(post_page_move)
def _forget_on_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    forget_outline_for(parent_page_before.path)
    forget_outline_for(parent_page_after.path)
    forget_outline_for(instance.path)


@receiver(post_delete)
def _forget_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.path:
        forget_outline_for(instance.path)
