from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from courses.admin_views import LearnerDataMenuItem
from courses.permissions import VIEW_LEARNER_PROGRESS

from . import admin_views, data_admin  # noqa: F401 - data_admin registers hooks
from .selectors import CourseSummary, trainer_home

# The cohorts' admin is a ModelViewSet of its own; link to it when it is there.
COHORT_INDEX_URL_NAMES = ("cohorts:index", "cohort:index")


@hooks.register("register_admin_urls")
def register_gradebook_urls():
    learner = "gradebook/<int:course_id>/learners/<int:user_id>/"
    return [
        path("gradebook/", admin_views.GradebookIndexView.as_view(), name="gradebook"),
        path(
            "gradebook/results/",
            admin_views.GradebookIndexView.as_view(results_only=True),
            name="gradebook_results",
        ),
        path(
            "gradebook/<int:course_id>/",
            admin_views.GradebookView.as_view(),
            name="gradebook_course",
        ),
        path(
            "gradebook/<int:course_id>/results/",
            admin_views.GradebookView.as_view(results_only=True),
            name="gradebook_course_results",
        ),
        path(
            "gradebook/<int:course_id>/find/",
            admin_views.find_learner,
            name="gradebook_find_learner",
        ),
        path(learner, admin_views.LearnerView.as_view(), name="gradebook_learner"),
        path(
            learner + "quizzes/<int:quiz_id>/reset/",
            admin_views.reset_quiz_attempts,
            name="gradebook_reset_attempts",
        ),
        path(
            learner + "steps/<int:step_id>/complete/",
            admin_views.mark_complete,
            name="gradebook_mark_complete",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_gradebook_menu_item():
    return LearnerDataMenuItem(
        _("Gradebook"), reverse("gradebook"), icon_name="table", order=640
    )


def cohorts_url(course_id: int) -> str | None:
    for name in COHORT_INDEX_URL_NAMES:
        try:
            return f"{reverse(name)}?course={course_id}"
        except NoReverseMatch:
            continue
    return None


class CourseHomePanel(Component):
    """A trainer's view of one course on the admin dashboard."""

    template_name = "learners/admin/home_panel.html"
    order = 50

    def __init__(self, summary: CourseSummary):
        self.summary = summary
        self.name = f"course-{summary.course.pk}"

    def get_context_data(self, parent_context):
        course_id = self.summary.course.pk
        gradebook = reverse("gradebook_course", args=[course_id])
        return {
            "summary": self.summary,
            "gradebook_url": gradebook,
            "needs_a_hand_url": f"{gradebook}?needs_a_hand=true",
            "cohorts_url": cohorts_url(course_id),
        }


@hooks.register("construct_homepage_panels")
def add_course_panels(request, panels):
    if request.user.has_perm(VIEW_LEARNER_PROGRESS):
        panels.extend(CourseHomePanel(summary) for summary in trainer_home())
