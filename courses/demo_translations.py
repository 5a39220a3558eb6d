"""Translate the demo's pages from PO files, as an organisation's translators would.

Each catalogue in courses/demo/translations/ (`<name>.<language>.po`) is
wagtail-localize's own export (`Translation.export_po()`) of a few pages,
merged into one file and filled in by a translator. Two things differ from a
single page's export, so that one file fits in the repository and is read the
same on every fresh database:

- each `msgctxt` starts with the page's address (`/courses/<course>/#title`),
  because one file holds many pages;
- the random block ids in a context (`body.<uuid>.text`) are replaced by the
  block's place among its siblings (`body.3.text`), because the demo is built
  afresh, with new ids, on every machine.

A catalogue translates exactly the pages it has entries for: the Arabic one
for Boundaries holds the course page and its first module. A page that is
already translated is left alone, so running the demo again never overwrites
what a trainer has since changed in wagtail-localize's editor.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import polib
from django.db import transaction
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource

from .demo_loader import DEMO_DIR

TRANSLATIONS_DIR = DEMO_DIR / "translations"
BLOCK_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CONTEXT_SEPARATOR = "#"


@dataclass(frozen=True)
class Catalogue:
    """Pages translated together: those at `addresses`, and below them if asked."""

    name: str
    addresses: tuple[str, ...]
    with_descendants: bool


CATALOGUES = (
    Catalogue("home", ("/", "/courses/"), with_descendants=False),
    Catalogue(
        "boundaries", ("/courses/boundaries-and-self-care/",), with_descendants=True
    ),
)


class CatalogueMismatch(Exception):
    """A catalogue names text the demo pages no longer have: export it again."""


def catalogue_path(catalogue: Catalogue, language: str) -> Path:
    return TRANSLATIONS_DIR / f"{catalogue.name}.{language}.po"


def _site_root() -> Page:
    return Site.objects.get(is_default_site=True).root_page


def page_address(page: Page, root: Page) -> str:
    """The page's address on the site, as a learner sees it: `/courses/x/`."""
    return "/" + page.url_path.removeprefix(root.url_path)


def source_pages(catalogue: Catalogue) -> list[Page]:
    """The catalogue's pages in the default language, in tree order."""
    root = _site_root()
    pages = []
    for address in catalogue.addresses:
        page = Page.objects.get(
            url_path=root.url_path + address.removeprefix("/"),
            locale_id=root.locale_id,
        )
        if catalogue.with_descendants:
            pages.extend(page.get_descendants(inclusive=True).order_by("path"))
        else:
            pages.append(page)
    return [page.specific for page in pages]


def stable_contexts(contexts: list[str]) -> list[str]:
    """Replace each block id with its place among its siblings, counted from 1.

    Places are counted in the order the contexts come, which is the order of
    the page's segments, so the same page always gives the same contexts.
    """
    seen: dict[str, list[str]] = {}
    stable = []
    for context in contexts:
        prefix = ""
        for part in context.split("."):
            if BLOCK_ID.match(part):
                siblings = seen.setdefault(prefix, [])
                if part not in siblings:
                    siblings.append(part)
                part = str(siblings.index(part) + 1)
            prefix = f"{prefix}.{part}" if prefix else part
        stable.append(prefix)
    return stable


def _has_unkeyed_list_items(value) -> bool:
    """Whether a block value holds list items stored without ids (Wagtail < 2.16)."""
    if isinstance(value, StreamValue):
        return any(_has_unkeyed_list_items(child.value) for child in value)
    if isinstance(value, StructValue):
        return any(_has_unkeyed_list_items(child) for child in value.values())
    if isinstance(value, ListValue):
        return any(
            child.original_id is None or _has_unkeyed_list_items(child.value)
            for child in value.bound_blocks
        )
    return False


def _with_keyed_list_items(page: Page) -> Page:
    """The page, saved again as the admin would if a list's items have no ids yet.

    wagtail-localize offers a list's items for translation only once each
    carries an id; pages built from raw data in the older format (the demo's
    takeaways, grounding steps and links) get them when Wagtail saves them.
    """
    streams = [
        getattr(page, f.name) for f in page._meta.fields if isinstance(f, StreamField)
    ]
    # Every block is read, not just up to the first old list: Wagtail saves a
    # block it has not read exactly as it was stored.
    unkeyed = [
        _has_unkeyed_list_items(block.value) for stream in streams for block in stream
    ]
    if not any(unkeyed):
        return page
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def _translation(page: Page, locale: Locale) -> Translation:
    page = _with_keyed_list_items(page)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale
    )
    return translation


def _page_entries(translation: Translation, address: str) -> list[polib.POEntry]:
    """The page's export, with contexts made stable and prefixed by its address."""
    entries = list(translation.export_po())
    contexts = stable_contexts([entry.msgctxt for entry in entries])
    for entry, context in zip(entries, contexts, strict=True):
        entry.msgctxt = f"{address}{CONTEXT_SEPARATOR}{context}"
    return [entry for entry in entries if not entry.obsolete]


def export_catalogue(catalogue: Catalogue, language: str) -> polib.POFile:
    """A catalogue to hand to translators, keeping what the committed file has.

    Entries whose English is unchanged keep their translation and comments;
    new and changed ones come with an empty `msgstr`.
    """
    locale = Locale.objects.get(language_code=language)
    root = _site_root()
    po = polib.POFile()
    po.metadata = {
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
    }
    done = {}
    if catalogue_path(catalogue, language).exists():
        committed = polib.pofile(str(catalogue_path(catalogue, language)))
        po.header, po.metadata = committed.header, committed.metadata
        done = {(e.msgctxt, e.msgid): e for e in committed if e.msgstr}
    for page in source_pages(catalogue):
        translation = _translation(page, locale)
        for entry in _page_entries(translation, page_address(page, root)):
            kept = done.get((entry.msgctxt, entry.msgid))
            if kept is not None:
                entry.msgstr, entry.tcomment = kept.msgstr, kept.tcomment
            po.append(entry)
    return po


def _entries_by_address(po: polib.POFile) -> dict[str, dict[tuple, str]]:
    by_address: dict[str, dict[tuple, str]] = {}
    for entry in po:
        address, _sep, context = entry.msgctxt.partition(CONTEXT_SEPARATOR)
        by_address.setdefault(address, {})[(context, entry.msgid)] = entry.msgstr
    return by_address


def is_translated(page: Page, locale: Locale) -> bool:
    """Whether the page has a copy of its own in the locale, not an alias."""
    return Page.objects.filter(
        translation_key=page.translation_key, locale=locale, alias_of__isnull=True
    ).exists()


def _import_page(page: Page, locale: Locale, strings: dict[tuple, str]) -> Page:
    """Import one page's strings with `Translation.import_po` and publish the page."""
    translation = _translation(page, locale)
    po = translation.export_po()
    # The file's entries carry stable contexts; the database's, today's block ids.
    for entry, context in zip(
        po, stable_contexts([entry.msgctxt for entry in po]), strict=True
    ):
        entry.msgstr = strings.pop((context, entry.msgid), "")
    if strings:
        raise CatalogueMismatch(
            f"{page.url_path}: the catalogue has text the page no longer has: "
            f"{sorted(context for context, _msgid in strings)}"
        )
    warnings = translation.import_po(po, tool_name="Circles demo catalogue")
    if warnings:
        raise CatalogueMismatch(f"{page.url_path}: {warnings}")
    # Published here rather than by save_target(publish=True), which publishes
    # on commit: the demo is often built inside a transaction (tests).
    translation.save_target(publish=False)
    translated = translation.get_target_instance()
    translated.get_latest_revision().publish()
    return translated


@transaction.atomic
def import_catalogue(catalogue: Catalogue, language: str) -> list[Page]:
    """Translate the catalogue's pages that have entries; safe to repeat."""
    path = catalogue_path(catalogue, language)
    if not path.exists():
        return []
    locale = Locale.objects.get(language_code=language)
    root = _site_root()
    by_address = _entries_by_address(polib.pofile(str(path)))
    translated = []
    for page in source_pages(catalogue):
        strings = by_address.pop(page_address(page, root), None)
        if strings and not is_translated(page, locale):
            translated.append(_import_page(page, locale, strings))
    if by_address:
        raise CatalogueMismatch(f"{path.name}: no page at {sorted(by_address)}")
    return translated


def translate_demo() -> list[Page]:
    """Import every demo catalogue into the site's locales; the pages it translated."""
    translated = []
    for catalogue in CATALOGUES:
        for locale in Locale.objects.exclude(pk=_site_root().locale_id):
            translated += import_catalogue(catalogue, locale.language_code)
    return translated
