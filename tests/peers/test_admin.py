"""Trainers moderate practice circles in the admin; no one else opens these pages."""

from datetime import timedelta

import pytest
from django.conf import settings as site_settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import formats, timezone

from courses.models import Cohort
from peers import services
from peers.models import (
    Circle,
    Member,
    ModerationEvent,
    Post,
    PracticePair,
    PrivateReflection,
    Reply,
    Report,
)
from tests.factories import CourseFactory, UserFactory
from tests.queries import count_queries

Action = ModerationEvent.Action


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def circle_url(circle) -> str:
    return reverse("circles:inspect", args=[circle.pk])


def item_url(name: str, contribution) -> str:
    if isinstance(contribution, Post):
        return reverse(name, args=[contribution.circle_id, "posts", contribution.pk])
    circle_id = contribution.post.circle_id
    return reverse(name, args=[circle_id, "replies", contribution.pk])


def shared(member, text="What helped me was a walk.") -> Post:
    post = services.share_post(member=member, text=text).contribution
    services.approve(contribution=post, trainer=None)
    post.refresh_from_db()
    return post


def messages_of(response) -> list[str]:
    return [str(m).strip() for m in response.context["messages"]]


def events(action) -> list[ModerationEvent]:
    return list(ModerationEvent.objects.filter(action=action))


# The list and the menu


def test_practice_circles_are_in_the_trainers_menu_only(
    client, trainer_client, home, robin
):
    html = trainer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("circles:index") in html

    editor = UserFactory(username="an-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("circles:index") not in html


def test_the_list_puts_circles_that_need_a_look_first(
    trainer_client, course, circle, robin, sam
):
    quiet = Cohort.objects.create(course=course, name="Autumn group", join_code="AUT")
    services.share_post(member=robin, text="Waiting for a trainer.")
    reported = shared(sam)
    services.report(member=robin, post=reported, reason="unkind")

    response = trainer_client.get(reverse("circles:index"))

    assert response.status_code == 200
    rows = list(response.context["object_list"])
    assert [(c.cohort.name, c.needs_a_look) for c in rows] == [
        ("Spring group", 2),
        ("Autumn group", 0),
    ]
    html = response.content.decode()
    assert "Listening well" in html
    assert circle_url(circle) in html
    assert circle_url(quiet.circle) in html

    filtered = trainer_client.get(reverse("circles:index") + "?needs_a_look=true")
    assert [c.pk for c in filtered.context["object_list"]] == [circle.pk]


# The queue: approve, hide, show again, clear reports


def test_a_trainer_reads_a_waiting_post_and_approves_it(trainer_client, circle, robin):
    post = services.share_post(
        member=robin, text="I found it hard to ask.", content_note="Mentions fear"
    ).contribution

    page = trainer_client.get(circle_url(circle))
    html = page.content.decode()
    assert "I found it hard to ask." in html
    assert "Mentions fear" in html
    assert "Post by Robin" in html
    assert "no-store" in page["Cache-Control"]

    response = trainer_client.post(item_url("circles:approve", post), follow=True)

    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert messages_of(response) == ["Approved: the circle can read it now."]
    assert len(events(Action.APPROVED)) == 1

    again = trainer_client.post(item_url("circles:approve", post), follow=True)
    assert messages_of(again) == ["This is already shared with the circle."]
    assert len(events(Action.APPROVED)) == 1


def test_a_waiting_reply_shows_the_post_it_answers(trainer_client, circle, robin, sam):
    post = shared(robin, "A walk by the river helped me.")
    reply = services.reply_to(post=post, member=sam, text="Me too, thank you.")

    html = trainer_client.get(circle_url(circle)).content.decode()

    assert "Reply by Sam" in html
    assert "Me too, thank you." in html
    assert "Show the post it answers, by Robin" in html

    trainer_client.post(item_url("circles:approve", reply.contribution))
    assert Reply.objects.get().status == Reply.Status.PUBLISHED


def test_hiding_needs_a_note_which_is_kept_and_logged(trainer_client, robin):
    post = shared(robin)

    form = trainer_client.get(item_url("circles:hide", post))
    assert form.status_code == 200
    assert "What helped me was a walk." in form.content.decode()

    refused = trainer_client.post(item_url("circles:hide", post), {"note": "  "})
    assert refused.status_code == 200
    assert "Please write a short, kind note to the author" in refused.content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED

    note = "It names someone. Could you share it without the name?"
    response = trainer_client.post(
        item_url("circles:hide", post), {"note": note}, follow=True
    )
    post.refresh_from_db()
    assert (post.status, post.hidden_note) == (Post.Status.HIDDEN, note)
    assert [e.note for e in events(Action.HIDDEN)] == [note]
    assert messages_of(response)[0].startswith("Hidden.")

    again = trainer_client.post(
        item_url("circles:hide", post), {"note": "Another note"}, follow=True
    )
    assert messages_of(again) == ["This was already hidden."]
    assert [e.note for e in events(Action.HIDDEN)] == [note]


def test_a_hidden_post_can_be_shown_again(trainer_client, circle, robin):
    post = shared(robin)
    services.hide(contribution=post, trainer=None, note="Please take out the name.")
    assert "Please take out the name." in trainer_client.get(circle_url(circle)).text

    response = trainer_client.post(item_url("circles:approve", post), follow=True)

    post.refresh_from_db()
    assert (post.status, post.hidden_note) == (Post.Status.PUBLISHED, "")
    assert messages_of(response)[0].startswith("Shown again")


def test_reports_are_shown_with_reasons_and_can_be_cleared(
    trainer_client, circle, robin, sam
):
    post = shared(robin)
    services.report(
        member=sam, post=post, reason="private", details="It names my friend."
    )

    html = trainer_client.get(circle_url(circle)).content.decode()
    assert "It shares something private about someone (from Sam)" in html
    assert "It names my friend." in html

    response = trainer_client.post(item_url("circles:clear_reports", post), follow=True)

    assert Report.objects.get().resolved_at is not None
    assert Post.objects.get().status == Post.Status.PUBLISHED
    assert len(events(Action.REPORTS_CLEARED)) == 1
    assert messages_of(response) == [
        "Reports cleared. It stays in the circle as it is."
    ]

    again = trainer_client.post(item_url("circles:clear_reports", post), follow=True)
    assert messages_of(again) == ["There were no reports left to clear."]
    assert len(events(Action.REPORTS_CLEARED)) == 1


def test_ids_from_another_circle_answer_404(trainer_client, course, circle, robin):
    other = Cohort.objects.create(course=course, name="Autumn group", join_code="AUT")
    outsider = UserFactory(username="elsewhere")
    member = services.join_circle(
        circle=other.circle, learner=outsider, circle_name="Kit"
    )
    post = shared(member)
    reply = services.reply_to(post=post, member=member, text="Adding to it.")
    mine = circle.pk

    for url in (
        reverse("circles:approve", args=[mine, "posts", post.pk]),
        reverse("circles:hide", args=[mine, "posts", post.pk]),
        reverse("circles:clear_reports", args=[mine, "posts", post.pk]),
        reverse("circles:approve", args=[mine, "replies", reply.contribution.pk]),
        reverse("circles:remove_member", args=[mine, member.pk]),
        reverse("circles:return_member", args=[mine, member.pk]),
        reverse("circles:settings", args=[999999]),
    ):
        assert trainer_client.post(url, {"note": "Why"}).status_code == 404, url
    assert trainer_client.get(circle_url(other.circle)).status_code == 200
    assert (
        trainer_client.get(reverse("circles:inspect", args=[999999])).status_code == 404
    )
    assert Post.objects.get().status == Post.Status.PUBLISHED
    assert Member.objects.get(pk=member.pk).removed_at is None


# Members


def test_removing_a_member_asks_then_logs_it(trainer_client, circle, robin):
    url = reverse("circles:remove_member", args=[circle.pk, robin.pk])
    page = trainer_client.get(url)
    assert page.status_code == 200
    assert "user-robin" in page.content.decode()
    assert "Robin" not in page.context["header_title"]

    response = trainer_client.post(url, {"note": "Asked for a pause."}, follow=True)

    robin.refresh_from_db()
    assert robin.removed_at is not None
    assert [(e.member, e.note) for e in events(Action.MEMBER_REMOVED)] == [
        (robin, "Asked for a pause.")
    ]
    assert messages_of(response)[0].startswith("Robin is out of the circle")

    trainer_client.post(url, {"note": "Twice"})
    assert len(events(Action.MEMBER_REMOVED)) == 1

    trainer_client.post(reverse("circles:return_member", args=[circle.pk, robin.pk]))
    robin.refresh_from_db()
    assert robin.removed_at is None
    assert len(events(Action.MEMBER_RETURNED)) == 1


def test_members_are_listed_with_circle_name_username_and_joining(
    trainer_client, circle, robin
):
    html = trainer_client.get(circle_url(circle)).content.decode()
    assert "Robin" in html
    assert "user-robin" in html
    assert formats.date_format(robin.joined_at, "DATE_FORMAT") in html


# Closing


def test_closing_explains_then_closes_and_shows_the_deletion_date(
    trainer_client, circle, settings
):
    settings.PEERS_CLOSED_CIRCLE_DAYS = 30
    url = reverse("circles:close", args=[circle.pk])
    html = trainer_client.get(url).content.decode()
    assert "A circle closed for 30 days is deleted" in html
    assert "withdraw what they wrote" in html

    trainer_client.post(url)

    circle.refresh_from_db()
    assert circle.is_closed
    assert len(events(Action.CLOSED)) == 1
    deleted_on = timezone.localdate(circle.closed_at + timedelta(days=30))
    page = trainer_client.get(circle_url(circle)).content.decode()
    assert f"Will be deleted on {formats.date_format(deleted_on)}." in page

    trainer_client.post(url)
    assert len(events(Action.CLOSED)) == 1

    trainer_client.post(reverse("circles:reopen", args=[circle.pk]))
    circle.refresh_from_db()
    assert not circle.is_closed
    assert len(events(Action.REOPENED)) == 1


# Settings


def test_settings_changes_are_logged_and_nothing_changed_is_said(
    trainer_client, circle
):
    url = reverse("circles:settings", args=[circle.pk])
    assert trainer_client.get(url).status_code == 200
    wanted = {
        "moderation": "after",
        "learners_can_pair": "on",
        "allowed_hosts": "https://www.example.org/help",
    }

    response = trainer_client.post(url, wanted, follow=True)

    circle.refresh_from_db()
    assert (circle.moderation, circle.learners_can_pair, circle.allowed_hosts) == (
        Circle.Moderation.AFTER,
        True,
        "example.org",
    )
    assert messages_of(response) == ["Settings saved."]
    assert len(events(Action.SETTINGS)) == 1

    again = trainer_client.post(url, wanted, follow=True)
    assert messages_of(again) == ["Nothing changed."]
    assert len(events(Action.SETTINGS)) == 1


def test_settings_refuse_a_made_up_moderation(trainer_client, circle):
    url = reverse("circles:settings", args=[circle.pk])
    response = trainer_client.post(
        url, {"moderation": "never", "allowed_hosts": "example.org"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["moderation"]
    assert "example.org" in response.content.decode()
    circle.refresh_from_db()
    assert circle.moderation == Circle.Moderation.BEFORE


# Practice pairs


def test_a_trainer_makes_a_pair_once_even_when_sent_twice(
    trainer, trainer_client, circle, robin, sam
):
    url = reverse("circles:new_pair", args=[circle.pk])
    page = trainer_client.get(url)
    assert page.status_code == 200
    steps = page.context["form"].fields["scenario_page"].queryset
    assert [p.title for p in steps] == ["Lesson 1.1", "Lesson 1.2"]
    data = {
        "first": robin.pk,
        "second": sam.pk,
        "scenario": "Practise the privacy script",
        "scenario_page": steps[0].pk,
    }

    response = trainer_client.post(url, data, follow=True)
    trainer_client.post(url, data)

    pair = PracticePair.objects.get()
    assert (pair.first, pair.second, pair.made_by) == (robin, sam, trainer)
    assert pair.scenario_page_id == steps[0].pk
    assert [e.note for e in events(Action.PAIR_MADE)] == ["Practise the privacy script"]
    assert messages_of(response)[0].startswith("Robin and Sam are a practice pair")


def test_a_pair_form_refuses_bad_choices_and_keeps_the_text(
    trainer_client, course_index, circle, robin, sam
):
    url = reverse("circles:new_pair", args=[circle.pk])
    same = trainer_client.post(
        url, {"first": robin.pk, "second": robin.pk, "scenario": "Listening"}
    )
    assert same.status_code == 200
    assert "Please choose two different members." in same.content.decode()
    assert "Listening" in same.content.decode()

    other_course = CourseFactory(parent=course_index, title="Elsewhere", modules=1)
    foreign_lesson = other_course.get_descendants().last()
    services.remove_member(member=sam, trainer=None)
    tampered = trainer_client.post(
        url,
        {
            "first": robin.pk,
            "second": sam.pk,
            "scenario": "Listening",
            "scenario_page": foreign_lesson.pk,
        },
    )
    assert tampered.status_code == 200
    errors = tampered.context["form"].errors
    assert errors["second"] == ["Please choose someone from this circle's list."]
    assert errors["scenario_page"] == ["Please choose a lesson or quiz of this course."]
    assert not PracticePair.objects.exists()


def test_pair_feedback_shows_to_trainers_only_when_both_agreed(
    trainer, trainer_client, circle, robin, sam
):
    pair = services.make_pair(
        circle=circle,
        first=robin,
        second=sam,
        scenario="Practise saying no",
        trainer=trainer,
    )
    services.give_feedback(
        pair=pair,
        member=robin,
        what_helped="You kept a calm voice.",
        one_thing_to_try="Pause before answering.",
    )

    html = trainer_client.get(circle_url(circle)).content.decode()
    assert "Practise saying no" in html
    assert "Feedback stays between the two of them." in html
    assert "You kept a calm voice." not in html

    services.share_pair_with_trainers(pair=pair, member=robin, agree=True)
    assert "You kept a calm voice." not in trainer_client.get(circle_url(circle)).text

    services.share_pair_with_trainers(pair=pair, member=sam, agree=True)
    html = trainer_client.get(circle_url(circle)).content.decode()
    assert "You kept a calm voice." in html
    assert "Pause before answering." in html


# The log


def test_the_log_lists_every_action_newest_first(
    trainer, trainer_client, circle, robin
):
    post = services.share_post(member=robin, text="Hello.").contribution
    services.approve(contribution=post, trainer=trainer)
    services.remove_member(member=robin, trainer=trainer, note="A pause.")

    response = trainer_client.get(reverse("circles:log", args=[circle.pk]))

    assert response.status_code == 200
    assert [e.action for e in response.context["object_list"]] == [
        Action.MEMBER_REMOVED,
        Action.APPROVED,
    ]
    html = response.content.decode()
    assert "Member removed" in html
    assert "A pause." in html
    assert "trainer" in html
    assert "Hello." not in html
    log_url = reverse("circles:log", args=[circle.pk])
    assert trainer_client.post(log_url).status_code == 405


# Privacy


def test_a_private_reflection_is_never_shown_in_the_admin(
    trainer_client, circle, robin, sam
):
    lesson = circle.cohort.course.get_descendants().last()
    PrivateReflection.objects.create(
        learner=robin.learner,
        lesson=lesson,
        block_id="prompt-1",
        text="Only for me: the night I left.",
    )
    post = shared(robin)
    services.reply_to(post=post, member=sam, text="Thank you.")

    for url in admin_pages(circle, post, robin):
        response = trainer_client.get(url)
        assert response.status_code == 200, url
        assert "the night I left" not in response.content.decode(), url


# Who may open these pages


def admin_pages(circle, post, member) -> list[str]:
    pk = circle.pk
    return [
        reverse("circles:index"),
        reverse("circles:index_results"),
        reverse("circles:inspect", args=[pk]),
        reverse("circles:hide", args=[pk, "posts", post.pk]),
        reverse("circles:remove_member", args=[pk, member.pk]),
        reverse("circles:settings", args=[pk]),
        reverse("circles:close", args=[pk]),
        reverse("circles:reopen", args=[pk]),
        reverse("circles:new_pair", args=[pk]),
        reverse("circles:log", args=[pk]),
    ]


def admin_actions(circle, post, member, other) -> list[tuple[str, dict]]:
    pk = circle.pk
    return [
        (reverse("circles:approve", args=[pk, "posts", post.pk]), {}),
        (reverse("circles:hide", args=[pk, "posts", post.pk]), {"note": "Hidden"}),
        (reverse("circles:clear_reports", args=[pk, "posts", post.pk]), {}),
        (reverse("circles:remove_member", args=[pk, member.pk]), {}),
        (reverse("circles:return_member", args=[pk, member.pk]), {}),
        (
            reverse("circles:settings", args=[pk]),
            {"moderation": "after", "allowed_hosts": ""},
        ),
        (reverse("circles:close", args=[pk]), {}),
        (reverse("circles:reopen", args=[pk]), {}),
        (
            reverse("circles:new_pair", args=[pk]),
            {"first": member.pk, "second": other.pk, "scenario": "Taken over"},
        ),
    ]


def refused(response) -> bool:
    """Wagtail's refusal: 403, or back to the dashboard or the login with a message."""
    return response.status_code == 403 or (
        response.status_code == 302
        and response.url.split("?")[0] in (reverse("wagtailadmin_home"), admin_login())
    )


def admin_login() -> str:
    return getattr(
        site_settings, "WAGTAILADMIN_LOGIN_URL", reverse("wagtailadmin_login")
    )


@pytest.fixture(params=["Editors", "Moderators", "learner", "moderate_circle only"])
def someone_else(request, client, home, robin):
    if request.param == "learner":
        user = robin.learner
    else:
        user = UserFactory(username="someone-else", is_staff=True)
        if request.param == "moderate_circle only":
            user.user_permissions.add(
                Permission.objects.get(codename="access_admin"),
                Permission.objects.get(codename="moderate_circle"),
            )
        else:
            user.groups.add(Group.objects.get(name=request.param))
    client.force_login(user)
    return client


def test_no_one_but_trainers_opens_or_changes_a_circle(
    someone_else, circle, robin, sam
):
    post = services.share_post(member=robin, text="Waiting words.").contribution
    services.report(member=sam, post=post, reason="other")

    for url in admin_pages(circle, post, robin):
        response = someone_else.get(url)
        assert refused(response), url
        assert b"Waiting words." not in response.content, url
    for url, data in admin_actions(circle, post, robin, sam):
        assert refused(someone_else.post(url, data)), url

    post.refresh_from_db()
    circle.refresh_from_db()
    robin.refresh_from_db()
    assert post.status == Post.Status.WAITING
    assert (circle.moderation, circle.is_closed) == (Circle.Moderation.BEFORE, False)
    assert robin.removed_at is None
    assert not PracticePair.objects.exists()
    assert not ModerationEvent.objects.exists()
    html = someone_else.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("circles:index") not in html


def test_anonymous_visitors_are_sent_to_the_admin_login(client, circle, robin, sam):
    post = services.share_post(member=robin, text="Waiting words.").contribution
    login = admin_login()
    for url in admin_pages(circle, post, robin):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
    for url, data in admin_actions(circle, post, robin, sam):
        assert client.post(url, data).url.startswith(login), url
    assert Post.objects.get().status == Post.Status.WAITING


# What the page costs


def _fill(circle, members, trainer, count: int) -> None:
    """`count` posts of each kind a trainer sees, with replies, reports and a pair."""
    robin, sam = members
    for n in range(count):
        post = shared(robin, f"Shared post {n}")
        reply = services.reply_to(post=post, member=sam, text=f"Reply {n}")
        services.approve(contribution=reply.contribution, trainer=None)
        services.reply_to(post=post, member=sam, text=f"Waiting reply {n}")
        services.report(member=sam, post=post, reason="other")
        services.share_post(member=sam, text=f"Waiting post {n}")
        hidden = shared(sam, f"Hidden post {n}")
        services.hide(contribution=hidden, trainer=None, note="A note.")
        pair = services.make_pair(
            circle=circle,
            first=robin,
            second=sam,
            scenario=f"Scenario {n}",
            trainer=trainer,
        )
        for member in members:
            services.share_pair_with_trainers(pair=pair, member=member, agree=True)
            services.give_feedback(
                pair=pair, member=member, what_helped="Calm.", one_thing_to_try="Pause."
            )


def test_the_circle_page_costs_the_same_with_3_posts_as_with_10(
    trainer, trainer_client, circle, robin, sam
):
    _fill(circle, (robin, sam), trainer, 3)
    with_three = count_queries(trainer_client, circle_url(circle))
    _fill(circle, (robin, sam), trainer, 7)
    with_ten = count_queries(trainer_client, circle_url(circle))

    # Nine are the admin's own (the user, permissions, the menu).
    assert [with_three, with_ten] == [22, 22]


def test_the_list_of_circles_costs_the_same_for_1_circle_as_for_4(
    trainer_client, course, circle, robin
):
    shared(robin)
    with_one = count_queries(trainer_client, reverse("circles:index"))
    for n in range(3):
        Cohort.objects.create(course=course, name=f"Group {n}", join_code=f"G{n}X")
    with_four = count_queries(trainer_client, reverse("circles:index"))
    assert [with_one, with_four] == [11, 11]


def test_a_cohort_page_links_trainers_to_its_circle(client, trainer, circle):
    client.force_login(trainer)
    response = client.get(reverse("cohorts:inspect", args=[circle.cohort.pk]))
    assert reverse("circles:inspect", args=[circle.pk]) in response.content.decode()
