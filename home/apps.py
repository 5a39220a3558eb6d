from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home and safety")

    def ready(self):
        from wagtail.images import get_image_model
        from wagtail.models import Site

        from circles.page_cache import watch_for_changes

        from . import languages  # noqa: F401 - connects its sign-in receiver
        from .models import SafetySettings

        # What anonymous pages show besides pages themselves.
        watch_for_changes(Site, get_image_model(), SafetySettings)
