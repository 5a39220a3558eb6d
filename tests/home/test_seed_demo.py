"""The demo site `manage.py seed_demo` builds, and building it twice."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Locale, Page, Site

from courses.models import Cohort, CourseIndexPage, CoursePage, LessonPage
from home.models import HomePage


def test_seed_demo_builds_the_site_tree(demo, client):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    english = Locale.get_default()
    assert CourseIndexPage.objects.get(locale=english).url == "/courses/"
    course = CoursePage.objects.live().get(slug="foundations", locale=english)
    assert LessonPage.objects.live().descendant_of(course).count() >= 16
    assert "Foundations of peer mentoring" in client.get("/courses/").content.decode()


def test_seed_demo_can_run_twice_without_duplicating_anything(demo, capsys):
    pages_before = Page.objects.count()
    users_before = get_user_model().objects.count()
    call_command("seed_demo")
    assert Page.objects.count() == pages_before
    assert get_user_model().objects.count() == users_before
    assert Cohort.objects.count() == 1
    out = capsys.readouterr().out
    assert "trainer / circles-trainer-demo" in out
    assert "learner / circles-learner-demo" in out


def test_demo_trainer_reaches_the_admin_and_the_demo_learner_does_not(demo, client):
    assert client.login(username="trainer", password="circles-trainer-demo")
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert client.login(username="learner", password="circles-learner-demo")
    assert client.get("/admin/").status_code == 302


def test_seed_demo_gives_the_trainer_a_cohort_with_the_demo_learners(demo):
    cohort = Cohort.objects.get(name="Spring group")
    assert set(cohort.enrolments.values_list("learner__username", flat=True)) == {
        "learner",
        "learner2",
        "learner3",
        "learner4",
    }
