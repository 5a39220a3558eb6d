"""The support panel in the reader's language: helplines differ by language, country."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation

from home.models import SUPPORT_PANEL_LANGUAGES


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in this thread; undo that."""
    yield
    translation.deactivate()


def panel_text(client, language: str) -> str:
    client.cookies["circles_language"] = language
    page = BeautifulSoup(client.get("/support/").content, "html.parser")
    return page.select_one(".support-contacts").get_text(" ", strip=True)


@pytest.fixture
def panel(home, support_settings):
    return support_settings


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("en", "Samaritans (UK and Ireland)", "Línea 024"),
        ("es", "Línea 024 (España)", "Samaritans"),
        ("ar", "خدمات الطوارئ", "Samaritans"),
    ],
)
def test_each_language_has_its_own_helplines(client, panel, language, shown, not_shown):
    text = panel_text(client, language)

    assert shown in text
    assert not_shown not in text


@pytest.mark.parametrize(
    ("language", "emergency"),
    [
        ("es", "Si estás en peligro ahora, llama al número de emergencias"),
        ("ar", "إذا كنت في خطر الآن، فاتصل برقم الطوارئ المحلي."),
    ],
)
def test_the_emergency_line_is_in_the_readers_language(
    client, panel, language, emergency
):
    assert emergency in panel_text(client, language)


def test_a_language_without_contacts_shows_the_default_languages(client, panel):
    panel.contacts_ar = []
    panel.emergency_text_ar = ""
    panel.save()

    text = panel_text(client, "ar")

    assert "Samaritans (UK and Ireland)" in text
    assert "If you are in danger now, call your local emergency number." in text


def test_a_language_without_an_introduction_shows_the_standard_words(client, panel):
    panel.support_intro_es = ""
    panel.save()

    text = panel_text(client, "es")

    assert "No tienes que pasar por esto en soledad." in text  # the interface's
    assert "a solas" not in text  # the demo's Spanish introduction
    assert "You do not have to go through this alone" not in text


def test_an_edit_in_one_language_shows_at_once_in_that_language(client, panel):
    panel_text(client, "ar")  # the panel is now kept for Arabic readers
    panel.contacts_ar = [
        {
            "type": "contact",
            "value": {
                "name": "خط المساعدة المحلي",
                "description": "",
                "phone": "0100 000 000",
                "text": "",
                "website": "",
                "hours": "",
            },
        }
    ]
    panel.save()

    assert "خط المساعدة المحلي" in panel_text(client, "ar")


def test_every_site_language_has_a_support_panel():
    assert {code for code, _name in settings.LANGUAGES} == set(SUPPORT_PANEL_LANGUAGES)


def test_trainers_edit_the_panel_one_language_to_a_tab(client, trainer, panel):
    client.force_login(trainer)

    response = client.get("/admin/settings/home/safetysettings/", follow=True)

    assert response.status_code == 200
    tabs = BeautifulSoup(response.content, "html.parser").select('[role="tab"]')
    names = [tab.find(string=True).strip() for tab in tabs]  # not the error count
    assert names == ["English", "Spanish", "Arabic"]
