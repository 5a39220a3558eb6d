from django import forms
from django.utils.translation import gettext_lazy as _


class EnrolForm(forms.Form):
    join_code = forms.CharField(
        label=_("Join code"),
        required=False,
        max_length=20,
        help_text=_("Your trainer gives you this code."),
    )
