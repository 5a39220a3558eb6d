"""Forms of practice pairs: invite someone, give feedback, agree to share it.

They parse what was typed; the rules (who may pair, how long text may be)
are the services', whose refusals the views show on these forms.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class NewPairForm(forms.Form):
    """A member invites another member of the circle to practise a scenario."""

    partner = forms.TypedChoiceField(
        label=_("Who you would like to practise with"),
        coerce=int,
        error_messages={
            "required": _("Please choose who you would like to practise with."),
            "invalid_choice": _("Please choose someone from the list."),
        },
    )
    scenario = forms.CharField(
        label=_("What you will practise"),
        help_text=_("For example: “Practise the privacy script”."),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    scenario_page = forms.TypedChoiceField(
        label=_("A lesson or quiz it comes from (optional)"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Please choose a step from the list.")},
    )

    def __init__(self, *args, partners, outline, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("Choose a person"))] + [
            (member.pk, member.circle_name) for member in partners
        ]
        self.fields["scenario_page"].choices = [("", _("None"))] + [
            (module.title, [(step.id, step.title) for step in module.steps])
            for module in outline.modules
            if module.steps
        ]


class FeedbackForm(forms.Form):
    """Feedback for the other person in a pair: what helped, one thing to try."""

    what_helped = forms.CharField(
        label=_("What helped"),
        help_text=_("Something they said or did that worked well."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    one_thing_to_try = forms.CharField(
        label=_("One thing to try"),
        help_text=_("One small idea for next time. Kind and clear is best."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    # Set once the writer has seen the support panel for what they wrote.
    support_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ShareWithTrainersForm(forms.Form):
    """One member's yes or no to showing the pair's feedback to their trainer."""

    agree = forms.BooleanField(
        label=_("Show our feedback to our trainer"), required=False
    )
