"""The gradebook: trainers see each learner's steps, quiz scores and certificate.

Reading needs `courses.view_learner_progress`; resetting quiz tries and
marking a step complete need `courses.change_learner_progress`, and a reason
that is kept. A learner is found by username here only, by a form sent with
POST: no username ever goes into a URL, a log or a page title.
"""

import django_filters
from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from circles.refusals import Refusal
from courses.admin_views import (
    CourseRowsReportView,
    EnrolmentFilterSet,
    LearnerReportView,
)
from courses.models import CoursePage, Enrolment
from courses.outline import course_outline
from courses.permissions import (
    CHANGE_LEARNER_PROGRESS,
    VIEW_LEARNER_PROGRESS,
    permission_required,
)
from courses.selectors import with_learner_counts
from courses.services import mark_step_complete
from quizzes.models import QuizPage
from quizzes.services import reset_attempts

from .selectors import (
    QUIET_DAYS,
    TRIES_BEFORE_A_HAND,
    GradebookRow,
    gradebook,
    learner_record,
)

GRADEBOOK = _("Gradebook")


class GradebookIndexView(LearnerReportView):
    """Every live course, with how many learners it has; each opens its gradebook."""

    page_title = GRADEBOOK
    header_icon = "table"
    index_url_name = "gradebook"
    index_results_url_name = "gradebook_results"
    verbose_name_plural = _("courses")
    columns = [
        TitleColumn("title", label=_("Course"), url_name="gradebook_course"),
        Column("learners", label=_("Learners")),
        Column("finished", label=_("Finished")),
    ]

    def get_queryset(self):
        return with_learner_counts(CoursePage.objects.live())


class GradebookFilterSet(EnrolmentFilterSet):
    needs_a_hand = django_filters.BooleanFilter(
        label=_("May need a hand"),
        method="keep_all",  # decided on the computed rows, in the view
    )

    class Meta(EnrolmentFilterSet.Meta):
        fields = ["cohort", "needs_a_hand"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["needs_a_hand"].extra["help_text"] = _gettext(
            "No activity for %(days)d days, or %(tries)d tries at a quiz without "
            "passing."
        ) % {"days": QUIET_DAYS, "tries": TRIES_BEFORE_A_HAND}

    def keep_all(self, queryset, name, value):
        return queryset


def _steps_text(row: GradebookRow) -> str:
    if row.finished:
        return _gettext("Finished")
    return _gettext("%(done)d of %(total)d") % {"done": row.done, "total": row.total}


def _certificate_text(row: GradebookRow) -> str:
    return row.certificate.label if row.certificate else ""


class QuizScoreColumn(Column):
    """A quiz's best score and tries for one learner, in words as well as marks."""

    cell_template_name = "learners/admin/score_cell.html"

    def __init__(self, quiz, **kwargs):
        super().__init__(
            f"quiz-{quiz.id}", label=quiz.title, sort_key=f"quiz-{quiz.id}", **kwargs
        )
        self.quiz_id = quiz.id

    def get_value(self, instance):
        return instance.score(self.quiz_id)


class NeedsAHandColumn(Column):
    cell_template_name = "learners/admin/needs_a_hand_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["reasons"] = hand_reasons(instance)
        return context


class GradebookView(CourseRowsReportView):
    """One course: each learner's steps, quiz scores, last activity and certificate."""

    page_title = GRADEBOOK
    header_icon = "table"
    template_name = "learners/admin/gradebook.html"
    index_url_name = "gradebook_course"
    index_results_url_name = "gradebook_course_results"
    filterset_class = GradebookFilterSet
    verbose_name_plural = _("learners")

    @cached_property
    def quizzes(self):
        return [s for s in course_outline(self.course).steps if s.kind == "quizpage"]

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "username",
                label=_("Learner"),
                sort_key="username",
                get_url=lambda row: reverse(
                    "gradebook_learner", args=[self.course.pk, row.learner_id]
                ),
            ),
            Column("cohort", label=_("Cohort"), sort_key="cohort"),
            Column(
                "steps", label=_("Steps done"), accessor=_steps_text, sort_key="percent"
            ),
            *(QuizScoreColumn(quiz) for quiz in self.quizzes),
            DateColumn(
                "last_activity", label=_("Last activity"), sort_key="last_activity"
            ),
            Column(
                "certificate",
                label=_("Certificate"),
                accessor=_certificate_text,
                sort_key="certificate",
            ),
            NeedsAHandColumn(
                "needs_a_hand", label=_("May need a hand"), sort_key="needs_a_hand"
            ),
        ]

    def sort_value(self, row, key):
        if key.startswith("quiz-"):
            score = row.score(int(key.removeprefix("quiz-")))
            return None if score.best is None else (score.best, -score.tries)
        if key == "certificate":
            return _certificate_text(row)
        return getattr(row, key)

    def get_rows(self, enrolments) -> list[GradebookRow]:
        rows = gradebook(course=self.course, enrolments=enrolments).rows
        if self.filters and self.filters.is_valid():
            wanted = self.filters.form.cleaned_data.get("needs_a_hand")
            if wanted is not None:
                rows = [row for row in rows if row.needs_a_hand == wanted]
        return rows

    @cached_property
    def list_export(self):
        fields = ["username", "cohort", "enrolled_at", "done", "total", "completed_at"]
        for quiz in self.quizzes:
            fields += [f"quiz-{quiz.id}-best", f"quiz-{quiz.id}-tries"]
        return fields + ["last_activity", "certificate", "needs_a_hand", "why"]

    @cached_property
    def export_headings(self):
        headings = {
            "username": _gettext("Learner"),
            "cohort": _gettext("Cohort"),
            "enrolled_at": _gettext("Enrolled"),
            "done": _gettext("Steps done"),
            "total": _gettext("Steps now"),
            "completed_at": _gettext("Finished"),
            "last_activity": _gettext("Last activity"),
            "certificate": _gettext("Certificate"),
            "needs_a_hand": _gettext("May need a hand"),
            "why": _gettext("Why"),
        }
        for quiz in self.quizzes:
            headings[f"quiz-{quiz.id}-best"] = _gettext("%(quiz)s: best score (%%)") % {
                "quiz": quiz.title
            }
            headings[f"quiz-{quiz.id}-tries"] = _gettext("%(quiz)s: tries") % {
                "quiz": quiz.title
            }
        return headings

    def to_row_dict(self, item: GradebookRow):
        row = {
            "username": item.username,
            "cohort": item.cohort,
            "enrolled_at": item.enrolled_at,
            "done": item.done,
            "total": item.total,
            "completed_at": item.completed_at or "",
            "last_activity": item.last_activity,
            "certificate": _certificate_text(item),
            "needs_a_hand": _gettext("yes") if item.needs_a_hand else "",
            "why": "; ".join(hand_reasons(item)),
        }
        for quiz in self.quizzes:
            score = item.score(quiz.id)
            row[f"quiz-{quiz.id}-best"] = "" if score.best is None else score.best
            row[f"quiz-{quiz.id}-tries"] = score.tries
        return {field: row[field] for field in self.list_export}

    def get_filename(self):
        return f"gradebook-{self.course.pk}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("gradebook"), "label": GRADEBOOK},
            {"url": "", "label": GRADEBOOK, "sublabel": self.course.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["course"] = self.course
        return context


def hand_reasons(row: GradebookRow) -> list[str]:
    """Why a learner may need a hand, in words a trainer reads."""
    reasons = []
    if row.quiet:
        reasons.append(
            _gettext("No activity for %(days)d days or more") % {"days": QUIET_DAYS}
        )
    for title in row.stuck_on:
        reasons.append(
            _gettext("%(tries)d tries at “%(quiz)s” without passing")
            % {"tries": TRIES_BEFORE_A_HAND, "quiz": title}
        )
    return reasons


@require_POST
@permission_required(VIEW_LEARNER_PROGRESS)
def find_learner(request, course_id: int):
    """Open a learner's page from a username the trainer typed (sent by POST)."""
    course = get_object_or_404(CoursePage, pk=course_id)
    username = request.POST.get("username", "").strip()
    enrolment = (
        Enrolment.objects.filter(course=course, learner__username__iexact=username)
        .order_by("learner_id")
        .first()
        if username
        else None
    )
    if enrolment is None:
        messages.warning(
            request, _("Nobody with that username is enrolled in this course.")
        )
        return redirect("gradebook_course", course.pk)
    return redirect("gradebook_learner", course.pk, enrolment.learner_id)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the change, for other trainers to read."),
    )


@method_decorator(permission_required(VIEW_LEARNER_PROGRESS), name="dispatch")
class LearnerView(WagtailAdminTemplateMixin, TemplateView):
    """One learner in one course: steps, every quiz try with its review, actions."""

    template_name = "learners/admin/learner.html"
    page_title = _("Learner")
    header_icon = "user"

    @cached_property
    def course(self) -> CoursePage:
        return get_object_or_404(CoursePage, pk=self.kwargs["course_id"])

    @cached_property
    def enrolment(self) -> Enrolment:
        return get_object_or_404(
            Enrolment.objects.select_related("learner", "cohort"),
            course=self.course,
            learner_id=self.kwargs["user_id"],
        )

    def get_page_subtitle(self):
        # The course, never the learner: page titles show in browser history.
        return self.course.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("gradebook"), "label": GRADEBOOK},
            {
                "url": reverse("gradebook_course", args=[self.course.pk]),
                "label": self.course.title,
            },
            {"url": "", "label": _("Learner"), "sublabel": self.course.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            course=self.course,
            learner=self.enrolment.learner,
            record=learner_record(course=self.course, enrolment=self.enrolment),
            may_change=self.request.user.has_perm(CHANGE_LEARNER_PROGRESS),
            reason_form=ReasonForm(),
        )
        return context


def _learner_url(course_id: int, user_id: int) -> str:
    return reverse("gradebook_learner", args=[course_id, user_id])


def _reason_or_warn(request) -> str | None:
    form = ReasonForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["reason"]
    messages.error(request, _("Please write why, so the reason is kept."))
    return None


@require_POST
@permission_required(CHANGE_LEARNER_PROGRESS)
def reset_quiz_attempts(request, course_id: int, user_id: int, quiz_id: int):
    """Let the learner start a quiz afresh: their tries stop counting, kept with why."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("learner"),
        course_id=course_id,
        learner_id=user_id,
    )
    quiz = get_object_or_404(
        QuizPage, pk=quiz_id, path__startswith=enrolment.course.path
    )
    reason = _reason_or_warn(request)
    if reason is not None:
        try:
            outcome = reset_attempts(
                learner=enrolment.learner,
                quiz=quiz,
                reset_by=request.user,
                reason=reason,
            )
        except Refusal as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d try at “%(quiz)s” no longer counts. The learner "
                    "can start afresh.",
                    "%(count)d tries at “%(quiz)s” no longer count. The learner "
                    "can start afresh.",
                    outcome.reset,
                )
                % {"count": outcome.reset, "quiz": quiz.title},
            )
    return redirect(_learner_url(course_id, user_id) + f"#quiz-{quiz.pk}")


@require_POST
@permission_required(CHANGE_LEARNER_PROGRESS)
def mark_complete(request, course_id: int, user_id: int, step_id: int):
    """Mark a step complete for the learner, on a trainer's word and with why."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("learner", "course"),
        course_id=course_id,
        learner_id=user_id,
    )
    step = get_object_or_404(
        Page.objects.specific(),
        pk=step_id,
        path__startswith=enrolment.course.path,
    )
    reason = _reason_or_warn(request)
    if reason is not None:
        try:
            outcome = mark_step_complete(
                learner=enrolment.learner,
                step=step,
                marked_by=request.user,
                reason=reason,
            )
        except Refusal as error:
            messages.error(request, error.message)
        else:
            if not outcome.created:
                messages.info(request, _("The learner had already done this step."))
            elif outcome.course_completed_now:
                messages.success(
                    request,
                    _(
                        "“%(step)s” is marked complete, and the learner has finished "
                        "the course."
                    )
                    % {"step": step.title},
                )
            else:
                messages.success(
                    request,
                    _("“%(step)s” is marked complete.") % {"step": step.title},
                )
    return redirect(_learner_url(course_id, user_id) + f"#step-{step_id}")
