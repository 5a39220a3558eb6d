"""What certificates add to a course: a panel in its editor, a panel on its page.

Courses import nothing from certificates; they offer two Wagtail hooks
(courses.models.COURSE_PANELS_HOOK and courses_tags.COURSE_HTML_HOOK) and
certificates/wagtail_hooks.py registers these functions under them.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel

from courses.locales import original
from courses.selectors import enrolment_for

from .selectors import certificate_policy, current_certificate, verify_url
from .tasks import tasks_wait_for_a_worker


class OneFormInlinePanel(InlinePanel):
    """An inline panel that always shows one form, saved only when it is changed.

    A new course shows its certificate settings at their defaults; left as
    they are, nothing is saved and the defaults apply.
    """

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["validate_min"] = False
        return options


def certificate_policy_panel() -> InlinePanel:
    """Return the course editor's panel for its certificate settings."""
    return OneFormInlinePanel(
        "certificate_policy",
        heading=_("Certificate"),
        label=_("Certificate"),
        min_num=1,
        max_num=1,
    )


def certificate_panel_html(context, course) -> str:
    """Tell a learner who finished the course where their certificate stands."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    # Certificates belong to the original course, whichever language is read.
    course = original(course)
    enrolment = context.get("enrolment", None)
    if enrolment is None or enrolment.course_id != course.pk:
        enrolment = enrolment_for(learner=user, course=course)
    if enrolment is None or enrolment.completed_at is None:
        return ""
    if not certificate_policy(course).offers_certificate:
        return ""
    certificate = current_certificate(learner=user, course=course)
    return render_to_string(
        "certificates/includes/certificate_panel.html",
        {
            "course": course,
            "certificate": certificate,
            "status": certificate.status.value if certificate else "",
            "verify_url": verify_url(certificate) if certificate else "",
            "needs_name": certificate is None and not user.certificate_name,
            "pdf_from_worker": tasks_wait_for_a_worker(),
        },
        request=request,
    )
