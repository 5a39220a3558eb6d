"""One course, one progress, in every language.

A translated course is a copy of the original's pages in another locale
(wagtail-localize), sharing each page's `translation_key`. Learners' records
(enrolments, completions, skips, the resume point, quiz attempts and
certificates) always point at the *original* pages, those in the default
language, so a learner who switches language halfway keeps their place.

Views hand these functions whichever copy the learner is reading; the
default language's pages are their own originals and cost no query.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from wagtail.models import Locale, Page

# Locale ids by language code, in the shared cache: a locale row never
# changes its code, and the receivers below forget them all, for every
# process, when a locale is added or removed.
LOCALE_IDS_KEY = "courses:locale-ids"


def locale_id(language_code: str) -> int | None:
    """The id of the locale for a language, or None when it has none; cached."""
    ids = cache.get(LOCALE_IDS_KEY)
    if ids is None:
        ids = dict(Locale.objects.values_list("language_code", "pk"))
        cache.set(LOCALE_IDS_KEY, ids, None)
    return ids.get(language_code)


def default_locale_id() -> int | None:
    return locale_id(settings.LANGUAGE_CODE)


def active_locale_id() -> int | None:
    """The locale of the language the request is in, falling back to the default."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return locale_id(language) or default_locale_id()


@receiver(post_save, sender=Locale)
@receiver(post_delete, sender=Locale)
def _forget_locales(**kwargs):
    cache.delete(LOCALE_IDS_KEY)
    transaction.on_commit(lambda: cache.delete(LOCALE_IDS_KEY))


def is_original(page: Page) -> bool:
    return page.locale_id == default_locale_id()


def original_id(page: Page) -> int:
    """The id of the page's original: its own in the default language."""
    if is_original(page):
        return page.pk
    found = original_ids([page.translation_key]).get(page.translation_key)
    return found or page.pk  # a page created in another language is its own


def original_ids(translation_keys) -> dict:
    """Original page ids by translation key, in one query."""
    return dict(
        Page.objects.filter(
            translation_key__in=set(translation_keys), locale_id=default_locale_id()
        ).values_list("translation_key", "pk")
    )


def original(page: Page) -> Page:
    """The page in the default language (specific), or the page itself."""
    if is_original(page):
        return page
    found = (
        Page.objects.filter(
            translation_key=page.translation_key, locale_id=default_locale_id()
        )
        .specific()
        .first()
    )
    return found or page  # a page created in another language is its own


def localized_all(pages: list) -> dict[int, Page]:
    """Each page's copy in the active language, by the original's id; one query.

    A page with no live copy in that language maps to itself.
    """
    wanted = active_locale_id()
    result = {page.pk: page for page in pages}
    others = [page for page in pages if page.locale_id != wanted]
    if others and wanted is not None:
        copies = (
            Page.objects.live()
            .filter(
                translation_key__in=[p.translation_key for p in others],
                locale_id=wanted,
            )
            .specific()
        )
        by_key = {copy.translation_key: copy for copy in copies}
        for page in others:
            result[page.pk] = by_key.get(page.translation_key, page)
    return result


def originals(pages):
    """Only the pages in the default language: what trainers' lists offer."""
    return pages.filter(locale_id=default_locale_id())


def in_active_language(pages):
    """Only the pages in the language the request is in: what learners' lists show."""
    return pages.filter(locale_id=active_locale_id())


def rendered_in_its_language(page: Page, respond):
    """Call `respond()` with the page's own language active, and render it there.

    A response that renders later would fall back to the request's language.
    """
    with translation.override(page.locale.language_code):
        response = respond()
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    return response


class PreviewInItsLanguageMixin:
    """A trainer previews a page in its own language, as learners will read it:
    an Arabic page right to left with the Arabic interface around it, whatever
    the admin's language."""

    def serve_preview(self, request, mode_name):
        return rendered_in_its_language(
            self,
            lambda: super(PreviewInItsLanguageMixin, self).serve_preview(
                request, mode_name
            ),
        )
