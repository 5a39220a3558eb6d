from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_quiz_report_urls():
    return [
        path("quiz-reports/", admin_views.index, name="quiz_reports"),
        path("quiz-reports/<int:quiz_id>/", admin_views.report, name="quiz_report"),
    ]


@hooks.register("register_reports_menu_item")
def register_quiz_reports_menu_item():
    return MenuItem(
        _("Quiz reports"), reverse("quiz_reports"), icon_name="tasks", order=700
    )
