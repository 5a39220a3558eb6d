"""Crawl the demo site: no sensitive word in any page title, URL or file name."""

from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from circles.neutral import SENSITIVE_WORDS, sensitive_words_in
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import enrol


@pytest.fixture
def demo_site(demo, django_user_model):
    learner = django_user_model.objects.get(username="learner")
    for course in CoursePage.objects.live():
        enrol(learner=learner, course=course)
    return learner


def crawl(client, start="/", limit=400):
    seen, queue, found = set(), [start], []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        page = BeautifulSoup(response.content, "html.parser")
        found.append((path, page.title.get_text(strip=True) if page.title else ""))
        for tag in page.find_all(["a", "link", "script", "img", "source"]):
            ref = tag.get("href") or tag.get("src")
            if not ref:
                continue
            url = urlparse(urljoin("http://testserver" + path, ref))
            if url.netloc != "testserver" or url.path.startswith(("/admin", "/exit")):
                continue
            if url.path.endswith(
                (".css", ".js", ".svg", ".png", ".jpg", ".pdf", ".map")
            ):
                found.append((url.path, ""))
                continue
            queue.append(url.path)
    return found


def test_the_demo_course_is_complete_and_real(demo_site):
    course = CoursePage.objects.get(slug="foundations", locale=Locale.get_default())
    modules = ModulePage.objects.child_of(course).live()
    assert modules.count() >= 8
    for module in modules:
        lessons = LessonPage.objects.child_of(module).live().count()
        assert 2 <= lessons <= 4, module.title
    assert CoursePage.objects.filter(
        title="Boundaries and self-care for peer mentors"
    ).exists()


def test_no_title_url_or_file_name_on_the_demo_site_holds_a_sensitive_word(
    client, demo_site
):
    client.force_login(demo_site)
    found = crawl(client)
    paths = {path for path, _title in found}
    assert "/courses/foundations/" in paths
    assert len([p for p in paths if p.startswith("/courses/foundations/")]) > 30
    offending = [
        (path, title)
        for path, title in found
        if sensitive_words_in(path.replace("-", " ")) or sensitive_words_in(title)
    ]
    assert offending == [], f"Neutral words only ({', '.join(SENSITIVE_WORDS)})"
