"""Cohorts show who is learning what: only trainers may open or change them.

Walks every cohort URL as a user in Wagtail's own "Editors" or "Moderators"
group, as a user holding the cohort permissions without the learner-progress
one, and then as a trainer.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from courses.models import Cohort, CohortAnnouncement, CoursePage, Enrolment
from courses.services import enrol
from tests.factories import UserFactory

MEMBER = "quiet-sparrow"
NEWCOMER = "new-heron"


@pytest.fixture
def setting(course):
    course.enrolment_policy = CoursePage.Enrolment.COHORT
    course.save_revision().publish()
    cohort = Cohort.objects.create(
        course=course, name="Spring group", join_code="LISTEN24"
    )
    member = UserFactory(username=MEMBER)
    enrol(
        learner=member,
        course=CoursePage.objects.get(pk=course.pk),
        join_code="LISTEN24",
    )
    UserFactory(username=NEWCOMER)
    announcement = CohortAnnouncement.objects.create(cohort=cohort, text="Welcome all.")
    return cohort, member, announcement


def pages(cohort):
    """Every GET of the cohorts admin."""
    return [
        reverse("cohorts:index"),
        reverse("cohorts:index_results"),
        reverse("cohorts:index") + f"?course={cohort.course_id}",
        reverse("cohorts:add"),
        reverse("cohorts:inspect", args=[cohort.pk]),
        reverse("cohorts:edit", args=[cohort.pk]),
        reverse("cohorts:delete", args=[cohort.pk]),
        reverse("cohorts:history", args=[cohort.pk]),
        reverse("cohorts:usage", args=[cohort.pk]),
        reverse("cohorts:add_learners", args=[cohort.pk]),
        reverse("cohorts:regenerate_join_code", args=[cohort.pk]),
        reverse("cohorts:announce", args=[cohort.pk]),
    ]


def actions(cohort, member, announcement):
    """Every POST that changes a cohort or who is in it."""
    return [
        (reverse("cohorts:add"), {"name": "Taken over", "course": cohort.course_id}),
        (
            reverse("cohorts:edit", args=[cohort.pk]),
            {"name": "Renamed", "course": cohort.course_id},
        ),
        (reverse("cohorts:add_learners", args=[cohort.pk]), {"usernames": NEWCOMER}),
        (reverse("cohorts:remove_learner", args=[cohort.pk, member.pk]), {}),
        (reverse("cohorts:joining", args=[cohort.pk]), {"open": "0"}),
        (reverse("cohorts:regenerate_join_code", args=[cohort.pk]), {}),
        (reverse("cohorts:announce", args=[cohort.pk]), {"text": "Hello from me"}),
        (
            reverse("cohorts:withdraw_announcement", args=[cohort.pk, announcement.pk]),
            {},
        ),
        (reverse("cohorts:delete", args=[cohort.pk]), {}),
    ]


def refused(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def assert_nothing_changed(cohort, member, announcement):
    cohort.refresh_from_db()
    assert (cohort.name, cohort.join_code, cohort.is_open) == (
        "Spring group",
        "LISTEN24",
        True,
    )
    assert Enrolment.objects.get(learner=member).cohort == cohort
    assert not Enrolment.objects.filter(learner__username=NEWCOMER).exists()
    assert list(CohortAnnouncement.objects.all()) == [announcement]
    assert Cohort.objects.count() == 1


@pytest.fixture(params=["Editors", "Moderators"])
def wagtail_group_client(request, client, home):
    user = UserFactory(username=f"in-{request.param.lower()}", is_staff=True)
    user.groups.add(Group.objects.get(name=request.param))
    client.force_login(user)
    return client


def test_editors_and_moderators_are_refused_on_every_cohort_url(
    wagtail_group_client, setting
):
    cohort, member, announcement = setting
    for url in pages(cohort):
        response = wagtail_group_client.get(url)
        assert refused(response), url
        assert MEMBER.encode() not in response.content, url
    for url, data in actions(cohort, member, announcement):
        assert refused(wagtail_group_client.post(url, data)), url
    assert_nothing_changed(cohort, member, announcement)
    html = wagtail_group_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("cohorts:index") not in html


def test_cohort_permissions_alone_do_not_show_learners(client, home, setting):
    cohort, member, announcement = setting
    user = UserFactory(username="cohort-clerk", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="courses",
            codename__in=[
                "add_cohort",
                "change_cohort",
                "view_cohort",
                "delete_cohort",
            ],
        ),
    )
    client.force_login(user)
    for url in pages(cohort):
        assert refused(client.get(url)), url
    for url, data in actions(cohort, member, announcement):
        assert refused(client.post(url, data)), url
    assert_nothing_changed(cohort, member, announcement)


def test_a_trainer_opens_every_cohort_page(client, trainer, setting):
    cohort, member, _announcement = setting
    client.force_login(trainer)
    for url in pages(cohort):
        if url == reverse("cohorts:delete", args=[cohort.pk]):
            continue  # the Trainers group does not delete cohorts
        response = client.get(url)
        assert response.status_code == 200, url
    assert (
        MEMBER
        in client.get(reverse("cohorts:inspect", args=[cohort.pk])).content.decode()
    )
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("cohorts:index") in html
