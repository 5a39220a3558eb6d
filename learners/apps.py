from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = _("Learners")

    def ready(self):
        from wagtail.admin.forms.account import NameEmailForm

        # Trainers may use a pseudonym and no e-mail, like learners. Wagtail's
        # account form requires a first name, last name and e-mail, so changing
        # only the admin language failed for them; here all three are optional.
        for name in ("first_name", "last_name", "email"):
            NameEmailForm.base_fields[name].required = False
