from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from courses.locales import PreviewInItsLanguageMixin

from .blocks import HomeBlock, SupportContactBlock


class HomePage(PreviewInItsLanguageMixin, Page):
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


# The languages the support panel has fields for: every language of the site.
SUPPORT_PANEL_LANGUAGES = ("en", "es", "ar")


def support_panel_cache_keys() -> list[str]:
    return [
        make_template_fragment_key("support_panel", [code])
        for code in SUPPORT_PANEL_LANGUAGES
    ]


def _intro_field() -> RichTextField:
    return RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown at the top of the support panel on every page."),
    )


def _emergency_field() -> models.CharField:
    return models.CharField(
        _("emergency line"),
        max_length=200,
        blank=True,
        help_text=_("For example: If you are in danger now, call 911."),
    )


def _contacts_field() -> StreamField:
    return StreamField(
        [("contact", SupportContactBlock())],
        blank=True,
        verbose_name=_("contacts"),
        help_text=_("Helplines and services, in the order people should see them."),
    )


def _language_tab(code: str) -> ObjectList:
    return ObjectList(
        [
            FieldPanel(f"support_intro_{code}"),
            FieldPanel(f"emergency_text_{code}"),
            FieldPanel(f"contacts_{code}"),
        ],
        heading=dict(settings.LANGUAGES)[code],
    )


@register_setting(icon="help")
class SafetySettings(BaseGenericSetting):
    """The support panel: helplines and crisis contacts on every page, per language.

    Helplines differ by language and country, and wagtail-localize cannot
    translate a site setting, so each language has fields of its own, on a
    tab of its own. Pages read `support_intro`, `emergency_text` and
    `contacts`, which answer in the language of the request.
    """

    support_intro_en = _intro_field()
    emergency_text_en = _emergency_field()
    contacts_en = _contacts_field()
    support_intro_es = _intro_field()
    emergency_text_es = _emergency_field()
    contacts_es = _contacts_field()
    support_intro_ar = _intro_field()
    emergency_text_ar = _emergency_field()
    contacts_ar = _contacts_field()

    edit_handler = TabbedInterface(
        [_language_tab(code) for code in SUPPORT_PANEL_LANGUAGES]
    )

    class Meta:
        verbose_name = _("support panel")

    def _in_request_language(self, field: str, *, fallback: bool):
        """The field in the language read; if empty and `fallback`, the default's."""
        language = translation.get_language()
        if language not in SUPPORT_PANEL_LANGUAGES:
            language = settings.LANGUAGE_CODE
        value = getattr(self, f"{field}_{language}")
        if not value and fallback:
            value = getattr(self, f"{field}_{settings.LANGUAGE_CODE}")
        return value

    @property
    def support_intro(self) -> str:
        """The language's own introduction; without one, the panel's standard words."""
        return self._in_request_language("support_intro", fallback=False)

    @property
    def emergency_text(self) -> str:
        return self._in_request_language("emergency_text", fallback=True)

    @property
    def contacts(self):
        """The language's contacts, else the default's: any helpline beats none."""
        return self._in_request_language("contacts", fallback=True)


@receiver(post_save, sender=SafetySettings)
def forget_cached_support_panel(**kwargs):
    cache.delete_many(support_panel_cache_keys())
