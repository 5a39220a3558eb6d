from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = _("Practice circles")

    def ready(self):
        from . import receivers  # noqa: F401 - connect receivers
