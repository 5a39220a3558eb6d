"""The admin's Certificates menu (certificates, templates) and what a course shows.

Certificates register their panel in the course editor and their panel on the
course page under the hooks courses offers (certificates/course_parts.py).
"""

from django.contrib.admin.utils import quote
from django.template.defaultfilters import floatformat
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, DateColumn, TitleColumn
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.widgets.button import Button, HeaderButton, ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from circles.admin_policies import ReadOnlyPermissionPolicy
from courses.models import COURSE_PANELS_HOOK
from courses.templatetags.courses_tags import COURSE_HTML_HOOK

from . import admin_views, bulk_actions
from .course_parts import certificate_panel_html, certificate_policy_panel
from .models import Certificate, CertificateTemplate
from .selectors import StatusListUsage, status_list_usage


class CertificatePermissionPolicy(ReadOnlyPermissionPolicy):
    """Certificates are issued by the site and never added, edited or deleted by hand.

    Trainers change them only through the revoke, reissue and PDF actions,
    which check `certificates.change_certificate` themselves.
    """


register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))
hooks.register(COURSE_PANELS_HOOK, certificate_policy_panel)
hooks.register(COURSE_HTML_HOOK, certificate_panel_html)


def learner_name(certificate: Certificate) -> str:
    learner = certificate.learner
    return learner.get_username() if learner else _("(account erased)")


class CodeColumn(ButtonsColumnMixin, TitleColumn):
    """The certificate's code, linked to its page, with the row's actions menu."""

    def __init__(self, *args, get_buttons, **kwargs):
        super().__init__(*args, **kwargs)
        self._get_buttons = get_buttons

    def get_buttons(self, instance, parent_context):
        return self._get_buttons(instance)


class CertificateIndexView(IndexView):
    @cached_property
    def columns(self):
        checkboxes, *columns = super().columns
        code = CodeColumn(
            "code",
            label=_("Code"),
            accessor="display_code",
            sort_key="code",
            get_url=self.get_inspect_url,
            # The bulk-action checkboxes are described by this element's text.
            get_title_id=lambda certificate: f"snippet_{quote(certificate.pk)}_title",
            get_buttons=self.get_list_buttons,
        )
        return [checkboxes, code, *columns]

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Download as ZIP"),
                url=reverse("certificates_admin_zip"),
                icon_name="download",
            )
        ]

    def bulk_action_buttons(self):
        """The certificate bulk actions this user may use; never a delete."""
        actions = sorted(
            (
                action
                for action in bulk_action_registry.get_bulk_actions_for_model(
                    "certificates", "certificate"
                )
                if issubclass(action, bulk_actions.CertificateBulkAction)
                and self.request.user.has_perm(action.permission)
            ),
            key=lambda action: action.action_priority,
        )
        return [
            ListingButton(
                action.display_name,
                reverse(
                    "wagtail_bulk_action",
                    args=["certificates", "certificate", action.action_type],
                ),
                attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
                priority=action.action_priority,
                classname=" ".join(action.classes | {"bulk-action-btn"}),
            )
            for action in actions
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bulk_action_buttons"] = self.bulk_action_buttons()
        return context


class CertificateInspectView(InspectView):
    """A certificate in plain words. The printed name is deliberately not shown."""

    page_title = _("Certificate")

    def get_fields_context(self):
        return [
            {"label": label, "value": value, "component": None}
            for label, value in self.facts()
        ]

    def facts(self):
        certificate = self.object
        yield _("Code"), certificate.display_code
        yield _("Status"), certificate.get_status_display()
        yield _("Learner"), learner_name(certificate)
        yield _("Course"), certificate.course_title
        yield _("Hours"), floatformat(certificate.course_hours, -1)
        yield _("Finished on"), _date(certificate.completed_at)
        yield _("Issued on"), _date(certificate.issued_at)
        yield (
            _("Expires"),
            _date(certificate.expires_at)
            if certificate.expires_at
            else _("Does not expire"),
        )
        yield (
            _("Template"),
            certificate.template.name if certificate.template else _("Standard"),
        )
        if certificate.revoked_at:
            yield _("Revoked on"), _date(certificate.revoked_at)
            yield (
                _("Revoked by"),
                certificate.revoked_by.get_username()
                if certificate.revoked_by
                else _("Not known"),
            )
            yield (
                _("Public reason"),
                certificate.revocation_reason or _("Not given"),
            )
            yield _("Private note"), certificate.revocation_note
        if certificate.replaced_at:
            yield _("Replaced on"), _date(certificate.replaced_at)
            yield _("Why"), certificate.get_replacement_reason_display()
            if certificate.replaced_by:
                yield _("Replaced by"), _certificate_link(certificate.replaced_by)
        predecessors = certificate.replaces.order_by("-replaced_at")
        if predecessors:
            yield (
                _("Replaces"),
                format_html_join(
                    ", ", "{}", ((_certificate_link(c),) for c in predecessors)
                ),
            )
        yield (
            _("PDF"),
            _("Ready") if certificate.pdf_rendered_at else _("Being prepared"),
        )
        yield _("Times checked"), certificate.verifications.count()

    @cached_property
    def header_more_buttons(self):
        return list(certificate_buttons(self.object, self.request.user))


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _certificate_link(certificate: Certificate) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        admin_views.inspect_url(certificate),
        certificate.display_code,
    )


def certificate_buttons(certificate, user):
    """The actions that make sense for this certificate, as this user may use them."""
    if user.has_perm(admin_views.VIEW_CERTIFICATE) and certificate.offers_pdf:
        yield Button(
            _("Download PDF"),
            url=reverse("certificates:download", args=[certificate.display_code]),
            icon_name="download",
            priority=10,
        )
    if not user.has_perm(admin_views.CHANGE_CERTIFICATE):
        return
    if admin_views.can_revoke(certificate):
        yield Button(
            _("Revoke"),
            url=reverse("certificates_admin_revoke", args=[certificate.pk]),
            icon_name="cross",
            priority=20,
        )
    if admin_views.can_reissue(certificate):
        yield Button(
            _("Reissue"),
            url=reverse("certificates_admin_reissue", args=[certificate.pk]),
            icon_name="rotate",
            priority=30,
        )
    if admin_views.can_make_pdf_again(certificate):
        yield Button(
            _("Make PDF again"),
            url=reverse("certificates_admin_make_pdf_again", args=[certificate.pk]),
            icon_name="doc-full",
            priority=40,
        )


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    menu_label = _("Certificates")
    index_view_class = CertificateIndexView
    index_template_name = "certificates/admin/certificate_index.html"
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = admin_views.CertificateFilterSet
    list_per_page = 50
    # The code column, first, comes from CertificateIndexView. The printed
    # name is deliberately absent: it is shown only on the certificate and to
    # people the holder gives the code to.
    list_display = [
        Column("course_title", label=_("Course")),
        Column("learner", label=_("Learner"), accessor=learner_name),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("issued_at", label=_("Issued")),
    ]

    def get_queryset(self, request):
        return Certificate.objects.select_related("learner").order_by(
            "-issued_at", "-pk"
        )


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Templates")
    list_display = ["name", "page_size", "orientation", DateColumn("updated_at")]
    copy_view_enabled = True


class CertificatesGroup(SnippetViewSetGroup):
    items = (CertificateViewSet, CertificateTemplateViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Certificates")
    menu_name = "certificates"
    menu_order = 250


register_snippet(CertificatesGroup)

hooks.register("register_bulk_action", bulk_actions.DownloadPdfsBulkAction)
hooks.register("register_bulk_action", bulk_actions.RevokeBulkAction)
hooks.register("register_bulk_action", bulk_actions.MakePdfsAgainBulkAction)
# After Wagtail's own (order 0), so it takes the "delete" slot for certificates.
hooks.register("register_bulk_action", bulk_actions.NoBulkDelete, order=1)


@hooks.register("register_snippet_listing_buttons")
def certificate_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Certificate):
        yield from certificate_buttons(snippet, user)
    elif isinstance(snippet, CertificateTemplate) and user.has_perm(
        admin_views.CHANGE_TEMPLATE
    ):
        yield Button(
            _("Sample PDF"),
            url=reverse("certificates_admin_template_sample", args=[snippet.pk]),
            icon_name="view",
            priority=10,
            attrs={"target": "_blank", "rel": "noopener"},
        )
        yield Button(
            _("Make PDFs again"),
            url=reverse("certificates_admin_regenerate", args=[snippet.pk]),
            icon_name="rotate",
            priority=20,
        )


@hooks.register("register_admin_urls")
def certificate_admin_urls():
    return [
        path(
            "certificates/<int:pk>/revoke/",
            admin_views.RevokeView.as_view(),
            name="certificates_admin_revoke",
        ),
        path(
            "certificates/<int:pk>/reissue/",
            admin_views.ReissueView.as_view(),
            name="certificates_admin_reissue",
        ),
        path(
            "certificates/<int:pk>/make-pdf-again/",
            admin_views.MakePdfAgainView.as_view(),
            name="certificates_admin_make_pdf_again",
        ),
        path(
            "certificates/zip/",
            admin_views.ZipView.as_view(),
            name="certificates_admin_zip",
        ),
        path(
            "certificates/templates/<int:pk>/regenerate/",
            admin_views.RegenerateView.as_view(),
            name="certificates_admin_regenerate",
        ),
        path(
            "certificates/templates/<int:pk>/sample.pdf",
            admin_views.template_sample,
            name="certificates_admin_template_sample",
        ),
    ]


class StatusListPanel(Component):
    """A warning on the admin dashboard once the revocation list is 80% used."""

    name = "certificate-status-list"
    order = 10

    def __init__(self, usage: StatusListUsage):
        self.usage = usage

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="w-panel"><p class="help-block help-warning">{}</p>'
            "</section>",
            _(
                "The certificate revocation list is %(percent)s%% used "
                "(%(used)s of %(capacity)s slots). When it is full, no more "
                "certificates can be issued: ask whoever runs this site to plan "
                "a second list now."
            )
            % {
                "percent": floatformat(self.usage.share_of_capacity * 100, 0),
                "used": formats.number_format(self.usage.used, force_grouping=True),
                "capacity": formats.number_format(
                    self.usage.capacity, force_grouping=True
                ),
            },
        )


@hooks.register("construct_homepage_panels")
def add_status_list_warning(request, panels):
    if not request.user.has_perm("certificates.change_certificate"):
        return
    usage = status_list_usage()
    if usage.needs_attention:
        panels.append(StatusListPanel(usage))
