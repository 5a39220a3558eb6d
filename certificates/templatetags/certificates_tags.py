"""The holder's list of certificates on /learn/, and QR codes."""

from django import template

from .. import qr
from ..selectors import courses_without_certificates, holder_certificates
from ..tasks import tasks_wait_for_a_worker

register = template.Library()


@register.inclusion_tag(
    "certificates/includes/holder_certificates.html", takes_context=True
)
def learner_certificates(context):
    """The holder's certificates with code, QR, download, check link and checks."""
    request = context["request"]
    user = request.user
    items = holder_certificates(learner=user)
    with_certificate = {item.certificate.course_id for item in items}
    completed = [
        row.course
        for row in context.get("completed") or []
        if row.course.pk not in with_certificate
    ]
    without = (
        courses_without_certificates([c.pk for c in completed]) if completed else ()
    )
    waiting = [course for course in completed if course.pk not in without]
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
    return qr.qr_svg(url, css_class="qr-code", label=label, scale=4)
