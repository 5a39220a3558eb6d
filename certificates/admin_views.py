"""Trainers' certificate tools in the admin: revoke, reissue, regenerate, ZIP."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from circles.refusals import Refusal
from courses.locales import originals
from courses.models import Cohort, CoursePage

from .codes import InvalidCode, normalize_code
from .forms import CertificateZipForm, RevokeForm
from .models import Certificate, CertificateTemplate
from .rendering import sample_pdf_response
from .selectors import certificates_for_download
from .services import (
    build_certificates_zip,
    reissue_certificate,
    revoke_certificate,
    schedule_rendering,
)

CHANGE_CERTIFICATE = "certificates.change_certificate"
VIEW_CERTIFICATE = "certificates.view_certificate"
CHANGE_TEMPLATE = "certificates.change_certificatetemplate"


def can_revoke(certificate: Certificate) -> bool:
    return certificate.revoked_at is None and certificate.withdrawn_at is None


def can_reissue(certificate: Certificate) -> bool:
    return certificate.replaced_at is None and certificate.learner_id is not None


def can_make_pdf_again(certificate: Certificate) -> bool:
    """Only a current certificate's PDF is made again; a replaced one is history,
    and a withdrawn one's holder asked for it to be gone."""
    return certificate.is_current and certificate.offers_pdf


def inspect_url(certificate: Certificate) -> str:
    return reverse(
        "wagtailsnippets_certificates_certificate:inspect", args=[certificate.pk]
    )


def certificates_index_url() -> str:
    return reverse("wagtailsnippets_certificates_certificate:list")


def templates_index_url() -> str:
    return reverse("wagtailsnippets_certificates_certificatetemplate:list")


class CertificateFilterSet(WagtailFilterSet):
    code = django_filters.CharFilter(label=gettext_lazy("Code"), method="filter_code")
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Certificate.Status.choices,
        method="filter_status",
    )
    course = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Course"),
        queryset=lambda request: originals(CoursePage.objects.order_by("title")),
    )
    cohort = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Cohort"),
        field_name="enrolment__cohort",
        queryset=Cohort.objects.order_by("name"),
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_code(self, queryset, name, value):
        try:
            return queryset.filter(code=normalize_code(value))
        except InvalidCode:
            return queryset.none()

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        current = Q(
            revoked_at__isnull=True, replaced_at__isnull=True, withdrawn_at__isnull=True
        )
        conditions = {
            Certificate.Status.REVOKED: Q(revoked_at__isnull=False),
            Certificate.Status.WITHDRAWN: Q(
                revoked_at__isnull=True, withdrawn_at__isnull=False
            ),
            Certificate.Status.REPLACED: Q(
                revoked_at__isnull=True,
                withdrawn_at__isnull=True,
                replaced_at__isnull=False,
            ),
            Certificate.Status.EXPIRED: current & Q(expires_at__lte=now),
            Certificate.Status.VALID: current
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)),
        }
        return queryset.filter(conditions[value])


def zip_response(certificates) -> HttpResponse:
    """Answer with the certificates' PDFs as one ZIP download, never cached."""
    response = HttpResponse(
        build_certificates_zip(certificates=certificates),
        content_type="application/zip",
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="certificates-{day}.zip"'
    add_never_cache_headers(response)
    return response


class PermissionRequiredMixin:
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CertificateActionMixin(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    permission = CHANGE_CERTIFICATE
    header_icon = "doc-full-inverse"

    @cached_property
    def certificate(self) -> Certificate:
        return get_object_or_404(Certificate, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.certificate.display_code

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": certificates_index_url(), "label": _("Certificates")},
            {"url": inspect_url(self.certificate), "label": str(self.certificate)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            certificate=self.certificate, back_url=inspect_url(self.certificate)
        )
        return context


class RevokeView(CertificateActionMixin, FormView):
    """Revoke with a private note and an optional public reason."""

    template_name = "certificates/admin/revoke.html"
    form_class = RevokeForm
    page_title = gettext_lazy("Revoke certificate")

    def form_valid(self, form):
        try:
            revoke_certificate(
                certificate=self.certificate,
                by=self.request.user,
                note=form.cleaned_data["note"],
                public_reason=form.cleaned_data["public_reason"],
            )
        except Refusal as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Certificate %(code)s is revoked. Anyone who checks it will see that.")
            % {"code": self.certificate.display_code},
        )
        return redirect(inspect_url(self.certificate))


class ReissueView(CertificateActionMixin, TemplateView):
    """Replace a certificate with a new one: a new code, the course as it is now."""

    template_name = "certificates/admin/reissue.html"
    page_title = gettext_lazy("Reissue certificate")

    def post(self, request, *args, **kwargs):
        try:
            successor = reissue_certificate(
                certificate=self.certificate, by=request.user
            )
        except Refusal as error:
            messages.error(request, error.message)
            return redirect(inspect_url(self.certificate))
        messages.success(
            request,
            _("Reissued as %(new)s. %(old)s now says “replaced”.")
            % {"new": successor.display_code, "old": self.certificate.display_code},
        )
        return redirect(inspect_url(successor))


class MakePdfAgainView(CertificateActionMixin, TemplateView):
    """Make one certificate's PDF again, in the background, from its template now."""

    template_name = "certificates/admin/make_pdf_again.html"
    page_title = gettext_lazy("Make the PDF again")

    def post(self, request, *args, **kwargs):
        if not can_make_pdf_again(self.certificate):
            messages.error(
                request,
                _("This certificate was replaced. Make the newest one's PDF instead."),
            )
            return redirect(inspect_url(self.certificate))
        schedule_rendering([self.certificate])
        messages.success(
            request,
            _("The PDF of %(code)s is being made again. Its code does not change.")
            % {"code": self.certificate.display_code},
        )
        return redirect(inspect_url(self.certificate))


class RegenerateView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Render again the PDFs of every current certificate that uses a template."""

    permission = CHANGE_TEMPLATE
    template_name = "certificates/admin/regenerate.html"
    page_title = gettext_lazy("Regenerate certificate PDFs")
    header_icon = "doc-full-inverse"

    @cached_property
    def template(self) -> CertificateTemplate:
        return get_object_or_404(CertificateTemplate, pk=self.kwargs["pk"])

    def certificates(self):
        return Certificate.objects.filter(
            template=self.template, replaced_at__isnull=True
        )

    def get_page_subtitle(self):
        return self.template.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            template=self.template,
            count=self.certificates().count(),
            back_url=templates_index_url(),
        )
        return context

    def post(self, request, *args, **kwargs):
        count = schedule_rendering(self.certificates())
        messages.success(
            request,
            _("%(count)d certificate PDFs will be made again with “%(name)s”.")
            % {"count": count, "name": self.template.name},
        )
        return redirect(templates_index_url())


class ZipView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Download the current certificates of a course or a cohort as one ZIP."""

    permission = VIEW_CERTIFICATE
    template_name = "certificates/admin/zip.html"
    form_class = CertificateZipForm
    page_title = gettext_lazy("Download certificates as a ZIP")
    header_icon = "download"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "course" in self.request.GET or "cohort" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = certificates_index_url()
        return context

    def form_valid(self, form):
        certificates = [
            c
            for c in certificates_for_download(
                course=form.cleaned_data.get("course"),
                cohort=form.cleaned_data.get("cohort"),
            )
            if c.revoked_at is None
        ]
        if not certificates:
            form.add_error(None, _("There are no current certificates to download."))
            return self.form_invalid(form)
        return zip_response(certificates)


def template_sample(request, pk: int):
    """A sample certificate PDF in this template, to check before using it."""
    if not request.user.has_perm(CHANGE_TEMPLATE):
        raise PermissionDenied
    return sample_pdf_response(get_object_or_404(CertificateTemplate, pk=pk))
