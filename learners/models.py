from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A Circles account: a username (a pseudonym is fine), e-mail optional."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
