"""Certificates drawn from what is stored: the PDF's inputs, bytes and samples.

Adapters between the models and the pure renderer in pdf.py; nothing here
changes what is stored (services.render_certificate_file stores a PDF).
"""

import json
import logging
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from courses.locales import locale_id

from .models import Certificate, CertificateTemplate
from .pdf import CertificateDesign, CertificatePrint, render_certificate_pdf
from .selectors import site_url, verify_url

logger = logging.getLogger(__name__)


def render_certificate_bytes(*, certificate: Certificate) -> bytes:
    """Return the certificate's PDF, drawn from its snapshot and its template.

    In the certificate's language: the standard wording's translation, or the
    template's own translation into that language when a trainer made one.
    """
    language = certificate.language or settings.LANGUAGE_CODE
    with translation.override(language):
        return render_certificate_pdf(
            certificate_print(certificate),
            certificate_design(template_in(certificate.template, language)),
            credential_json=credential_bytes(certificate),
        )


def template_in(
    template: CertificateTemplate | None, language: str
) -> CertificateTemplate | None:
    """The template's translation into `language`, or the template as it is."""
    wanted = locale_id(language)
    if template is None or wanted is None or wanted == template.locale_id:
        return template
    translated = CertificateTemplate.objects.filter(
        translation_key=template.translation_key, locale_id=wanted
    ).first()
    return translated or template


def credential_bytes(certificate: Certificate) -> bytes:
    """Return the signed credential as the bytes embedded in and served for it."""
    return json.dumps(certificate.credential, ensure_ascii=False, indent=2).encode()


def certificate_print(certificate: Certificate) -> CertificatePrint:
    return CertificatePrint(
        holder_name=certificate.printed_name,
        course_title=certificate.course_title,
        hours=certificate.course_hours,
        completed_on=timezone.localtime(certificate.completed_at).date(),
        issuer_name=certificate.issuer_name,
        code=certificate.display_code,
        verify_url=verify_url(certificate),
        expires_on=timezone.localtime(certificate.expires_at).date()
        if certificate.expires_at
        else None,
    )


def certificate_design(template: CertificateTemplate | None) -> CertificateDesign:
    """Return the look of a template, or the standard look without one."""
    if template is None:
        return CertificateDesign()
    extra = {}
    if template.title_text.strip():
        extra["title_text"] = template.title_text
    if template.body_text.strip():
        extra["body_text"] = template.body_text
    logo = _image_png(template.logo)
    signature = _image_png(template.signature_image)
    return CertificateDesign(
        signatory_name=template.signatory_name,
        signatory_title=template.signatory_title,
        logo=logo,
        signature_image=signature,
        primary_color=template.primary_color,
        accent_color=template.accent_color,
        page_size=template.page_size,
        orientation=template.orientation,
        **extra,
    )


def sample_pdf_response(template: CertificateTemplate) -> HttpResponse:
    """Return a sample certificate in this template as an inline PDF, never cached.

    What a trainer sees from the template's preview and its "Sample PDF"
    button alike.
    """
    response = HttpResponse(
        render_sample_pdf(template=template), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="sample-certificate.pdf"'
    add_never_cache_headers(response)
    return response


def render_sample_pdf(*, template: CertificateTemplate) -> bytes:
    """Return a sample certificate in this template, for a trainer's preview."""
    now = timezone.now()
    sample = CertificatePrint(
        holder_name=gettext("Alex Sample"),
        course_title=gettext("Example course"),
        hours=Decimal("6"),
        completed_on=timezone.localtime(now).date(),
        issuer_name=settings.ISSUER_NAME,
        code="ABCD-EFGH-JKMN",
        verify_url=site_url("/verify/ABCD-EFGH-JKMN/"),
    )
    return render_certificate_pdf(sample, certificate_design(template))


def _image_png(image) -> bytes | None:
    """Return a Wagtail image as PNG bytes sized for print, or None."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition("max-1200x600|format-png")
        with rendition.file.open("rb") as file:
            return file.read()
    except (OSError, ValueError):
        logger.warning("Certificate image %s could not be read; left out.", image.pk)
        return None
