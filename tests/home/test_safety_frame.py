"""The safety frame on every page: quick exit, support, neutral titles, no tracking."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError
from wagtail.models import Page

from home.models import SafetySettings
from tests.factories import CourseFactory

PUBLIC_PAGES = [
    "/",
    "/courses/",
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/support/",
    "/break/",
    "/no-such-page/",
]


@pytest.fixture
def site(course_index, support_settings):
    CourseFactory(parent=course_index, title="Listening well", slug="listening")
    return course_index


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_a_quick_exit_that_works_without_javascript(client, site, path):
    page = soup(client.get(path))
    button = page.select_one("[data-quick-exit-button]")
    assert button is not None
    assert button.get_text(strip=True).startswith("Exit this page")
    assert button["href"] == "/exit/"
    assert set(button["rel"]) == {"nofollow", "noreferrer"}
    # A second, skip-style link reaches the exit early in the tab order.
    skip_links = page.select("a.skip-link")
    assert [a["href"] for a in skip_links] == ["#main", "/exit/"]


@pytest.mark.parametrize(
    "path", ["/", "/courses/", "/courses/listening/", "/accounts/password/change/"]
)
def test_logged_in_pages_carry_the_quick_exit_too(learner_client, site, path):
    page = soup(learner_client.get(path, follow=True))
    assert page.select_one("[data-quick-exit-button]") is not None


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_reaches_the_support_panel_in_one_step(client, site, path):
    page = soup(client.get(path))
    support_link = page.select_one("a.support-button")
    assert support_link["href"] == "/support/"
    panel = page.select_one("#support-panel")
    assert "Samaritans" in panel.get_text()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_nothing_on_a_page_loads_from_another_host(client, site, path):
    response = client.get(path)
    html = response.content.decode()
    external = re.findall(
        r'<(?:script|link|img|iframe|source|video|audio|embed)[^>]*(?:src|href)="(?:https?:)?//',
        html,
    )
    assert external == []
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp


def test_quick_exit_ends_the_session_and_clears_site_data(learner_client):
    assert learner_client.get("/accounts/password/change/").status_code == 200
    response = learner_client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"] == "https://weather.example/forecast"
    assert response["Clear-Site-Data"] == '"cache", "storage", "cookies"'
    assert "no-store" in response["Cache-Control"]
    # The session is gone: the account page now asks to log in.
    after = learner_client.get("/accounts/password/change/")
    assert after.status_code == 302
    assert after["Location"].startswith("/accounts/login/")


def test_quick_exit_for_a_visitor_clears_cache_and_storage(client, db):
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_quick_exit_destination_is_a_setting(client, db, settings):
    settings.QUICK_EXIT_URL = "https://news.example/"
    assert client.get("/exit/")["Location"] == "https://news.example/"


def test_logged_in_pages_are_never_stored(learner_client, site):
    for path in ["/", "/courses/", "/courses/listening/"]:
        response = learner_client.get(path)
        assert "no-store" in response["Cache-Control"], path


def test_anonymous_pages_may_be_cached(client, site):
    response = client.get("/courses/")
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/courses/", "/courses/listening/", "/support/"])
def test_page_titles_are_neutral_and_never_name_the_learner(learner_client, site, path):
    title = soup(learner_client.get(path)).title.get_text(strip=True)
    assert title.endswith("· Circles")
    assert "pseudonym" not in title


def test_support_panel_follows_what_trainers_edit(client, site):
    settings_obj = SafetySettings.load()
    assert "Samaritans" in client.get("/").content.decode()
    settings_obj.contacts_en = [
        {
            "type": "contact",
            "value": {
                "name": "Riverside Drop-in",
                "description": "",
                "phone": "0100 000 000",
                "text": "",
                "website": "",
                "hours": "Weekdays",
            },
        }
    ]
    settings_obj.save()
    html = client.get("/").content.decode()
    assert "Riverside Drop-in" in html
    assert "Samaritans" not in html


def test_support_page_lists_contacts_with_call_links(client, site):
    page = soup(client.get("/support/"))
    assert page.h1.get_text(strip=True) == "Get support"
    assert page.select_one('a[href="tel:116123"]') is not None


def test_take_a_break_keeps_the_learners_place(client, site):
    page = soup(client.get("/break/?next=/courses/listening/"))
    assert "grounding" in page.get_text().lower()
    back = page.find("a", string=re.compile("Go back to where I was"))
    assert back["href"] == "/courses/listening/"


@pytest.mark.parametrize(
    "evil", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_take_a_break_never_sends_people_to_another_site(client, site, evil):
    page = soup(client.get("/break/", {"next": evil}))
    back = page.find("a", string=re.compile("Go back to where I was"))
    assert back["href"] == "/"


def test_healthz_says_ok_while_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_says_unavailable_when_the_database_does_not(client, db, monkeypatch):
    class UnreachableDatabase:
        def cursor(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr("home.views.connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content


def test_the_interface_switches_to_spanish(client, site):
    link = soup(client.get("/courses/")).select_one(".language-switcher a[lang=es]")
    response = client.get(link["href"], follow=True)
    assert response.redirect_chain[-1][0] == "/courses/"
    page = soup(response)
    assert page.html["lang"] == "es"
    assert (
        "Salir de esta página" in page.select_one("[data-quick-exit-button]").get_text()
    )
    assert page.select_one("a.support-button").get_text(strip=True) == "Obtener apoyo"


def test_a_language_link_goes_back_only_to_this_site(client, site):
    response = client.get("/language/es/?next=https://elsewhere.example/")
    assert response["Location"] == "/"
    assert response.cookies["circles_language"].value == "es"


def test_a_language_form_from_an_older_page_still_switches(client, site):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response["Location"] == "/"
    assert response.cookies["circles_language"].value == "es"


def test_an_unknown_language_is_not_found(client, site):
    response = client.get("/language/xx/?next=/")
    assert response.status_code == 404
    assert "circles_language" not in response.cookies


def test_home_page_explains_circles_lists_courses_and_certificate_checks(client, site):
    page = soup(client.get("/"))
    text = page.get_text(" ", strip=True)
    assert "Circles trains peer mentors" in text
    assert page.find("a", string="Listening well")["href"] == "/courses/listening/"
    assert page.select_one('.verification-info a[href="/verify/"]') is not None


def test_course_catalogue_lists_only_published_courses(client, course_index):
    CourseFactory(parent=course_index, title="Open course", slug="open")
    hidden = CourseFactory(parent=course_index, title="Draft course", slug="draft")
    Page.objects.get(pk=hidden.pk).unpublish()
    text = client.get("/courses/").content.decode()
    assert "Open course" in text
    assert "Draft course" not in text


def test_a_password_protected_page_keeps_the_safety_frame(client, site):
    from wagtail.models import PageViewRestriction

    from courses.models import CoursePage

    course = CoursePage.objects.get(slug="listening")
    PageViewRestriction.objects.create(
        page=course,
        restriction_type=PageViewRestriction.PASSWORD,
        password="group-only",
    )
    page = soup(client.get("/courses/listening/"))
    assert page.title.get_text(strip=True) == "Password needed · Circles"
    assert page.select_one("[data-quick-exit-button]") is not None
    assert page.select_one("#support-panel") is not None
