"""The demo's certificates: a standard template and one finished course for the learner.

Called at the end of `manage.py seed_demo`; every step is safe to repeat.
"""

from django.db import transaction
from wagtail.models import Locale, Page

from courses.locales import originals
from courses.models import CoursePage
from courses.outline import course_outline
from courses.services import complete_step, enrol

from .models import Certificate, CertificatePolicy, CertificateTemplate
from .services import change_printed_name, issue_certificate

STANDARD_TEMPLATE = "Circles standard"
DEMO_COURSE_SLUG = "boundaries-and-self-care"
DEMO_PRINTED_NAME = "Sam Rivera"


def ensure_standard_template(courses) -> CertificateTemplate:
    """Create the standard template and give it to courses that have none."""
    template, _created = CertificateTemplate.objects.get_or_create(
        name=STANDARD_TEMPLATE,
        locale=Locale.get_default(),
        defaults={"signatory_name": "Jo Okafor", "signatory_title": "Lead trainer"},
    )
    for course in courses:
        policy, _created = CertificatePolicy.objects.get_or_create(course=course)
        if policy.template_id is None:
            policy.template = template
            policy.save(update_fields=["template"])
    return template


def ensure_demo_certificate(*, learner) -> Certificate:
    """Give the demo learner a finished course and its certificate, once."""
    ensure_standard_template(originals(CoursePage.objects.all()))
    course = originals(CoursePage.objects.all()).get(slug=DEMO_COURSE_SLUG)
    if not learner.certificate_name:
        change_printed_name(learner=learner, printed_name=DEMO_PRINTED_NAME)
    enrol(learner=learner, course=course)
    for entry in course_outline(course).steps:
        complete_step(learner=learner, step=Page.objects.get(pk=entry.id).specific)
    with transaction.atomic():
        return issue_certificate(learner=learner, course=course)
