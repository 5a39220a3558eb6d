from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_progress_urls():
    return [
        path("course-progress/", admin_views.index, name="course_progress"),
        path(
            "course-progress/<int:course_id>/",
            admin_views.progress,
            name="course_progress_detail",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_progress_menu_item():
    return MenuItem(
        _("Course progress"), reverse("course_progress"), icon_name="tasks", order=650
    )
