import hashlib

from django import template
from django.utils.html import format_html_join
from wagtail import hooks

register = template.Library()

#: The hook under which apps register HTML for a learner's view of a course.
COURSE_HTML_HOOK = "insert_course_html"


@register.filter
def in_set(value, collection) -> bool:
    return value in (collection or ())


@register.filter
def is_skipped(step_id, progress) -> bool:
    return progress.is_skipped(step_id)


@register.filter
def module_done(progress, module) -> int:
    return progress.module_done(module)


@register.filter
def module_percent(progress, module) -> int:
    return progress.module_percent(module)


@register.simple_tag(takes_context=True)
def insert_course_html(context, course) -> str:
    """Return what apps above courses show a learner on a course, in hook order.

    Each function registered under COURSE_HTML_HOOK takes the template context
    and the course and returns HTML (certificates: where the learner's
    certificate stands), so courses' templates load nothing of theirs.
    """
    return format_html_join(
        "",
        "{}",
        ((insert(context, course),) for insert in hooks.get_hooks(COURSE_HTML_HOOK)),
    )


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.simple_tag
def outline_version(outline, progress=None, *, enrolled=False, new=()):
    """Everything a rendered outline depends on, as one short key for {% cache %}.

    The steps and their titles, whether links are shown, and the learner's
    progress on this course's steps only; so a learner sees a
    fresh outline the moment anything in it changes, and learners at the same
    point share one rendering.
    """
    step_ids = frozenset(outline.step_ids)
    parts = [repr(outline.modules), bool(enrolled)]
    if progress is not None:
        parts += [
            sorted(progress.completed_ids & step_ids),
            sorted(progress.skipped_ids & step_ids),
            sorted(frozenset(new or ()) & step_ids),
        ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()
