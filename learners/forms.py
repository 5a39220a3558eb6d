from django import forms
from django.contrib.auth import get_user_model
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


class EmailUpdatesForm(forms.ModelForm):
    """The learner's choice to be e-mailed when their trainer posts news."""

    class Meta:
        model = get_user_model()
        fields = ["wants_email_updates"]


class EraseForm(forms.Form):
    """Erase my account: a choice for each certificate, then my password."""

    KEEP = "keep"
    WITHDRAW = "withdraw"

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("So that nobody else can erase your account."),
    )

    def __init__(self, *args, learner, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner
        self.certificates = list(certificates)
        choices = [
            (
                self.KEEP,
                _(
                    "Keep it: anyone with the code can still check it, with the "
                    "name printed on it"
                ),
            ),
            (
                self.WITHDRAW,
                _("Withdraw it: the code will say it was withdrawn, with no name"),
            ),
        ]
        certificate_fields = {
            self.certificate_field(c): forms.ChoiceField(
                label=c.course_title,
                choices=choices,
                initial=self.KEEP,
                widget=forms.RadioSelect,
            )
            for c in self.certificates
        }
        # Certificates first, the password last: the order the page explains.
        self.fields = {**certificate_fields, "password": self.fields["password"]}

    @staticmethod
    def certificate_field(certificate) -> str:
        return f"certificate_{certificate.pk}"

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.learner.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Nothing has been erased.")
            )
        return password

    def withdrawn_ids(self) -> set[int]:
        """Ids of the certificates the learner chose to withdraw."""
        return {
            c.pk
            for c in self.certificates
            if self.cleaned_data.get(self.certificate_field(c)) == self.WITHDRAW
        }
