from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from circles.refusals import Refusal
from courses.locales import originals
from courses.models import Cohort, CoursePage

from .codes import InvalidCode, normalize_code
from .services import PRINTED_NAME_MAX_LENGTH, clean_printed_name


class PrintedNameForm(forms.Form):
    """The name to print on certificates; never pre-filled."""

    printed_name = forms.CharField(
        label=_("Name to print on your certificate"),
        max_length=PRINTED_NAME_MAX_LENGTH,
        help_text=_(
            "It can be your full name, a short form or another name you use. It "
            "does not have to match your username."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "dir": "auto"}
        ),
    )

    def clean_printed_name(self):
        try:
            return clean_printed_name(self.cleaned_data["printed_name"])
        except Refusal as error:
            raise forms.ValidationError(error.message) from error


class CodeForm(forms.Form):
    """A certificate code as someone typed it; cleaned to its canonical form."""

    code = forms.CharField(
        label=_("Certificate code"),
        max_length=40,
        help_text=_(
            "12 letters and numbers, like ABCD-EFGH-JKMN. Dashes are optional."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
            }
        ),
    )

    def clean_code(self):
        try:
            return normalize_code(self.cleaned_data["code"])
        except InvalidCode as error:
            raise forms.ValidationError(error.message) from error


class UploadForm(forms.Form):
    """A certificate PDF to compare, byte for byte, with the files we issued."""

    file = forms.FileField(
        label=_("Certificate PDF"),
        help_text=_("The PDF file the holder gave you, as it is."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CERTIFICATE_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("That file is too big. Certificates are smaller than %(size)s.")
                % {"size": filesizeformat(limit)}
            )
        return upload


class RevokeForm(forms.Form):
    note = forms.CharField(
        label=_("Private note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why it is revoked, for trainers. Never shown to anyone else."),
    )
    public_reason = forms.CharField(
        label=_("Public reason (optional)"),
        required=False,
        max_length=200,
        help_text=_(
            "Shown to anyone who checks the code, for example “Issued in error”. "
            "Say nothing about the learner's life or history."
        ),
    )


class CertificateZipForm(forms.Form):
    """Which certificates a trainer downloads together: a course's or a cohort's."""

    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("Any course"),
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("Any cohort"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = originals(CoursePage.objects.order_by("title"))
        self.fields["cohort"].queryset = Cohort.objects.select_related(
            "course"
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("course") and not cleaned.get("cohort"):
            raise forms.ValidationError(_("Choose a course or a cohort."))
        return cleaned
