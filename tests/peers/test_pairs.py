"""Practice pairs as their two members meet them, and as everyone else does not."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from courses.outline import course_outline
from peers import services
from peers.models import PracticeFeedback, PracticePair
from tests.factories import UserFactory

SCENARIO = "Practise the privacy script"


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def words(response) -> str:
    return " ".join(page(response).get_text().split())


@pytest.fixture
def client_of(client):
    def log_in(member):
        client.force_login(member.learner)
        return client

    return log_in


@pytest.fixture
def pairing_allowed(circle):
    circle.learners_can_pair = True
    circle.save()
    return circle


@pytest.fixture
def pair(circle, robin, sam, trainer):
    return services.make_pair(
        circle=circle, first=robin, second=sam, scenario=SCENARIO, trainer=trainer
    )


def urls(circle, pair) -> list[str]:
    return [
        reverse("peers:pairs", args=[circle.pk]),
        reverse("peers:new_pair", args=[circle.pk]),
        reverse("peers:pair", args=[circle.pk, pair.pk]),
    ]


# --- Who gets in --------------------------------------------------------------


def test_anyone_not_a_member_gets_404_on_every_pair_address(
    client, circle, pair, outsider, make_member, trainer
):
    from courses.services import enrol

    not_joined = UserFactory(username="not-joined")
    enrol(learner=not_joined, course=circle.cohort.course, join_code="SPRING")
    removed = make_member("Ali")
    services.remove_member(member=removed, trainer=trainer)

    for user in (outsider, not_joined, removed.learner):
        client.force_login(user)
        for url in urls(circle, pair):
            assert client.get(url).status_code == 404, (user, url)
        for url in urls(circle, pair)[1:]:
            assert client.post(url, {"scenario": "x"}).status_code == 404
    assert PracticePair.objects.count() == 1


def test_a_member_outside_the_pair_gets_404_and_changes_nothing(
    client_of, circle, pair, make_member
):
    client = client_of(make_member("Ali"))
    url = reverse("peers:pair", args=[circle.pk, pair.pk])

    assert client.get(url).status_code == 404
    response = client.post(
        url, {"form": "feedback", "what_helped": "x", "one_thing_to_try": "y"}
    )
    assert response.status_code == 404
    assert client.post(url, {"form": "share", "agree": "on"}).status_code == 404
    assert not PracticeFeedback.objects.exists()
    pair.refresh_from_db()
    assert not (pair.first_shares_with_trainers or pair.second_shares_with_trainers)


def test_a_pair_is_not_reached_through_another_circle(
    client_of, pair, robin, course_index
):
    from courses.models import Cohort
    from courses.services import enrol
    from tests.factories import CourseFactory

    other_course = CourseFactory(parent=course_index, title="Other", slug="other")
    cohort = Cohort.objects.create(course=other_course, name="Other", join_code="OTH")
    enrol(learner=robin.learner, course=other_course, join_code="OTH")
    elsewhere = services.join_circle(
        circle=cohort.circle, learner=robin.learner, circle_name="Robin"
    )
    client = client_of(robin)

    url = reverse("peers:pair", args=[elsewhere.circle_id, pair.pk])
    assert client.get(url).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, circle, pair):
    for url in urls(circle, pair):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- The list -----------------------------------------------------------------


def test_the_list_shows_the_other_person_by_circle_name_and_feedback_in_words(
    client_of, circle, pair, robin, sam
):
    services.give_feedback(
        pair=pair, member=sam, what_helped="Calm voice.", one_thing_to_try="Pause."
    )

    response = client_of(robin).get(reverse("peers:pairs", args=[circle.pk]))

    text = words(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Practise with Sam" in text
    assert SCENARIO in text
    assert "You have not given your feedback yet." in text
    assert "Sam has given their feedback." in text
    assert "user-sam" not in text
    assert "Calm voice." not in text  # the feedback itself is on the pair's page
    link = page(response).find("a", string="Practise with Sam")
    assert link["href"] == reverse("peers:pair", args=[circle.pk, pair.pk])
    assert page(response).title.get_text().startswith("Practice pairs")


def test_the_invite_link_shows_only_where_members_may_pair_and_the_circle_is_open(
    client_of, circle, robin, trainer
):
    client = client_of(robin)
    url = reverse("peers:pairs", args=[circle.pk])
    invite = reverse("peers:new_pair", args=[circle.pk])

    assert not page(client.get(url)).find("a", href=invite)
    circle.learners_can_pair = True
    circle.save()
    assert page(client.get(url)).find("a", href=invite).get_text() == (
        "Invite someone to practise"
    )
    services.close_circle(circle=circle, trainer=trainer)
    assert not page(client.get(url)).find("a", href=invite)


# --- Inviting -----------------------------------------------------------------


def test_where_the_trainer_makes_pairs_the_invite_page_says_so(
    client_of, circle, robin, trainer
):
    client = client_of(robin)
    url = reverse("peers:new_pair", args=[circle.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert "your trainer makes the practice pairs" in words(response)
    assert not page(response).find("main").find("form")

    circle.learners_can_pair = True
    circle.save()
    services.close_circle(circle=circle, trainer=trainer)
    response = client.get(url)
    assert response.status_code == 200
    assert "This circle is closed" in words(response)


def test_a_member_invites_another_for_a_scenario_from_a_lesson(
    client_of, pairing_allowed, robin, sam
):
    circle = pairing_allowed
    lesson = course_outline(circle.cohort.course).steps[1]
    client = client_of(robin)
    url = reverse("peers:new_pair", args=[circle.pk])

    form = page(client.get(url))
    assert [o.get_text() for o in form.select("#id_partner option")] == [
        "Choose a person",
        "Sam",
    ]
    assert "Lesson 1.2" in [
        o.get_text() for o in form.select("#id_scenario_page option")
    ]
    for field in ("partner", "scenario", "scenario_page"):
        assert form.find("label", attrs={"for": f"id_{field}"})

    response = client.post(
        url, {"partner": sam.pk, "scenario": SCENARIO, "scenario_page": lesson.id}
    )

    pair = PracticePair.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("peers:pair", args=[circle.pk, pair.pk])
    assert (pair.first, pair.second, pair.made_by) == (robin, sam, robin.learner)
    assert (pair.scenario, pair.scenario_page_id) == (SCENARIO, lesson.id)
    shown = client.get(response["Location"])
    assert page(shown).find("a", href=lesson.url).get_text() == "Lesson 1.2"
    assert "Your practice pair is ready" in words(shown)


def test_a_refused_invitation_says_why_and_keeps_what_was_typed(
    client_of, circle, robin, sam, trainer
):
    client = client_of(robin)
    url = reverse("peers:new_pair", args=[circle.pk])

    response = client.post(url, {"partner": sam.pk, "scenario": SCENARIO})

    assert response.status_code == 200
    assert "practice pairs are made by your trainer" in words(response)
    form = page(response)
    assert form.find("input", attrs={"name": "scenario"})["value"] == SCENARIO
    assert form.select_one("#id_partner option[selected]").get_text() == "Sam"
    assert not PracticePair.objects.exists()


def test_an_invitation_without_a_scenario_or_a_person_is_refused_in_words(
    client_of, pairing_allowed, robin, sam
):
    client = client_of(robin)
    url = reverse("peers:new_pair", args=[pairing_allowed.pk])

    no_scenario = client.post(url, {"partner": sam.pk, "scenario": "  "})
    assert no_scenario.status_code == 200
    assert "Please say what the pair will practise." in words(no_scenario)
    no_person = client.post(url, {"scenario": SCENARIO})
    assert "Please choose who you would like to practise with." in words(no_person)
    themself = client.post(url, {"partner": robin.pk, "scenario": SCENARIO})
    assert "Please choose someone from the list." in words(themself)
    assert not PracticePair.objects.exists()


def test_removed_members_are_not_offered(
    client_of, pairing_allowed, robin, sam, make_member, trainer
):
    services.remove_member(member=make_member("Ali"), trainer=trainer)
    form = page(
        client_of(robin).get(reverse("peers:new_pair", args=[pairing_allowed.pk]))
    )
    assert [o.get_text() for o in form.select("#id_partner option")][1:] == ["Sam"]


def test_an_invitation_sent_twice_makes_one_pair(
    client_of, pairing_allowed, robin, sam
):
    client = client_of(robin)
    url = reverse("peers:new_pair", args=[pairing_allowed.pk])
    first = client.post(url, {"partner": sam.pk, "scenario": SCENARIO})
    again = client.post(url, {"partner": sam.pk, "scenario": SCENARIO})
    assert first["Location"] == again["Location"]
    assert PracticePair.objects.count() == 1


# --- A pair's page --------------------------------------------------------------


def test_the_pair_page_explains_how_to_practise(client_of, circle, pair, robin):
    response = client_of(robin).get(reverse("peers:pair", args=[circle.pk, pair.pk]))
    text = words(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert SCENARIO in text
    assert "10 minutes" in text
    assert "Take turns" in text
    assert "stop at any time" in text
    assert "Sam has not written feedback for you yet." in text
    form = page(response)
    for field in ("what_helped", "one_thing_to_try", "agree"):
        assert form.find("label", attrs={"for": f"id_{field}"}), field
    assert form.find("label", attrs={"for": "id_what_helped"}).get_text().strip() == (
        "What helped"
    )


def test_feedback_is_saved_shown_to_the_other_and_can_be_changed(
    client_of, client, circle, pair, robin, sam
):
    url = reverse("peers:pair", args=[circle.pk, pair.pk])
    robin_client = client_of(robin)

    response = robin_client.post(
        url,
        {
            "form": "feedback",
            "what_helped": "Calm voice.",
            "one_thing_to_try": "Pause.",
        },
    )
    assert response.status_code == 302
    again = page(robin_client.get(url))
    assert again.find("textarea", attrs={"name": "what_helped"}).get_text().strip() == (
        "Calm voice."
    )
    assert "Feedback from Sam" in again.get_text()
    assert "Calm voice." not in again.find(id="their-feedback-title").parent.get_text()

    robin_client.post(
        url,
        {
            "form": "feedback",
            "what_helped": "Warm voice.",
            "one_thing_to_try": "Pause.",
        },
    )
    assert PracticeFeedback.objects.get().what_helped == "Warm voice."

    sam_page = words(client_of(sam).get(url))
    assert "Feedback from Robin What helped Warm voice. One thing to try Pause." in (
        sam_page
    )


def test_feedback_refused_keeps_the_text(client_of, circle, pair, robin):
    url = reverse("peers:pair", args=[circle.pk, pair.pk])
    long_text = "word " * 250

    client = client_of(robin)

    too_long = client.post(
        url,
        {"form": "feedback", "what_helped": long_text, "one_thing_to_try": "Go on."},
    )
    half = client.post(
        url, {"form": "feedback", "what_helped": "Calm voice.", "one_thing_to_try": ""}
    )

    assert too_long.status_code == half.status_code == 200
    assert "Please keep it to 1000 characters or fewer" in words(too_long)
    box = page(too_long).find("textarea", attrs={"name": "what_helped"})
    assert box.get_text().strip() == long_text.strip()
    assert "Please fill in both parts of the feedback." in words(half)
    box = page(half).find("textarea", attrs={"name": "what_helped"})
    assert box.get_text().strip() == "Calm voice."
    assert not PracticeFeedback.objects.exists()


def test_feedback_that_mentions_self_harm_shows_support_before_it_is_saved(
    client_of, circle, pair, robin, support_settings
):
    url = reverse("peers:pair", args=[circle.pk, pair.pk])
    client = client_of(robin)
    words_written = {
        "form": "feedback",
        "what_helped": "You listened when I said I want to die.",
        "one_thing_to_try": "Slow down.",
    }

    response = client.post(url, words_written)

    assert response.status_code == 200
    shown = page(response)
    assert "Before you send it" in shown.get_text()
    assert shown.find("a", href=reverse("take_a_break"))
    box = shown.find("textarea", attrs={"name": "what_helped"})
    buttons = box.find_parent("form").find_all("button")
    assert [b.get_text() for b in buttons] == ["Send it", "Keep editing"]
    assert box.get_text().strip() == words_written["what_helped"]
    assert not PracticeFeedback.objects.exists()

    editing = client.post(
        url, {**words_written, "support_seen": "True", "keep_editing": "1"}
    )
    assert editing.status_code == 200
    assert "Before you send it" not in page(editing).get_text()
    seen = page(editing).find("input", attrs={"name": "support_seen"})
    assert seen.get("value") != "True"
    assert not PracticeFeedback.objects.exists()

    sent = client.post(url, {**words_written, "support_seen": "True"})
    assert sent.status_code == 302
    assert PracticeFeedback.objects.get().what_helped == words_written["what_helped"]


def test_the_trainer_sees_feedback_only_when_both_say_yes(
    client_of, circle, pair, robin, sam
):
    url = reverse("peers:pair", args=[circle.pk, pair.pk])

    client_of(robin).post(url, {"form": "share", "agree": "on"})
    pair.refresh_from_db()
    assert not pair.shared_with_trainers
    text = words(client_of(sam).get(url))
    assert "Robin said yes." in text
    assert "You have not said yes." in text
    assert "only if both of you agree" in text

    client_of(sam).post(url, {"form": "share", "agree": "on"})
    pair.refresh_from_db()
    assert pair.shared_with_trainers
    shown = page(client_of(sam).get(url))
    assert shown.find("input", attrs={"name": "agree"}).has_attr("checked")
    assert "You both said yes" in shown.get_text()

    client_of(sam).post(url, {"form": "share"})
    pair.refresh_from_db()
    assert not pair.shared_with_trainers
