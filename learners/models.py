import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates.models import private_storage


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

    # When purge_inactive last e-mailed that the account would be erased for
    # lack of use; signing in after it cancels the warning.
    inactivity_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


def data_export_path(instance, filename: str) -> str:
    """Return a random storage name: nothing in it names the learner."""
    return f"data-exports/{secrets.token_hex(16)}.zip"


class DataExport(models.Model):
    """A learner's data download, built in the background; private to its owner."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(
        upload_to=data_export_path, storage=private_storage, blank=True
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Data download {self.pk}"

    @property
    def is_ready(self) -> bool:
        return bool(self.file)
