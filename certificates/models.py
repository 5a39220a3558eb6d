"""Certificates, the templates they are printed with, and the record of checks."""

import os
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Locale, PreviewableMixin, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .codes import format_code
from .status_list import MAX_SIZE, MIN_SIZE

#: Every certificate gets a random slot in the one revocation list, /status/1,
#: which starts at this size and doubles as it fills (status_list.list_size).
STATUS_LIST_SIZE = MIN_SIZE
PLACEHOLDERS = ("name", "course", "hours", "date", "issuer")
_BRACED = re.compile(r"\{([^{}]*)\}")

hex_colour = RegexValidator(
    r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$",
    _("Write a colour as # and six hexadecimal digits, like #1d5c63."),
)


class PrivateStorage(FileSystemStorage):
    """Certificate PDFs on disk outside MEDIA_ROOT, with no URL: views serve them."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Certificate PDFs have no public URL; a view serves them.")


def private_storage():
    """Return where private files live: a private bucket if one is named, or disk."""
    if settings.S3_PRIVATE_BUCKET:
        from .storage import PrivateS3Storage

        return PrivateS3Storage()
    return PrivateStorage()


def certificate_file_path(instance, filename: str) -> str:
    """Return a random storage name: nothing in it names the holder or the code."""
    return f"certificates/{secrets.token_hex(16)}.pdf"


class CertificateTemplate(TranslatableMixin, PreviewableMixin, models.Model):
    """How a course's certificates look: wording, images, colours and paper.

    Trainers translate its wording with wagtail-localize like a page; a
    certificate is drawn with the translation in its own language, if any
    (certificates/rendering.py). Courses choose the original.
    """

    class PageSize(models.TextChoices):
        A4 = "A4", _("A4")
        LETTER = "Letter", _("US Letter")

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Landscape (wide)")
        PORTRAIT = "portrait", _("Portrait (tall)")

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_(
            "For trainers only, to choose it on a course. Learners never see it."
        ),
    )
    title_text = models.CharField(
        _("title"),
        max_length=120,
        blank=True,
        help_text=_(
            "The heading of the certificate. Leave empty for “Certificate of "
            "completion” in the learner's language."
        ),
    )
    body_text = models.TextField(
        _("wording"),
        blank=True,
        help_text=_(
            "The sentence under the name. You can use {name}, {course}, {hours}, "
            "{date} and {issuer}. Leave empty for the standard wording in the "
            "learner's language."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A scan of the signature, on a white or clear background."),
    )
    signatory_name = models.CharField(
        _("signed by"),
        max_length=100,
        blank=True,
        help_text=_("For example: Jo Okafor"),
    )
    signatory_title = models.CharField(
        _("their role"),
        max_length=100,
        blank=True,
        help_text=_("For example: Lead trainer"),
    )
    primary_color = models.CharField(
        _("main colour"), max_length=7, default="#1d5c63", validators=[hex_colour]
    )
    accent_color = models.CharField(
        _("accent colour"), max_length=7, default="#b07d00", validators=[hex_colour]
    )
    page_size = models.CharField(
        _("paper size"), max_length=10, choices=PageSize.choices, default=PageSize.A4
    )
    orientation = models.CharField(
        _("orientation"),
        max_length=10,
        choices=Orientation.choices,
        default=Orientation.LANDSCAPE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    #: Only the words learners read are translated; the look stays one.
    translatable_fields = [
        TranslatableField("title_text"),
        TranslatableField("body_text"),
        TranslatableField("signatory_title"),
        SynchronizedField("name"),
        SynchronizedField("signatory_name"),
        SynchronizedField("logo"),
        SynchronizedField("signature_image"),
        SynchronizedField("primary_color"),
        SynchronizedField("accent_color"),
        SynchronizedField("page_size"),
        SynchronizedField("orientation"),
    ]

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("title_text"), FieldPanel("body_text")], heading=_("Wording")
        ),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_title"),
                FieldPanel("signature_image"),
            ],
            heading=_("Signature"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldRowPanel(
                    [FieldPanel("primary_color"), FieldPanel("accent_color")]
                ),
                FieldRowPanel([FieldPanel("page_size"), FieldPanel("orientation")]),
            ],
            heading=_("Look"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "locale"], name="one_template_name_per_language"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def signatory_line(self) -> str:
        return ", ".join(p for p in (self.signatory_name, self.signatory_title) if p)

    def clean(self):
        super().clean()
        unknown = sorted(
            {p for p in _BRACED.findall(self.body_text) if p not in PLACEHOLDERS}
        )
        if unknown:
            raise ValidationError(
                {
                    "body_text": _(
                        "Only these placeholders can be filled in: %(allowed)s. "
                        "Please remove or correct: %(unknown)s."
                    )
                    % {
                        "allowed": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
                        "unknown": ", ".join(f"{{{p}}}" for p in unknown),
                    }
                }
            )
        # The form has no locale field, so Django would not check this
        # constraint; a new template joins the default language.
        locale_id = self.locale_id or Locale.get_default().pk
        others = CertificateTemplate.objects.filter(locale_id=locale_id).exclude(
            pk=self.pk
        )
        if others.filter(name=self.name).exists():
            raise ValidationError(
                {
                    "name": _(
                        "Another template already has this name. Please choose another."
                    )
                }
            )

    # A preview is a sample certificate, so a trainer sees the real PDF first.
    preview_modes = [("", _("Sample certificate (PDF)"))]

    def serve_preview(self, request, mode_name):
        from .rendering import sample_pdf_response

        return sample_pdf_response(self)


class CertificatePolicy(models.Model):
    """Whether a course offers certificates, in which look and for how long.

    Edited on the course's page in the admin (certificates/wagtail_hooks.py
    adds the panel). A course without one offers certificates in the standard
    look that never expire: the defaults here.
    """

    course = ParentalKey(
        "courses.CoursePage",
        related_name="certificate_policy",
        on_delete=models.CASCADE,
    )
    offers_certificate = models.BooleanField(_("offers a certificate"), default=True)
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("certificate template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("How this course's certificates look. Empty: the standard look."),
    )
    valid_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Valid for this many months after the learner finishes; "
            "empty = does not expire."
        ),
    )

    panels = [
        FieldPanel("offers_certificate"),
        FieldPanel("template"),
        FieldPanel("valid_months"),
    ]
    #: A translated course keeps its original's settings and template; each
    #: certificate takes the template's words in its own language.
    translatable_fields = [
        SynchronizedField("offers_certificate"),
        SynchronizedField("template"),
        SynchronizedField("valid_months"),
    ]

    class Meta:
        verbose_name = _("certificate settings")
        verbose_name_plural = _("certificate settings")
        constraints = [
            models.UniqueConstraint(
                fields=["course"], name="one_certificate_policy_per_course"
            )
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class Certificate(models.Model):
    """One learner's certificate for one course: a signed snapshot, never deleted.

    Status is derived, not stored: revoked, withdrawn and replaced come from
    their dates, expired from the expiry date, and everything else is valid.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")
        WITHDRAWN = "withdrawn", _("Withdrawn at the holder's request")

    class Replacement(models.TextChoices):
        NAME_CHANGE = "name_change", _("The learner changed the printed name")
        REISSUE = "reissue", _("A trainer reissued it")

    code = models.CharField(_("code"), max_length=12, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )

    # What it certifies, as it was when issued.
    printed_name = models.CharField(_("printed name"), max_length=120)
    course_title = models.CharField(_("course title"), max_length=255)
    course_summary = models.TextField(_("course summary"), blank=True)
    course_url = models.CharField(_("course address"), max_length=500)
    course_hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    completed_at = models.DateTimeField(_("completed"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    issuer_name = models.CharField(_("issuer"), max_length=200)
    signatory_name = models.CharField(_("signed by"), max_length=100, blank=True)
    signatory_title = models.CharField(_("their role"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=15, default="en")

    # The Open Badges 3.0 credential, signed when issued and served unchanged.
    credential = models.JSONField(_("signed credential"), editable=False)
    status_list_index = models.PositiveIntegerField(
        _("revocation list slot"), unique=True, editable=False
    )

    pdf = models.FileField(
        _("PDF"),
        upload_to=certificate_file_path,
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_note = models.TextField(
        _("private note"),
        blank=True,
        help_text=_("For trainers only. Never shown to the learner or to checkers."),
    )
    revocation_reason = models.CharField(
        _("public reason"),
        max_length=200,
        blank=True,
        help_text=_("Shown to anyone who checks the code. Optional."),
    )
    # Set when the holder erased their account and chose to withdraw it: the
    # printed name is gone and its bit in the revocation list is set.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    replacement_reason = models.CharField(
        _("why it was replaced"),
        max_length=20,
        choices=Replacement.choices,
        blank=True,
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # The heart of "exactly once": however often completion is
            # announced, and from however many processes, one current
            # certificate per learner and course.
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=Q(replaced_at__isnull=True),
                name="one_current_certificate_per_course",
            ),
            models.CheckConstraint(
                condition=Q(status_list_index__lt=MAX_SIZE),
                name="status_list_index_inside_list",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(expires_at__gt=F("completed_at")),
                name="certificate_expires_after_completion",
            ),
        ]

    def __str__(self):
        return self.display_code

    @property
    def display_code(self) -> str:
        """The code as people read it: XXXX-XXXX-XXXX."""
        return format_code(self.code)

    def status_at(self, moment) -> "Certificate.Status":
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.withdrawn_at is not None:
            return self.Status.WITHDRAWN
        if self.replaced_at is not None:
            return self.Status.REPLACED
        if self.expires_at is not None and self.expires_at <= moment:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self) -> "Certificate.Status":
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return self.status.label

    @property
    def is_current(self) -> bool:
        """True until it is replaced (a revoked certificate stays current)."""
        return self.replaced_at is None

    @property
    def offers_pdf(self) -> bool:
        """False once the holder withdrew it: its PDF is gone and never made again."""
        return self.withdrawn_at is None

    @property
    def signatory_line(self) -> str:
        return ", ".join(p for p in (self.signatory_name, self.signatory_title) if p)


class CertificateFile(models.Model):
    """A PDF rendered for a certificate, by its SHA-256.

    Kept for every rendering, so a PDF handed out before a template change
    still checks out on the upload form as exactly a file we issued.
    """

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="files"
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("certificate file")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "sha256"], name="one_row_per_rendered_file"
            )
        ]

    def __str__(self):
        return self.sha256


class Verification(models.Model):
    """Someone checked a certificate: when and how, and nothing about who."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Checking page")
        API = "api", _("API")
        UPLOAD = "upload", _("File upload")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="verifications"
    )
    verified_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("check")
        indexes = [
            models.Index(
                fields=["certificate", "-verified_at"], name="verification_by_time"
            )
        ]

    def __str__(self):
        return f"Check {self.pk}"
