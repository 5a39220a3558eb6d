"""Pages: checking a certificate (/verify/); the holder's name, claim and download."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django_ratelimit.core import is_ratelimited

from circles.refusals import Refusal
from circles.return_paths import safe_return_path
from courses.locales import original
from courses.models import CoursePage
from courses.selectors import viewable_page_or_404

from .codes import InvalidCode, format_code
from .forms import CodeForm, PrintedNameForm, UploadForm
from .keys import SigningKeyMissing
from .models import Verification
from .pdf import certificate_filename
from .selectors import (
    can_download,
    certificate_by_code,
    certificate_for_file,
    public_facts,
)
from .services import (
    NameChangeLimitReached,
    PrintedNameNeeded,
    change_printed_name,
    ensure_certificate_file,
    issue_certificate,
    record_verification,
)
from .tasks import tasks_wait_for_a_worker

# Multipart framing around the file; a body larger than the limit plus this
# is refused before it is read.
_UPLOAD_OVERHEAD = 64 * 1024


def is_limited(request, *, group: str, rate: str) -> bool:
    """Count this request against the client's allowance; True when it is spent.

    Every request counts the same, whatever the code and whether it exists,
    so the limit says nothing about which codes are real.
    """
    return is_ratelimited(
        request, group=f"certificates.{group}", key="ip", rate=rate, increment=True
    )


def count_check(request, certificate, channel: str) -> None:
    """Record a check, unless it is the holder looking at their own certificate."""
    if request.user.is_authenticated and request.user.pk == certificate.learner_id:
        return
    record_verification(certificate=certificate, channel=channel)


# --- Checking ---------------------------------------------------------------


# A result shows a holder's name: neither the browser nor a proxy may keep it,
# so Back on a shared device cannot bring it up again.
@never_cache
@csrf_exempt  # protected below, once the body is known to be a sensible size
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """The checking page: type a code, or upload a certificate PDF."""
    if request.method == "POST":
        return _upload_check(request)
    form = CodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect(
            "certificates:verify_result", code=format_code(form.cleaned_data["code"])
        )
    return _verify_page(request, code_form=form, status=400 if form.is_bound else 200)


@never_cache
@require_safe
def verify_result(request, code: str):
    """The result of checking a code, in plain words."""
    if is_limited(request, group="verify", rate=settings.CERTIFICATE_VERIFY_RATE):
        return too_many_checks(request)
    try:
        certificate = certificate_by_code(code)
    except InvalidCode:
        form = CodeForm(data={"code": code})
        form.is_valid()
        return _verify_page(request, code_form=form, status=400)
    if certificate is None:
        return render(
            request,
            "certificates/verify_result.html",
            {"unknown": True, "code": _display(code)},
            status=404,
        )
    count_check(request, certificate, Verification.Channel.PAGE)
    return render(
        request,
        "certificates/verify_result.html",
        {"facts": public_facts(certificate)},
    )


def _upload_check(request):
    if is_limited(request, group="upload", rate=settings.CERTIFICATE_UPLOAD_RATE):
        return too_many_checks(request)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.CERTIFICATE_UPLOAD_MAX_BYTES + _UPLOAD_OVERHEAD:
        return _verify_page(
            request,
            upload_error=_("That file is too big to be one of our certificates."),
            status=413,
        )
    return _checked_upload(request)


@csrf_protect
def _checked_upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _verify_page(request, upload_form=form, status=400)
    digest = hashlib.sha256()
    for chunk in form.cleaned_data["file"].chunks():
        digest.update(chunk)
    certificate = certificate_for_file(digest.hexdigest())
    if certificate is None:
        return _verify_page(request, upload_form=UploadForm(), upload_unknown=True)
    count_check(request, certificate, Verification.Channel.UPLOAD)
    return render(
        request,
        "certificates/verify_result.html",
        {"facts": public_facts(certificate), "from_upload": True},
    )


def _verify_page(request, *, code_form=None, upload_form=None, status=200, **extra):
    return render(
        request,
        "certificates/verify.html",
        {
            "code_form": code_form or CodeForm(),
            "upload_form": upload_form or UploadForm(),
            "upload_limit": settings.CERTIFICATE_UPLOAD_MAX_BYTES,
            **extra,
        },
        status=status,
    )


def too_many_checks(request):
    response = render(request, "certificates/too_many_checks.html", status=429)
    response["Retry-After"] = "60"
    return response


def _display(code: str) -> str:
    try:
        return format_code(code)
    except InvalidCode:
        return ""


# --- The holder ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def printed_name(request):
    """Ask for the name to print on certificates; choosing it issues them."""
    return_to = safe_return_path(request, default=reverse("dashboard"))
    form = PrintedNameForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            issued = change_printed_name(
                learner=request.user, printed_name=form.cleaned_data["printed_name"]
            )
        except NameChangeLimitReached as error:
            form.add_error("printed_name", error.message)
            return _printed_name_page(request, form, return_to)
        except SigningKeyMissing:
            messages.error(
                request,
                _(
                    "Your name is saved, but certificates cannot be made just now. "
                    "Please try again later."
                ),
            )
            return redirect(return_to)
        if issued:
            messages.success(request, _("Your certificate is ready."))
        else:
            messages.success(
                request, _("Saved. Your certificates will show this name.")
            )
        return redirect(return_to)
    return _printed_name_page(request, form, return_to)


def _printed_name_page(request, form, return_to: str):
    return render(
        request,
        "certificates/printed_name.html",
        {
            "form": form,
            "has_name": bool(request.user.certificate_name),
            "return_to": return_to,
        },
    )


@login_required
@require_POST
def claim(request, course_id: int):
    """Issue the certificate of a finished course that has none yet.

    Like every view reached by a page id, it answers 404 for a course whose
    privacy settings do not admit the request.
    """
    course = viewable_page_or_404(request, CoursePage.objects.all(), course_id)
    try:
        issue_certificate(learner=request.user, course=original(course))
    except PrintedNameNeeded:
        query = urlencode({"next": course.url})
        return redirect(f"{reverse('certificates:printed_name')}?{query}")
    except (Refusal, SigningKeyMissing) as error:
        messages.info(
            request,
            getattr(error, "message", _("Certificates cannot be made just now.")),
        )
        return redirect(course.url)
    messages.success(request, _("Your certificate is ready."))
    return redirect(course.url)


@require_safe
def download(request, code: str):
    """The certificate's PDF, for its holder and for trainers; 404 for anyone else."""
    try:
        certificate = certificate_by_code(code)
    except InvalidCode:
        raise Http404 from None
    if certificate is None or not can_download(
        user=request.user, certificate=certificate
    ):
        raise Http404
    if not certificate.offers_pdf:
        raise Http404
    if certificate.pdf_rendered_at is None and tasks_wait_for_a_worker():
        # The worker renders it; drawing it here would hold up a web process.
        messages.info(
            request,
            _(
                "Your certificate's PDF is being prepared. It is already valid "
                "and can be checked; come back in a few minutes to download it."
            ),
        )
        return redirect("dashboard")
    certificate = ensure_certificate_file(certificate=certificate)
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=certificate_filename(certificate.code),
    )
    add_never_cache_headers(response)
    return response
