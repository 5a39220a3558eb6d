from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import (
    admin_views,
    translation_report,
    tree_admin,  # noqa: F401 (registers move hooks)
)


@hooks.register("register_admin_urls")
def register_progress_urls():
    return [
        path(
            "course-progress/",
            admin_views.CourseProgressIndexView.as_view(),
            name="course_progress",
        ),
        path(
            "course-progress/results/",
            admin_views.CourseProgressIndexView.as_view(results_only=True),
            name="course_progress_results",
        ),
        path(
            "course-progress/<int:course_id>/",
            admin_views.CourseProgressView.as_view(),
            name="course_progress_detail",
        ),
        path(
            "course-progress/<int:course_id>/results/",
            admin_views.CourseProgressView.as_view(results_only=True),
            name="course_progress_detail_results",
        ),
        path(
            "translations-to-update/",
            translation_report.TranslationsToUpdateView.as_view(),
            name="translations_to_update",
        ),
        path(
            "translations-to-update/results/",
            translation_report.TranslationsToUpdateView.as_view(results_only=True),
            name="translations_to_update_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_progress_menu_item():
    return admin_views.LearnerDataMenuItem(
        _("Course progress"), reverse("course_progress"), icon_name="tasks", order=650
    )


@hooks.register("register_reports_menu_item")
def register_translations_menu_item():
    return MenuItem(
        _("Translations to update"),
        reverse("translations_to_update"),
        icon_name="site",
        order=8990,
    )


@hooks.register("register_admin_viewset")
def register_cohort_viewset():
    # Imported here, as the hook runs: the module registers the cohorts'
    # permission policy before the viewset looks it up.
    from .cohort_admin import CohortViewSet

    return CohortViewSet("cohorts")
