from django import template

register = template.Library()


@register.simple_tag
def live_courses(limit: int):
    """The newest live courses in the visitor's language, one query."""
    from courses.locales import in_active_language
    from courses.models import CoursePage

    courses = in_active_language(CoursePage.objects.live().public())
    return list(courses.order_by("-first_published_at")[:limit])
