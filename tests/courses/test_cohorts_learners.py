"""What learners in a cohort notice: announcements, e-mail they chose, dates."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse

from courses.models import (
    Cohort,
    CohortAnnouncement,
    CohortSuggestedDate,
    CoursePage,
    LessonPage,
    ModulePage,
)
from courses.services import complete_step, enrol
from tests.factories import UserFactory

MESSAGE = "Our next group call is on Thursday at 6pm."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(
        BeautifulSoup(response.content, "html.parser").get_text(" ").split()
    )


@pytest.fixture
def cohort(course):
    course.enrolment_policy = CoursePage.Enrolment.COHORT
    course.save_revision().publish()
    return Cohort.objects.create(
        course=CoursePage.objects.get(pk=course.pk),
        name="Spring group",
        join_code="LISTEN24",
    )


@pytest.fixture
def member(cohort):
    learner = UserFactory(username="quiet-sparrow")
    enrol(learner=learner, course=cohort.course, join_code="listen-24")
    return learner


@pytest.fixture
def trainer_client(trainer):
    return client_for(trainer)


def announce(trainer_client, cohort, text=MESSAGE):
    return trainer_client.post(
        reverse("cohorts:announce", args=[cohort.pk]), {"text": text}, follow=True
    )


# --- Announcements ---------------------------------------------------------------


def test_members_see_an_announcement_on_my_learning_until_they_dismiss_it(
    trainer_client, cohort, member
):
    autumn = Cohort.objects.create(course=cohort.course, name="Autumn")
    outsider = UserFactory(username="someone-else")
    enrol(learner=outsider, course=cohort.course, join_code=autumn.join_code)
    posted = announce(trainer_client, cohort)
    assert "Posted. Learners in this cohort see it on My learning." in page_text(posted)
    learner_client = client_for(member)
    dashboard = page_text(learner_client.get("/learn/"))
    assert "From your trainer" in dashboard
    assert MESSAGE in dashboard
    assert MESSAGE not in page_text(client_for(outsider).get("/learn/"))

    announcement = CohortAnnouncement.objects.get()
    dismiss = reverse("dismiss_announcement", args=[announcement.pk])
    assert learner_client.post(dismiss).status_code == 302
    assert MESSAGE not in page_text(learner_client.get("/learn/"))
    # Twice is the same as once.
    assert learner_client.post(dismiss).status_code == 302
    assert announcement.dismissals.count() == 1
    # The trainer sees that it was read and hidden.
    cohort_page = page_text(
        trainer_client.get(reverse("cohorts:inspect", args=[cohort.pk]))
    )
    assert "dismissed by 1 learner" in cohort_page


def test_someone_elses_announcement_cannot_be_dismissed(cohort, member):
    announcement = CohortAnnouncement.objects.create(cohort=cohort, text=MESSAGE)
    stranger = client_for(UserFactory(username="stranger"))
    dismiss = reverse("dismiss_announcement", args=[announcement.pk])
    assert stranger.post(dismiss).status_code == 404
    assert client_for(member).get(dismiss).status_code == 405
    assert not announcement.dismissals.exists()


def test_a_withdrawn_announcement_leaves_my_learning(trainer_client, cohort, member):
    announce(trainer_client, cohort)
    announcement = CohortAnnouncement.objects.get()
    trainer_client.post(
        reverse("cohorts:withdraw_announcement", args=[cohort.pk, announcement.pk])
    )
    assert MESSAGE not in page_text(client_for(member).get("/learn/"))


def test_an_empty_or_overlong_announcement_is_refused_and_kept_in_the_form(
    trainer_client, cohort
):
    url = reverse("cohorts:announce", args=[cohort.pk])
    assert "This field is required." in page_text(
        trainer_client.post(url, {"text": " "})
    )
    long_text = "word " * 250
    response = trainer_client.post(url, {"text": long_text})
    page = BeautifulSoup(response.content, "html.parser")
    assert "at most 1000 characters" in page.get_text()
    assert page.find("textarea").get_text().strip() == long_text.strip()
    assert not CohortAnnouncement.objects.exists()


# --- E-mail ----------------------------------------------------------------------


def test_only_learners_who_asked_and_gave_an_address_get_a_neutral_email(
    trainer_client, cohort, member, django_capture_on_commit_callbacks
):
    member.email = "sparrow@example.org"
    member.wants_email_updates = True
    member.save()
    for name, email, wants in [
        ("no-address", "", True),
        ("did-not-ask", "quiet@example.org", False),
    ]:
        other = UserFactory(username=name, email=email)
        other.wants_email_updates = wants
        other.save()
        enrol(learner=other, course=cohort.course, join_code="LISTEN24")
    elsewhere = UserFactory(username="other-course", email="other@example.org")
    elsewhere.wants_email_updates = True
    elsewhere.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = announce(trainer_client, cohort)
    assert "1 learner asked for e-mail" in page_text(response)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sparrow@example.org"]
    assert email.subject == "Your Circles update"
    for private in (MESSAGE, "Thursday", "Listening well", "Spring group"):
        assert private not in email.subject
        assert private not in email.body
    assert "http://testserver/learn/" in email.body


def test_an_announcement_sent_twice_by_a_double_click_is_posted_and_emailed_once(
    trainer_client, cohort, member, django_capture_on_commit_callbacks
):
    member.email = "sparrow@example.org"
    member.wants_email_updates = True
    member.save()

    with django_capture_on_commit_callbacks(execute=True):
        announce(trainer_client, cohort)
        announce(trainer_client, cohort)

    assert CohortAnnouncement.objects.count() == 1
    assert len(mail.outbox) == 1


def test_no_email_goes_out_when_no_one_asked(
    trainer_client, cohort, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = announce(trainer_client, cohort)
    assert "asked for e-mail" not in page_text(response)
    assert mail.outbox == []


def test_a_learner_in_a_cohort_turns_email_updates_on_and_off_on_my_learning(member):
    member.email = "sparrow@example.org"
    member.save()
    learner_client = client_for(member)
    page = BeautifulSoup(learner_client.get("/learn/").content, "html.parser")
    box = page.find("input", attrs={"name": "wants_email_updates"})
    assert box is not None and not box.has_attr("checked")
    assert "never includes the news" in page.get_text()

    learner_client.post(reverse("email_updates"), {"wants_email_updates": "on"})
    member.refresh_from_db()
    assert member.wants_email_updates
    page = BeautifulSoup(learner_client.get("/learn/").content, "html.parser")
    assert page.find("input", attrs={"name": "wants_email_updates"}).has_attr("checked")

    learner_client.post(reverse("email_updates"), {})
    member.refresh_from_db()
    assert not member.wants_email_updates


def test_a_learner_without_an_address_is_told_they_get_no_email(member):
    page = page_text(client_for(member).get("/learn/"))
    assert "You have not given an e-mail address, so we never e-mail you." in page


# --- Suggested dates ----------------------------------------------------------------


@pytest.fixture
def suggested(cohort):
    first, second = ModulePage.objects.child_of(cohort.course).order_by("path")
    CohortSuggestedDate.objects.create(
        cohort=cohort, module=second, finish_by=datetime.date(2026, 6, 12)
    )
    CohortSuggestedDate.objects.create(
        cohort=cohort, module=first, finish_by=datetime.date(2026, 5, 29)
    )
    return first, second


GENTLE = "They are only a guide: go at the pace that is right for you."


def test_members_see_suggested_dates_as_gentle_targets(member, suggested, steps):
    learner_client = client_for(member)
    for url in ("/learn/", "/courses/listening/"):
        page = page_text(learner_client.get(url))
        assert "Module 1: aim to finish by 29 May 2026" in page
        assert "Module 2: aim to finish by 12 June 2026" in page
        assert page.index("Module 1: aim") < page.index("Module 2: aim")
        assert GENTLE in page
        for word in ("deadline", "overdue", "late", "penalty", "must"):
            assert word not in page.lower().split(), (url, word)
    for step in steps[:2]:
        complete_step(learner=member, step=LessonPage.objects.get(pk=step.id))
    page = page_text(learner_client.get("/learn/"))
    assert "Module 1: done" in page
    assert "Module 2: aim to finish by 12 June 2026" in page


def test_learners_outside_the_cohort_see_no_suggested_dates(cohort, suggested):
    other = Cohort.objects.create(course=cohort.course, name="Autumn")
    learner = UserFactory(username="autumn-learner")
    enrol(learner=learner, course=cohort.course, join_code=other.join_code)
    learner_client = client_for(learner)
    for url in ("/learn/", "/courses/listening/"):
        assert GENTLE not in page_text(learner_client.get(url))
