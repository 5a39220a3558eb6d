from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .cohorts import parse_usernames, usernames_from_csv
from .join_codes import InvalidJoinCode, check_join_code, format_join_code
from .locales import originals
from .models import CohortAnnouncement, CoursePage

# Room for a code typed with spaces or dashes between its 20 characters.
JOIN_CODE_INPUT_LENGTH = 40


class EnrolForm(forms.Form):
    join_code = forms.CharField(
        label=_("Join code"),
        required=False,
        max_length=JOIN_CODE_INPUT_LENGTH,
        help_text=_("Your trainer gives you this code."),
    )


class CohortForm(WagtailAdminModelForm):
    """A cohort as a trainer edits it: join code checked, dates within the course."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = originals(CoursePage.objects.order_by("path"))
        join_code = self.fields["join_code"]
        join_code.max_length = JOIN_CODE_INPUT_LENGTH
        join_code.widget.attrs.update(
            maxlength=JOIN_CODE_INPUT_LENGTH, autocomplete="off", spellcheck="false"
        )
        if self.instance.join_code:
            self.initial["join_code"] = format_join_code(self.instance.join_code)

    def clean_join_code(self):
        typed = self.cleaned_data["join_code"]
        if not typed.strip():
            return ""  # the cohort makes a strong one when it is saved
        try:
            return check_join_code(typed)
        except InvalidJoinCode as invalid:
            raise forms.ValidationError(invalid.message) from None

    def clean(self):
        cleaned = super().clean()
        course = cleaned.get("course")
        if (
            self.instance.pk
            and course is not None
            and course.pk != self.instance.course_id
            and self.instance.enrolments.exists()
        ):
            self.add_error(
                "course",
                _(
                    "This cohort already has learners in its course, so the "
                    "course cannot change. Make a new cohort instead."
                ),
            )
        return cleaned

    def is_valid(self):
        valid = super().is_valid()
        course = getattr(self, "cleaned_data", {}).get("course")
        formset = self.formsets.get("suggested_dates")
        if course is None or formset is None:
            return valid
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            module = data.get("module")
            if data.get("DELETE") or module is None:
                continue
            if not module.is_descendant_of(course):
                form.add_error(
                    "module",
                    _("Choose a module of %(course)s.") % {"course": course.title},
                )
                valid = False
        return valid


class AddLearnersForm(forms.Form):
    """Usernames pasted, or a CSV file of them, to add to a cohort."""

    MAX_USERNAMES = 500
    MAX_FILE_BYTES = 1024 * 1024

    usernames = forms.CharField(
        label=_("Usernames"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "One or many, separated by commas, spaces or new lines. Case does "
            "not matter."
        ),
    )
    csv_file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "A column headed “username”, or just the usernames. Saved from a "
            "spreadsheet as CSV (UTF-8)."
        ),
    )

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if not upload:
            return []
        if upload.size > self.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("This file is larger than %(size)s. Please split it.")
                % {"size": filesizeformat(self.MAX_FILE_BYTES)}
            )
        try:
            return usernames_from_csv(upload.read())
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(
                _(
                    "This file cannot be read as a list of usernames. Save it "
                    "from your spreadsheet as CSV (UTF-8) and try again."
                )
            ) from None

    def clean(self):
        cleaned = super().clean()
        names = parse_usernames(cleaned.get("usernames", ""))
        names += cleaned.get("csv_file") or []
        names = parse_usernames("\n".join(names))
        if not names and not self.errors:
            raise forms.ValidationError(
                _("Paste at least one username, or choose a CSV file of them.")
            )
        if len(names) > self.MAX_USERNAMES:
            raise forms.ValidationError(
                _("Please add at most %(max)d learners at a time; this has %(count)d.")
                % {"max": self.MAX_USERNAMES, "count": len(names)}
            )
        cleaned["names"] = names
        return cleaned


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = CohortAnnouncement
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "text": _(
                "A short, plain message, up to 1,000 characters. Learners in "
                "the cohort see it on My learning until they dismiss it. Those "
                "who asked for e-mail get a note with a link, never the message."
            )
        }
