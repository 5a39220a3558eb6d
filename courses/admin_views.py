"""Course progress for trainers in the Wagtail admin, with a CSV download."""

import csv

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .models import CoursePage
from .selectors import course_progress_report


def index(request):
    return TemplateResponse(
        request,
        "courses/admin/progress_index.html",
        {
            "courses": CoursePage.objects.order_by("path"),
            "page_title": _("Course progress"),
            "header_icon": "tasks",
        },
    )


def progress(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    report = course_progress_report(course)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="course-progress-{course.pk}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(
            ["Username", "Cohort", "Enrolled", "Steps done", "Steps", "Completed"]
        )
        for row in report["rows"]:
            writer.writerow(
                [
                    row.username,
                    row.cohort,
                    row.enrolled_at.date().isoformat(),
                    row.done,
                    row.total,
                    row.completed_at.date().isoformat() if row.completed_at else "",
                ]
            )
        return response
    return TemplateResponse(
        request,
        "courses/admin/progress.html",
        {
            "course": course,
            "report": report,
            "page_title": _("Course progress"),
            "page_subtitle": course.title,
            "header_icon": "tasks",
        },
    )
