"""Which page translations need a translator: the original changed, or strings wait.

wagtail-localize keeps, for each translated page, the strings it extracted
from the original when the translation started or was last updated. Its own
report says "Up to date" when every one of those strings is translated, even
after the original has changed since. This report compares the original's
last publication with that extraction, so a changed sentence in an English
lesson shows at once against its Spanish and Arabic copies, with a link to
wagtail-localize's "update from the original" view.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail_localize.models import Translation

from circles.spreadsheets import FormulaGuardMixin


@dataclass(frozen=True)
class TranslationState:
    title: str  # of the translated page
    language: str
    original_title: str
    original_changed_at: datetime | None
    strings_extracted_at: datetime
    translated: int
    total: int
    edit_url: str
    update_url: str

    @property
    def original_changed(self) -> bool:
        """Published again since wagtail-localize last read its strings."""
        return bool(
            self.original_changed_at
            and self.original_changed_at > self.strings_extracted_at
        )

    @property
    def needs_update(self) -> bool:
        return self.original_changed or self.translated < self.total

    @property
    def status(self) -> str:
        if self.original_changed:
            return str(_("Needs an update: the original changed"))
        if self.translated < self.total:
            return str(
                _("Waiting for translations: %(done)d of %(total)d strings")
                % {"done": self.translated, "total": self.total}
            )
        return str(_("Up to date"))


def page_translation_states() -> list[TranslationState]:
    """Every enabled page translation, those needing work first.

    Three queries, then one per translation for its string count.
    """
    translations = list(
        Translation.objects.filter(enabled=True).select_related(
            "source", "source__locale", "target_locale"
        )
    )
    keys = {t.source.object_id for t in translations}
    pages = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(translation_key__in=keys)
    }
    states = []
    for translation in translations:
        source = translation.source
        original = pages.get((source.object_id, source.locale_id))
        target = pages.get((source.object_id, translation.target_locale_id))
        if original is None or target is None:
            continue  # a snippet, or a translation not made yet
        total, translated = translation.get_progress()
        states.append(
            TranslationState(
                title=target.title,
                language=translation.target_locale.get_display_name(),
                original_title=original.title,
                original_changed_at=original.last_published_at,
                strings_extracted_at=source.last_updated_at,
                translated=translated,
                total=total,
                edit_url=reverse("wagtailadmin_pages:edit", args=[target.pk]),
                update_url=reverse(
                    "wagtail_localize:update_translations", args=[source.pk]
                ),
            )
        )
    states.sort(key=lambda s: (not s.needs_update, s.original_title, s.language))
    return states


class TranslationsToUpdateView(FormulaGuardMixin, ReportView):
    """Trainers' list of translated pages, those needing a translator first."""

    page_title = _("Translations to update")
    header_icon = "site"
    index_url_name = "translations_to_update"
    index_results_url_name = "translations_to_update_results"
    results_template_name = "courses/admin/translations_to_update_results.html"
    verbose_name_plural = _("translations")
    columns = [
        TitleColumn("title", label=_("Translation"), get_url=lambda s: s.edit_url),
        Column("language", label=_("Language")),
        Column("original_title", label=_("Original")),
        DateColumn("original_changed_at", label=_("Original published")),
        Column("status", label=_("Status")),
    ]
    list_export = ["title", "language", "original_title", "original_changed_at"]
    list_export += ["status"]
    export_headings = {
        "title": _("Translation"),
        "language": _("Language"),
        "original_title": _("Original"),
        "original_changed_at": _("Original published"),
        "status": _("Status"),
    }

    def get_queryset(self):
        return page_translation_states()

    def get_filtered_queryset(self):
        return self.get_queryset()
