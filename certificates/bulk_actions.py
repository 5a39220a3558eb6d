"""Actions on many certificates at once, from the admin list: ZIP, revoke, new PDFs.

There is no bulk delete: certificates are never deleted.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_list_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from circles.refusals import Refusal

from . import admin_views
from .forms import RevokeForm
from .models import Certificate
from .services import revoke_certificate, schedule_rendering


class CertificateBulkAction(SnippetBulkAction):
    """A bulk action on certificates, for users holding `permission` only.

    The confirmation page lists the certificates it acts on and, apart, the
    ones it leaves as they are (see `acts_on`), with the reason.
    """

    models = [Certificate]
    permission = admin_views.CHANGE_CERTIFICATE
    template_name = "certificates/admin/bulk_action.html"
    heading = ""
    intro = ""
    skipped_heading = ""
    submit_label = ""
    classes = set()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        return get_list_or_404(
            model.objects.select_related("learner").order_by("-issued_at", "-pk"),
            pk__in=object_ids,
        )

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all in listing" acts on what the list shows, filters included.
        filters = admin_views.CertificateFilterSet(
            self.request.GET, queryset=Certificate.objects.all()
        )
        return filters.qs.values_list("pk", flat=True)

    def acts_on(self, certificate) -> bool:
        return True

    def object_context(self, certificate):
        return {
            "item": certificate,
            "url": admin_views.inspect_url(certificate),
            "status": certificate.get_status_display(),
            "acts": self.acts_on(certificate),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.heading,
            intro=self.intro,
            skipped_heading=self.skipped_heading,
            submit_label=self.submit_label,
            submit_class=" ".join(self.classes),
            acting=[item for item in context["items"] if item["acts"]],
            skipped=[item for item in context["items"] if not item["acts"]],
        )
        return context


class DownloadPdfsBulkAction(CertificateBulkAction):
    display_name = _("Download PDFs")
    action_type = "download"
    aria_label = _("Download the PDFs of the selected certificates as one ZIP")
    action_priority = 10
    permission = admin_views.VIEW_CERTIFICATE
    heading = _("Download certificate PDFs")
    intro = _(
        "The ZIP holds the PDF of each of these certificates, named by its code. "
        "Nothing in it names the learner."
    )
    submit_label = _("Download ZIP")

    def form_valid(self, form):
        certificates, _without_access = self.get_actionable_objects()
        return admin_views.zip_response(certificates)


class RevokeBulkAction(CertificateBulkAction):
    display_name = _("Revoke")
    action_type = "revoke"
    aria_label = _("Revoke the selected certificates")
    action_priority = 20
    form_class = RevokeForm
    heading = _("Revoke certificates")
    intro = _(
        "These certificates will say “revoked” to anyone who checks them. They "
        "are kept, never deleted. The note and the reason are the same for all."
    )
    skipped_heading = _("Already revoked, so left as they are:")
    submit_label = _("Revoke these certificates")
    classes = {"serious"}

    def acts_on(self, certificate) -> bool:
        return admin_views.can_revoke(certificate)

    def get_execution_context(self):
        return {
            "by": self.request.user,
            "note": self.cleaned_form.cleaned_data["note"],
            "public_reason": self.cleaned_form.cleaned_data["public_reason"],
        }

    @classmethod
    def execute_action(cls, certificates, by=None, note="", public_reason="", **kw):
        revoked = 0
        for certificate in certificates:
            if not admin_views.can_revoke(certificate):
                continue
            try:
                revoke_certificate(
                    certificate=certificate,
                    by=by,
                    note=note,
                    public_reason=public_reason,
                )
            except Refusal:
                continue  # revoked meanwhile by someone else: it is skipped too
            revoked += 1
        return revoked, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = ngettext(
            "%(count)d certificate is revoked. Anyone who checks it will see that.",
            "%(count)d certificates are revoked. Anyone who checks them will see that.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
        skipped = len(self.actionable_objects) - num_parent_objects
        if skipped:
            message += " " + ngettext(
                "%(count)d was already revoked and is left as it was.",
                "%(count)d were already revoked and are left as they were.",
                skipped,
            ) % {"count": skipped}
        return message


class MakePdfsAgainBulkAction(CertificateBulkAction):
    display_name = _("Make PDFs again")
    action_type = "make_pdfs_again"
    aria_label = _("Make the PDFs of the selected certificates again")
    action_priority = 30
    heading = _("Make certificate PDFs again")
    intro = _(
        "Their PDFs will be made again with their templates as they are now. "
        "This happens in the background. Codes and what the certificates say do "
        "not change."
    )
    skipped_heading = _("Replaced by newer certificates, so left as they are:")
    submit_label = _("Make the PDFs again")

    def acts_on(self, certificate) -> bool:
        return admin_views.can_make_pdf_again(certificate)

    @classmethod
    def execute_action(cls, certificates, **kwargs):
        current = [c for c in certificates if admin_views.can_make_pdf_again(c)]
        return schedule_rendering(current), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = ngettext(
            "%(count)d certificate PDF is being made again.",
            "%(count)d certificate PDFs are being made again.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
        skipped = len(self.actionable_objects) - num_parent_objects
        if skipped:
            message += " " + ngettext(
                "%(count)d was replaced by a newer certificate and is left as it was.",
                "%(count)d were replaced by newer certificates and are left as they "
                "were.",
                skipped,
            ) % {"count": skipped}
        return message


class NoBulkDelete(SnippetBulkAction):
    """Take Wagtail's "delete" bulk action slot for certificates, and refuse it.

    Certificates are never deleted, by anyone. Registered after Wagtail's own
    delete action, this replaces it for certificates only (templates keep
    theirs); the certificate list does not offer it.
    """

    models = [Certificate]
    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Certificates are never deleted")

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied
