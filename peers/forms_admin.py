"""What trainers fill in on a circle's admin pages.

The forms only read what was typed; the rules (a note to hide, two different
members, an open circle) live in peers/services.py, whose refusals the views
show beside the field.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .models import Circle, Member

NOT_IN_THIS_CIRCLE = _("Please choose someone from this circle's list.")


class HideForm(forms.Form):
    # Required by the service, which says why when it is empty.
    note = forms.CharField(
        label=_("A private note to the author (needed)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "aria-required": "true"}),
        help_text=_(
            "Only the author sees this, beside what they wrote. Say kindly why "
            "it is hidden and what they could change."
        ),
    )


class RemoveMemberForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the log (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the moderation log for trainers. The member does not see it."
        ),
    )


class CircleSettingsForm(forms.Form):
    moderation = forms.ChoiceField(
        label=_("When trainers look at posts and replies"),
        choices=Circle.Moderation.choices,
        widget=forms.RadioSelect,
    )
    learners_can_pair = forms.BooleanField(
        label=capfirst(Circle._meta.get_field("learners_can_pair").verbose_name),
        help_text=Circle._meta.get_field("learners_can_pair").help_text,
        required=False,
    )
    allowed_hosts = forms.CharField(
        label=capfirst(Circle._meta.get_field("allowed_hosts").verbose_name),
        help_text=Circle._meta.get_field("allowed_hosts").help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def for_circle(cls, circle: Circle, data=None):
        return cls(
            data,
            initial={
                "moderation": circle.moderation,
                "learners_can_pair": circle.learners_can_pair,
                "allowed_hosts": circle.allowed_hosts,
            },
        )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.circle_name


class ScenarioPageField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Page) -> str:
        return obj.title


class PairForm(forms.Form):
    first = MemberChoiceField(
        label=_("First person"),
        queryset=Member.objects.none(),
        empty_label=_("Choose a member"),
        error_messages={"invalid_choice": NOT_IN_THIS_CIRCLE},
    )
    second = MemberChoiceField(
        label=_("Second person"),
        queryset=Member.objects.none(),
        empty_label=_("Choose a member"),
        error_messages={"invalid_choice": NOT_IN_THIS_CIRCLE},
    )
    scenario = forms.CharField(
        label=_("What they will practise"),
        required=False,
        max_length=300,
        help_text=_(
            "One line both of them will see, such as “Practise the privacy script "
            "from module 2”."
        ),
    )
    scenario_page = ScenarioPageField(
        label=_("From this lesson or quiz (optional)"),
        queryset=Page.objects.none(),
        required=False,
        empty_label=_("None"),
        error_messages={
            "invalid_choice": _("Please choose a lesson or quiz of this course.")
        },
        help_text=_("Both of them get a link to it beside the scenario."),
    )

    def __init__(self, *args, members, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = members
        self.fields["second"].queryset = members
        self.fields["scenario_page"].queryset = steps
