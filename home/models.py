from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import HomeBlock, SupportContactBlock


class HomePage(Page):
    """The front page: what Circles is, the courses, and certificate checking."""

    intro = models.CharField(
        _("introduction"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences under the title."),
    )
    body = StreamField(HomeBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1
    page_description = _("The front page of the site.")
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find a descendant by its URL path in two queries, not two per level.

        Falls back to Wagtail's walk down the tree when no page has that path,
        so a page with routes of its own would still be reached.
        """
        if not path_components:
            return super().route(request, path_components)
        url_path = self.url_path + "/".join(path_components) + "/"
        page = Page.objects.filter(
            url_path=url_path, path__startswith=self.path
        ).first()
        if page is None:
            return super().route(request, path_components)
        # The page routes itself, so its own index route and liveness apply.
        return page.specific.route(request, [])


SUPPORT_PANEL_LANGUAGES = ("en", "es")


def support_panel_cache_keys() -> list[str]:
    return [
        make_template_fragment_key("support_panel", [code])
        for code in SUPPORT_PANEL_LANGUAGES
    ]


@register_setting(icon="help")
class SafetySettings(BaseGenericSetting):
    """The support panel: helplines and crisis contacts on every page."""

    support_intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown at the top of the support panel on every page."),
    )
    emergency_text = models.CharField(
        _("emergency line"),
        max_length=200,
        blank=True,
        help_text=_("For example: If you are in danger now, call 911."),
    )
    contacts = StreamField(
        [("contact", SupportContactBlock())],
        blank=True,
        verbose_name=_("contacts"),
        help_text=_("Helplines and services, in the order people should see them."),
    )

    panels = [
        FieldPanel("support_intro"),
        FieldPanel("emergency_text"),
        FieldPanel("contacts"),
    ]

    class Meta:
        verbose_name = _("support panel")


@receiver(post_save, sender=SafetySettings)
def forget_cached_support_panel(**kwargs):
    cache.delete_many(support_panel_cache_keys())
