from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """Extra sign-up fields and help text; allauth supplies username and password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "username" in self.fields:
            self.fields["username"].help_text = _(
                "Choose any name you like. It does not need to be your real name, "
                "and nobody else on the course sees it."
            )
        if "email" in self.fields:
            self.fields["email"].required = False
            self.fields["email"].label = _("E-mail (optional)")
            self.fields["email"].help_text = _(
                "Only used if you forget your password. You can leave it empty."
            )

    def signup(self, request, user):
        """Nothing more to save: the account holds only what allauth collects."""
