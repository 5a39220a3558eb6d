"""Course progress for trainers: Wagtail report views with CSV and XLSX downloads.

`LearnerReportView` is the base of every report on learner data (progress,
quiz reports, the gradebook): trainers only, and every exported cell guarded.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from circles.spreadsheets import FormulaGuardMixin

from .models import Cohort, CoursePage, Enrolment
from .outline import course_outline
from .permissions import VIEW_LEARNER_PROGRESS
from .selectors import (
    LearnerProgressRow,
    cohort_totals,
    order_progress_rows,
    progress_rows,
    with_learner_counts,
)


class LearnerDataMenuItem(MenuItem):
    """A menu item shown only to users who may see learners' data."""

    def is_shown(self, request):
        return request.user.has_perm(VIEW_LEARNER_PROGRESS)


class LearnerReportView(FormulaGuardMixin, ReportView):
    """A Wagtail report on learner data: trainers only, every exported cell guarded."""

    permission_required = VIEW_LEARNER_PROGRESS
    header_icon = "tasks"

    def user_has_permission(self, permission):
        return self.request.user.has_perm(permission)


class EnrolmentFilterSet(WagtailFilterSet):
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        empty_label=_("All learners"),
        null_label=_("No cohort (self-enrolled)"),
    )

    class Meta:
        model = Enrolment
        fields = ["cohort"]

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["cohort"].queryset = Cohort.objects.filter(course=course).order_by(
            "name"
        )


def sort_rows(rows: list, ordering: str | None, value) -> list:
    """Sort rows a selector computed by a column's sort key; empty values go last.

    `ordering` is a sort key, with "-" in front for descending; `value(row, key)`
    reads the key from a row.
    """
    if not ordering:
        return rows
    key = ordering.lstrip("-")

    def read(row):
        found = value(row, key)
        return found.casefold() if isinstance(found, str) else found

    present = [row for row in rows if read(row) not in (None, "")]
    empty = [row for row in rows if read(row) in (None, "")]
    present.sort(key=read, reverse=ordering.startswith("-"))
    return present + empty


class CourseReportView(LearnerReportView):
    """A report on one course's learners, which Wagtail's filters narrow by cohort."""

    filterset_class = EnrolmentFilterSet
    default_ordering = "username"

    @cached_property
    def course(self) -> CoursePage:
        return get_object_or_404(CoursePage, pk=self.kwargs["course_id"])

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "course": self.course}

    def get_base_queryset(self):
        return Enrolment.objects.filter(course=self.course)

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.course.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.course.pk])

    def get_page_subtitle(self):
        return self.course.title


class CourseRowsReportView(CourseReportView):
    """A course report whose rows a selector computes in Python.

    The filters narrow the enrolments; the selector turns them into rows in a
    constant number of queries; sorting happens here, since several columns
    are computed, not stored.
    """

    def get_rows(self, enrolments) -> list:
        raise NotImplementedError

    def sort_value(self, row, key):
        return getattr(row, key)

    def get_queryset(self):
        rows = self.get_rows(self.filter_queryset(self.get_base_queryset()))
        return sort_rows(rows, self.ordering, self.sort_value)

    def get_filtered_queryset(self):
        return self.get_queryset()  # filtered before the rows were computed


class CourseProgressIndexView(LearnerReportView):
    """Every course, with how many learners enrolled and finished."""

    page_title = _("Course progress")
    index_url_name = "course_progress"
    index_results_url_name = "course_progress_results"
    verbose_name_plural = _("courses")
    columns = [
        TitleColumn(
            "title", label=_("Course"), url_name="course_progress_detail", width="50%"
        ),
        Column("status_string", label=_("Status")),
        Column("learners", label=_("Learners")),
        Column("finished", label=_("Finished")),
    ]

    def get_queryset(self):
        return with_learner_counts(CoursePage.objects.all())


class CourseProgressView(CourseReportView):
    """Each learner's steps done in one course, with totals per cohort.

    The database computes, sorts and pages the rows (`progress_rows`), so the
    first page of a course with 10,000 learners reads 50 of them, and the
    CSV download streams them in chunks with memory that stays flat.
    """

    page_title = _("Course progress")
    results_template_name = "courses/admin/progress_results.html"
    index_url_name = "course_progress_detail"
    index_results_url_name = "course_progress_detail_results"
    verbose_name_plural = _("learners")
    columns = [
        Column("username", label=_("Learner"), sort_key="username"),
        Column("cohort", label=_("Cohort"), sort_key="cohort"),
        DateColumn("enrolled_at", label=_("Enrolled"), sort_key="enrolled_at"),
        Column(
            "progress",
            label=_("Steps done"),
            accessor="summary",
            sort_key="percent",
        ),
        DateColumn("completed_at", label=_("Finished"), sort_key="completed_at"),
    ]
    list_export = [
        "username",
        "cohort",
        "enrolled_at",
        "done",
        "total",
        "percent",
        "completed_at",
    ]
    export_headings = {
        "username": _("Learner"),
        "cohort": _("Cohort"),
        "enrolled_at": _("Enrolled"),
        "done": _("Steps done"),
        "total": _("Steps now"),
        "percent": _("Progress (%)"),
        "completed_at": _("Finished"),
    }
    #: Rows the download reads from the database at a time.
    export_chunk_size = 500

    def get_base_queryset(self):
        return progress_rows(self.course)

    def order_queryset(self, queryset):
        return order_progress_rows(queryset, self.ordering)

    def get(self, request, *args, **kwargs):
        if self.is_export:  # straight to the rows: a listing's context reads them all
            rows = self.get_filtered_queryset().iterator(
                chunk_size=self.export_chunk_size
            )
            return self.as_spreadsheet(
                map(LearnerProgressRow.of, rows), request.GET["export"]
            )
        return super().get(request, *args, **kwargs)

    def get_table(self, object_list):
        return super().get_table([LearnerProgressRow.of(row) for row in object_list])

    def get_filename(self):
        return f"course-progress-{self.course.pk}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["course"] = self.course
        context["cohorts"] = cohort_totals(self.object_list)
        context["total_steps"] = len(course_outline(self.course).required_step_ids)
        return context
