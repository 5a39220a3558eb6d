"""Public pages are kept whole for anonymous visitors, and never go stale.

Every change a visitor could notice is visible on the very next request:
publishing, unpublishing, moving and deleting pages, editing the support
panel, and choosing another language. Nothing of a signed-in person is ever
kept or shared.
"""

import gzip

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from home.models import SafetySettings
from tests.factories import CourseFactory, UserFactory


@pytest.fixture
def course(course_index, support_settings):
    return CourseFactory(
        parent=course_index, title="Listening well", slug="listening", modules=1
    )


def cache_status(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def heading(response) -> str:
    return BeautifulSoup(response.content, "html.parser").h1.get_text(strip=True)


def test_the_second_visit_is_answered_whole_from_the_cache_without_a_query(
    client, course, django_assert_num_queries
):
    first = client.get(course.url)
    with django_assert_num_queries(0):
        second = client.get(course.url)

    assert (cache_status(first), cache_status(second)) == ("miss", "hit")
    assert second.content == first.content
    assert heading(second) == "Listening well"
    for header in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"):
        assert second[header] == first[header]


def test_a_published_change_shows_on_the_next_visit(client, course):
    client.get(course.url)
    draft = course.get_latest_revision_as_object()
    draft.title = "Listening with care"
    draft.save_revision().publish()

    response = client.get(course.url)

    assert cache_status(response) == "miss"
    assert heading(response) == "Listening with care"


def test_a_saved_draft_does_not_reach_visitors(client, course):
    client.get(course.url)
    draft = course.get_latest_revision_as_object()
    draft.title = "Not ready yet"
    draft.save_revision()

    assert heading(client.get(course.url)) == "Listening well"


def test_an_unpublished_course_is_gone_on_the_next_visit(client, course):
    client.get(course.url)
    client.get("/courses/")
    course.unpublish()

    assert client.get(course.url).status_code == 404
    assert "Listening well" not in client.get("/courses/").text


def test_a_moved_course_answers_at_its_new_address_only(client, course, home):
    old_url = course.url
    client.get(old_url)
    course.refresh_from_db()
    course.slug = "listening-2"
    course.save_revision().publish()

    assert client.get(old_url).status_code == 404
    assert client.get("/courses/listening-2/").status_code == 200


def test_a_deleted_course_is_gone_on_the_next_visit(client, course):
    client.get(course.url)
    course.delete()

    assert client.get(course.url).status_code == 404


def test_a_support_panel_edit_shows_on_every_kept_page_at_once(client, course):
    client.get(course.url)
    support = SafetySettings.load()
    support.emergency_text_en = "In danger now? Call 999."
    support.save()

    response = client.get(course.url)

    assert "In danger now? Call 999." in response.text


def test_each_language_is_kept_apart(client, course):
    client.get(course.url)
    client.get(f"/language/es/?next={course.url}")

    response = client.get(course.url)

    assert BeautifulSoup(response.content, "html.parser").html["lang"] == "es"
    assert "Obtener apoyo" in response.text
    client.get(f"/language/en/?next={course.url}")
    assert "Get support" in client.get(course.url).text


def test_signed_in_pages_are_never_kept_or_shared(client, course):
    learner = UserFactory(username="pseudonym")
    client.force_login(learner)
    signed_in = client.get(course.url)
    client.logout()
    client.cookies.clear()

    anonymous = client.get(course.url)

    assert cache_status(signed_in) is None
    assert "no-store" in signed_in["Cache-Control"]
    assert cache_status(anonymous) == "miss"
    assert "pseudonym" not in anonymous.text
    assert "Log in" in anonymous.text


def test_a_request_with_a_session_cookie_is_never_answered_from_the_cache(
    client, course
):
    client.get(course.url)
    client.cookies["sessionid"] = "stale-or-forged"

    assert cache_status(client.get(course.url)) is None


def test_a_pending_message_is_shown_not_hidden_behind_a_kept_page(client, course, home):
    client.get("/")
    client.get("/")
    client.force_login(UserFactory(username="pseudonym"))

    response = client.post("/accounts/logout/", follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert cache_status(response) is None
    assert "You are logged out. Your progress is saved." in response.text


def test_a_password_protected_course_asks_every_visitor_for_the_password(
    client, course
):
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="circle"
    )

    first = client.get(course.url)
    client.cookies.clear()
    second = client.get(course.url)

    assert 'name="password"' in second.text
    assert (cache_status(first), cache_status(second)) == (None, None)


def test_a_compressed_copy_is_kept_for_browsers_that_ask(client, course):
    plain = client.get(course.url)
    client.get(course.url, HTTP_ACCEPT_ENCODING="gzip")
    compressed = client.get(course.url, HTTP_ACCEPT_ENCODING="gzip")

    assert cache_status(compressed) == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content


def test_pages_with_a_query_are_rendered_each_time(client, course):
    client.get(f"{course.url}?from=newsletter")

    assert cache_status(client.get(f"{course.url}?from=newsletter")) is None


def test_the_cache_can_be_switched_off(client, course, settings):
    from circles.site_lookup import SiteLookupMiddleware

    settings.PAGE_CACHE_SECONDS = 0
    client.get(course.url)
    request = RequestFactory().get(course.url)
    SiteLookupMiddleware(lambda request: None)(request)

    assert cache_status(client.get(course.url)) is None
    assert not hasattr(request, "_wagtail_site")  # Wagtail looks it up itself


def test_each_process_finds_the_site_once(course, django_assert_num_queries):
    from wagtail.models import Site

    from circles.site_lookup import SiteLookupMiddleware

    lookup = SiteLookupMiddleware(lambda request: None)
    lookup(RequestFactory().get(course.url))
    again = RequestFactory().get(course.url)
    with django_assert_num_queries(0):
        lookup(again)

    assert again._wagtail_site == Site.objects.get()


def test_a_deleted_site_serves_no_page_on_the_next_request(client, course):
    from wagtail.models import Site

    client.force_login(UserFactory(username="pseudonym"))
    assert client.get(course.url).status_code == 200
    Site.objects.get().delete()

    assert client.get(course.url).status_code == 404
