from django import template

register = template.Library()


@register.simple_tag
def live_courses(limit: int):
    """The newest live courses, one query."""
    from courses.models import CoursePage

    return list(
        CoursePage.objects.live().public().order_by("-first_published_at")[:limit]
    )
