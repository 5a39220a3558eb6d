from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from courses.admin_views import LearnerDataMenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_quiz_report_urls():
    return [
        path(
            "quiz-reports/",
            admin_views.QuizReportIndexView.as_view(),
            name="quiz_reports",
        ),
        path(
            "quiz-reports/results/",
            admin_views.QuizReportIndexView.as_view(results_only=True),
            name="quiz_reports_results",
        ),
        path(
            "quiz-reports/<int:quiz_id>/",
            admin_views.QuizReportView.as_view(),
            name="quiz_report",
        ),
        path(
            "quiz-reports/<int:quiz_id>/results/",
            admin_views.QuizReportView.as_view(results_only=True),
            name="quiz_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_quiz_reports_menu_item():
    return LearnerDataMenuItem(
        _("Quiz reports"), reverse("quiz_reports"), icon_name="tasks", order=700
    )
