from django import template

register = template.Library()


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


@register.simple_tag
def duration(minutes: int) -> str:
    """Minutes as a short phrase: '45 minutes', '2 hours 10 minutes'."""
    from django.utils.translation import ngettext

    hours, rest = divmod(int(minutes or 0), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if rest or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest})
    return " ".join(parts)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
