from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A Circles account: a username (a pseudonym is fine), e-mail optional."""

    # Chosen by the learner for their certificates and shown nowhere else;
    # change it through certificates.services.change_printed_name.
    certificate_name = models.CharField(
        _("name on certificates"), max_length=120, blank=True
    )

    # Opt-in only: e-mail carries a neutral subject and a link, never content.
    wants_email_updates = models.BooleanField(
        _("e-mail me when my trainer posts an announcement"), default=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
