"""The forms a member fills in.

The rules (lengths, names, what may be shared) live in peers.services; these
forms only carry the words there and back, so a refusal is shown beside them
with nothing lost.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CIRCLE_NAME_MAX, Report

CONTENT_NOTE_HELP = _(
    "Optional. If your post touches on something hard, say plainly what it "
    "touches on, without details, for example “money worries” or “a hard time "
    "with family”. Others then choose whether to read it."
)


class CircleNameForm(forms.Form):
    circle_name = forms.CharField(
        label=_("Your circle name"),
        required=False,
        max_length=CIRCLE_NAME_MAX,
        help_text=_(
            "The name others in this circle know you by. Please do not use your "
            "username or your real name. You can change it later."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class MemberSettingsForm(CircleNameForm):
    wants_email = forms.BooleanField(
        label=_("E-mail me a short note when there is something new for me"),
        required=False,
        help_text=_(
            "At most once a day. The e-mail says only “Your Circles update” and "
            "gives a link. It never includes what anyone wrote, any names, or "
            "your course."
        ),
    )


class PostForm(forms.Form):
    text = forms.CharField(
        label=_("What would you like to share?"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    content_note = forms.CharField(
        label=_("Content note (optional)"),
        required=False,
        help_text=CONTENT_NOTE_HELP,
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Be kind: say what you heard, or what helped you."),
    )


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your thoughts"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    content_note = forms.CharField(
        label=_("Content note, if you share it (optional)"),
        required=False,
        help_text=CONTENT_NOTE_HELP,
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What worries you about it?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a reason."),
            "invalid_choice": _("Please choose one of the reasons in the list."),
        },
    )
    details = forms.CharField(
        label=_("Anything else a trainer should know (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
