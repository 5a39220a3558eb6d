"""Quiz reports for trainers: Wagtail report views with CSV and XLSX downloads."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.models import Page

from courses.admin_views import LearnerReportView

from .models import QuizPage
from .selectors import QuizReportRow, quiz_report, quiz_report_rows


def _place(quiz: QuizPage) -> str:
    return " · ".join(t for t in (quiz.course_title, quiz.module_title) if t)


class QuizReportIndexView(LearnerReportView):
    """Every published quiz, where it sits, and how many tries it has had."""

    page_title = _("Quiz reports")
    index_url_name = "quiz_reports"
    index_results_url_name = "quiz_reports_results"
    verbose_name_plural = _("published quizzes")
    columns = [
        TitleColumn("title", label=_("Quiz"), url_name="quiz_report", width="35%"),
        Column("place", label=_("Course and module"), accessor=_place),
        Column("tries", label=_("Tries")),
    ]

    def get_queryset(self):
        return (
            QuizPage.objects.live()
            .annotate(
                tries=Count("attempts", filter=Q(attempts__submitted_at__isnull=False))
            )
            .order_by("path")
        )

    def decorate_paginated_queryset(self, quizzes):
        """Name each quiz's course and module with one query for the page of results."""
        quizzes = list(quizzes)
        steplen = Page.steplen
        titles = dict(
            Page.objects.filter(
                path__in={q.path[:-steplen] for q in quizzes}
                | {q.path[: -2 * steplen] for q in quizzes}
            ).values_list("path", "title")
        )
        for quiz in quizzes:
            quiz.module_title = titles.get(quiz.path[:-steplen], "")
            quiz.course_title = titles.get(quiz.path[: -2 * steplen], "")
        return quizzes


def _percent(value) -> str:
    return "" if value is None else f"{value}%"


class QuizReportView(LearnerReportView):
    """One quiz: tries, passes and average, then how often each answer was picked."""

    page_title = _("Quiz report")
    results_template_name = "quizzes/admin/report_results.html"
    index_url_name = "quiz_report"
    index_results_url_name = "quiz_report_results"
    verbose_name_plural = _("questions")
    paginate_by = None  # one quiz's answers: a short table, read whole
    columns = [
        Column(
            "question",
            label=_("Question"),
            accessor=lambda row: (
                f"{row.number}. {row.question}" if row.first_of_question else ""
            ),
        ),
        Column(
            "percent_right",
            label=_("Answered right"),
            accessor=lambda row: (
                _percent(row.percent_right) if row.first_of_question else ""
            ),
        ),
        Column("answer", label=_("Answer")),
        Column(
            "correct",
            label=_("Correct answer"),
            accessor=lambda row: _("Yes") if row.correct else _("No"),
        ),
        Column("picked", label=_("Times picked")),
    ]
    list_export = [
        "number",
        "question",
        "asked",
        "percent_right",
        "answer",
        "correct",
        "picked",
    ]
    export_headings = {
        "number": _("Question"),
        "question": _("Question text"),
        "asked": _("Times asked"),
        "percent_right": _("Answered right (%)"),
        "answer": _("Answer"),
        "correct": _("Correct answer"),
        "picked": _("Times picked"),
    }

    @cached_property
    def quiz(self) -> QuizPage:
        return get_object_or_404(QuizPage, pk=self.kwargs["quiz_id"])

    def get_queryset(self) -> list[QuizReportRow]:
        self.report = quiz_report(self.quiz)
        return quiz_report_rows(self.report)

    def get_filtered_queryset(self):
        return self.get_queryset()

    def to_row_dict(self, item: QuizReportRow):
        row = super().to_row_dict(item)
        row["percent_right"] = "" if item.percent_right is None else item.percent_right
        row["correct"] = _("yes") if item.correct else _("no")
        return row

    def get_filename(self):
        return f"quiz-report-{self.quiz.pk}"

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.quiz.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.quiz.pk])

    def get_page_subtitle(self):
        return self.quiz.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        return context
