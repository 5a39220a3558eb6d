"""A course's outline: its live modules and steps in tree order, cached per course.

The outline does not depend on the learner, so it is built once (a query
for the pages and one per page type) and kept in the cache until a page in
the course is published, unpublished, moved or deleted.
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
    """Read the live modules and steps of a course: a query per page type, plus one."""
    course_url = course.url or ""
    course_path_len = len(course.url_path)
    pages = list(
        Page.objects.live()
        .filter(
            path__startswith=course.path, depth__in=[course.depth + 1, course.depth + 2]
        )
        .order_by("path")
        # A lesson's body is not needed here, and it is the bulk of the row.
        .defer_streamfields()
        .specific()
    )
    modules = [p for p in pages if p.depth == course.depth + 1]
    module_by_path = {m.path: m for m in modules}
    # A translated course names its steps by their originals' ids, so the
    # learner's progress is the same in every language (courses/locales.py).
    ids = _original_ids(course, pages)

    steps_by_module: dict[int, list[StepEntry]] = {m.id: [] for m in modules}
    number = 0
    for page in pages:
        module = module_by_path.get(page.path[: -Page.steplen])
        if page.depth != course.depth + 2 or module is None:
            continue  # a module, or a step whose module is not live
        number += 1
        steps_by_module[module.id].append(
            StepEntry(
                id=ids[page.id],
                title=page.title,
                url=course_url + page.url_path[course_path_len:],
                kind=page._meta.model_name,
                minutes=getattr(page, "estimated_minutes", 0) or 0,
                content_note=getattr(page, "content_note", "") or "",
                module_id=ids[module.id],
                first_published_at=page.first_published_at,
                number=number,
            )
        )
    return Outline(
        course_id=ids[course.pk],
        modules=tuple(
            ModuleEntry(
                id=ids[m.id],
                title=m.title,
                url=course_url + m.url_path[course_path_len:],
                content_note=getattr(m, "content_note", "") or "",
                steps=tuple(steps_by_module[m.id]),
            )
            for m in modules
        ),
    )


def _original_ids(course, pages) -> dict[int, int]:
    """The original's id for the course and each page; a query for a translation."""
    from .locales import is_original, original_ids

    if is_original(course):
        return {page.pk: page.pk for page in [course, *pages]}
    found = original_ids(page.translation_key for page in [course, *pages])
    return {
        page.pk: found.get(page.translation_key, page.pk) for page in [course, *pages]
    }


def forget_outline_for(page_path: str) -> None:
    """Drop the cached outline of whichever course contains the page at `page_path`.

    Forgets now, for the rest of this transaction, and again once it commits:
    a request that read the old tree meanwhile may have cached it again.
    """
    from .models import CoursePage

    # ancestor_of reads only the path, so a stand-in serves for a deleted page.
    courses = CoursePage.objects.ancestor_of(Page(path=page_path), inclusive=True)
    found = list(courses.values_list("pk", "path"))
    keys = [_cache_key(course_id) for course_id, _path in found] + [
        _course_at_key(path) for path in {page_path, *(path for _pk, path in found)}
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
