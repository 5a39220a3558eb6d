"""The admin's Certificates menu: certificates (list, filters, actions), templates."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from courses.models import Cohort, CoursePage

from . import admin_views
from .codes import InvalidCode, normalize_code
from .models import Certificate, CertificateTemplate


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates are issued by the site and never added, edited or deleted by hand.

    Trainers change them only through the revoke and reissue actions, which
    check `certificates.change_certificate` themselves.
    """

    _never = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self._never and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [a for a in actions if a not in self._never]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


class CertificateFilterSet(WagtailFilterSet):
    code = django_filters.CharFilter(label=_("Code"), method="filter_code")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Certificate.Status.choices, method="filter_status"
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=CoursePage.objects.order_by("title")
    )
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"),
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
        current = Q(revoked_at__isnull=True, replaced_at__isnull=True)
        conditions = {
            Certificate.Status.REVOKED: Q(revoked_at__isnull=False),
            Certificate.Status.REPLACED: Q(
                revoked_at__isnull=True, replaced_at__isnull=False
            ),
            Certificate.Status.EXPIRED: current & Q(expires_at__lte=now),
            Certificate.Status.VALID: current
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)),
        }
        return queryset.filter(conditions[value])


class CertificateIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Download as ZIP"),
                url=reverse("certificates_admin_zip"),
                icon_name="download",
            )
        ]


class CertificateInspectView(InspectView):
    def get_code_display_value(self):
        return self.object.display_code

    def get_learner_display_value(self):
        learner = self.object.learner
        return learner.get_username() if learner else _("(account erased)")

    def get_verifications_display_value(self):
        return self.object.verifications.count()

    @cached_property
    def header_more_buttons(self):
        return list(certificate_buttons(self.object, self.request.user, Button))


def certificate_buttons(certificate, user, button_class):
    if user.has_perm(admin_views.VIEW_CERTIFICATE):
        yield button_class(
            _("Download PDF"),
            url=reverse("certificates:download", args=[certificate.display_code]),
            icon_name="download",
            priority=10,
        )
    if user.has_perm(admin_views.CHANGE_CERTIFICATE):
        if certificate.revoked_at is None:
            yield button_class(
                _("Revoke"),
                url=reverse("certificates_admin_revoke", args=[certificate.pk]),
                icon_name="cross",
                priority=20,
            )
        if certificate.replaced_at is None:
            yield button_class(
                _("Reissue"),
                url=reverse("certificates_admin_reissue", args=[certificate.pk]),
                icon_name="rotate",
                priority=30,
            )


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    menu_label = _("Certificates")
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CertificateFilterSet
    list_per_page = 50
    list_display = [
        Column("display_code", label=_("Code"), accessor="display_code"),
        Column("course_title", label=_("Course")),
        Column("learner", label=_("Learner")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("issued_at", label=_("Issued")),
    ]
    # The printed name is deliberately absent: it is shown only on the
    # certificate and to people the holder gives the code to.
    inspect_view_fields = [
        "code",
        "status",
        "learner",
        "course",
        "course_title",
        "course_hours",
        "completed_at",
        "issued_at",
        "expires_at",
        "template",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "revocation_note",
        "replaced_at",
        "replaced_by",
        "replacement_reason",
        "pdf_rendered_at",
        "verifications",
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


@hooks.register("register_snippet_listing_buttons")
def certificate_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Certificate):
        yield from certificate_buttons(snippet, user, Button)
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
