"""The certificate panel on a course page, the holder's list on /learn/, QR codes."""

import segno
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from courses.selectors import enrolment_for

from ..selectors import current_certificate, holder_certificates, verify_url
from ..tasks import tasks_wait_for_a_worker

register = template.Library()


@register.inclusion_tag(
    "certificates/includes/certificate_panel.html", takes_context=True
)
def certificate_panel(context, course):
    """Tell a learner who finished the course where their certificate stands."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not course.offers_certificate:
        return {"show": False}
    enrolment = context.get("enrolment", None)
    if enrolment is None or enrolment.course_id != course.pk:
        enrolment = enrolment_for(learner=user, course=course)
    if enrolment is None or enrolment.completed_at is None:
        return {"show": False}
    certificate = current_certificate(learner=user, course=course)
    return {
        "show": True,
        "course": course,
        "certificate": certificate,
        "status": certificate.status.value if certificate else "",
        "verify_url": verify_url(certificate) if certificate else "",
        "needs_name": certificate is None and not user.certificate_name,
        "pdf_from_worker": tasks_wait_for_a_worker(),
        "request": request,
    }


@register.inclusion_tag(
    "certificates/includes/holder_certificates.html", takes_context=True
)
def learner_certificates(context):
    """The holder's certificates with code, QR, download, check link and checks."""
    request = context["request"]
    user = request.user
    items = holder_certificates(learner=user)
    with_certificate = {item.certificate.course_id for item in items}
    completed = context.get("completed") or []
    waiting = [
        row.course
        for row in completed
        if row.course.offers_certificate and row.course.pk not in with_certificate
    ]
    return {
        "items": items,
        "waiting": waiting,
        "has_name": bool(user.certificate_name),
        "pdf_from_worker": tasks_wait_for_a_worker(),
        "request": request,
    }


@register.simple_tag
def qr_svg(url: str, label: str = ""):
    """Return an inline SVG QR code of url (vector, loads nothing from anywhere)."""
    svg = segno.make(url, error="m", micro=False).svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="qr-code", lineclass=None
    )
    # segno writes numbers and the two colours only; the label is escaped here.
    labelled = svg.replace(
        "<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1
    )
    return mark_safe(labelled)  # noqa: S308
