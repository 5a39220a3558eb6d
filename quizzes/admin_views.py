"""The quiz report trainers read in the Wagtail admin, with CSV and XLSX downloads."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import QuizPage
from .selectors import quiz_report, quiz_report_rows

FORMULA_STARTS = ("=", "+", "-", "@")


def _cell(value):
    # A learner never writes these texts, but a trainer's answer text could
    # start like a formula; spreadsheets must show it, not run it.
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def index(request):
    quizzes = QuizPage.objects.live().order_by("path")
    return TemplateResponse(
        request,
        "quizzes/admin/index.html",
        {"quizzes": quizzes, "page_title": _("Quiz reports"), "header_icon": "tasks"},
    )


def report(request, quiz_id: int):
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    data = quiz_report(quiz)
    download = request.GET.get("format")
    filename = f"quiz-report-{quiz.pk}"
    if download == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv.writer(response)
        for row in quiz_report_rows(data):
            writer.writerow([_cell(value) for value in row])
        return response
    if download == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Report"
        for row in quiz_report_rows(data):
            sheet.append([_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    return TemplateResponse(
        request,
        "quizzes/admin/report.html",
        {
            "quiz": quiz,
            "report": data,
            "page_title": _("Quiz report"),
            "page_subtitle": quiz.title,
            "header_icon": "tasks",
        },
    )
