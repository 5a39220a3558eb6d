"""Background work for certificates: rendering PDFs (WeasyPrint) off the request."""

from django_tasks import task

from .models import Certificate


@task()
def render_certificate_pdf_task(certificate_id: int) -> str:
    """Render and store one certificate's PDF; return its SHA-256 ("" if gone)."""
    from .services import render_certificate_file

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.withdrawn_at is not None:
        return ""
    return render_certificate_file(certificate=certificate).pdf_sha256
