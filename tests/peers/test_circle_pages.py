"""A member's circle pages, as learners meet them: sharing, replying, and safety."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Cohort
from courses.services import add_learners_to_cohort
from peers import services
from peers.models import Acknowledgement, Circle, Post, Reply, Report
from tests.factories import CourseFactory, UserFactory


def _client(member) -> Client:
    client = Client()
    client.force_login(member.learner)
    return client


def _url(name, circle, *args):
    return reverse(f"peers:{name}", args=[circle.pk, *args])


def _share(client, circle, text, **fields):
    data = {"text": text, "content_note": "", "token": str(uuid.uuid4()), **fields}
    return client.post(_url("share", circle), data)


def _after(circle):
    circle.moderation = Circle.Moderation.AFTER
    circle.save()


def _shared(member, text="A walk helped me.", **fields):
    post = services.share_post(member=member, text=text, **fields).contribution
    services.approve(contribution=post, trainer=None)
    post.refresh_from_db()
    return post


def _support_step(html: str) -> str:
    found = re.search(r'<section class="support-step".*?</section>', html, re.S)
    return found.group() if found else ""


def test_two_members_share_and_reply_under_circle_names_only(circle, robin, sam):
    _after(circle)
    robin_client, sam_client = _client(robin), _client(sam)

    response = _share(robin_client, circle, "Listening to my sister helped me.")
    assert response.status_code == 302
    post = Post.objects.get()

    feed = sam_client.get(_url("circle", circle)).content.decode()
    assert "Listening to my sister helped me." in feed
    assert "Robin" in feed

    response = sam_client.post(
        _url("reply", circle, post.pk),
        {"text": "Thank you for saying that.", "token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    page = robin_client.get(_url("post", circle, post.pk)).content.decode()
    assert "Thank you for saying that." in page
    assert "Sam" in page

    for html in (feed, page):
        assert "user-robin" not in html
        assert "user-sam" not in html


def test_a_learner_in_the_cohort_joins_under_a_name_of_their_own(circle):
    learner = UserFactory(username="quiet-fox")
    add_learners_to_cohort(cohort=circle.cohort, usernames=[learner.username])
    client = Client()
    client.force_login(learner)

    response = client.get(_url("circle", circle))
    assert response.status_code == 302
    assert response["Location"] == _url("join", circle)
    page = client.get(_url("join", circle)).content.decode()
    assert "not your username" in page
    assert "e-mail address is never shown" in page

    refused = client.post(_url("join", circle), {"circle_name": "Quiet-Fox"})
    assert refused.status_code == 200
    assert "not your username" in refused.content.decode()
    assert 'value="Quiet-Fox"' in refused.content.decode()

    joined = client.post(_url("join", circle), {"circle_name": "Kestrel"})
    assert joined["Location"] == _url("circle", circle)
    assert "Kestrel" in client.get(_url("circle", circle)).content.decode()


def _every_circle_url(circle, post, reply):
    return [
        _url("circle", circle),
        _url("join", circle),
        _url("member_settings", circle),
        _url("share", circle),
        _url("post", circle, post.pk),
        _url("reply", circle, post.pk),
        _url("edit_post", circle, post.pk),
        _url("withdraw_post", circle, post.pk),
        _url("report_post", circle, post.pk),
        _url("acknowledge", circle, post.pk),
        _url("edit_reply", circle, reply.pk),
        _url("withdraw_reply", circle, reply.pk),
        _url("report_reply", circle, reply.pk),
    ]


def test_someone_outside_the_circle_gets_404_everywhere(circle, robin, sam, outsider):
    post = _shared(robin)
    reply = services.reply_to(post=post, member=sam, text="Me too.").contribution
    client = Client()
    client.force_login(outsider)
    for url in _every_circle_url(circle, post, reply):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x", "kind": "hear_you"}).status_code == 404

    assert Post.objects.count() == 1
    assert Reply.objects.count() == 1


def test_a_removed_member_gets_404_everywhere(circle, robin, sam, trainer):
    post = _shared(robin)
    reply = services.reply_to(post=post, member=sam, text="Me too.").contribution
    services.remove_member(member=sam, trainer=trainer)
    client = _client(sam)
    for url in _every_circle_url(circle, post, reply):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x"}).status_code == 404, url


def test_signed_out_visitors_are_asked_to_log_in(client, circle):
    response = client.get(_url("circle", circle))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_posts_of_another_circle_are_not_found_through_this_one(
    circle, course_index, robin
):
    other_course = CourseFactory(parent=course_index, title="Other", slug="other")
    other_cohort = Cohort.objects.create(
        course=other_course, name="Autumn", join_code="AUTUMN"
    )
    stranger = UserFactory(username="stranger")
    add_learners_to_cohort(cohort=other_cohort, usernames=["stranger"])
    other_member = services.join_circle(
        circle=other_cohort.circle, learner=stranger, circle_name="Wren"
    )
    elsewhere = _shared(other_member, "Somewhere else.")

    client = _client(robin)
    assert client.get(_url("post", circle, elsewhere.pk)).status_code == 404
    assert client.post(_url("edit_post", circle, elsewhere.pk)).status_code == 404
    assert client.post(_url("withdraw_post", circle, elsewhere.pk)).status_code == 404
    assert (
        client.post(
            _url("acknowledge", circle, elsewhere.pk), {"kind": "me_too", "on": "1"}
        ).status_code
        == 404
    )
    assert Post.objects.filter(pk=elsewhere.pk).exists()


def test_a_waiting_post_is_seen_by_its_author_only_until_a_trainer_approves(
    circle, robin, sam, trainer
):
    robin_client, sam_client = _client(robin), _client(sam)
    response = _share(robin_client, circle, "Some days are heavy.")
    assert response.status_code == 302
    message = robin_client.get(response["Location"]).content.decode()
    assert "A trainer reads it first" in message
    post = Post.objects.get()

    mine = robin_client.get(_url("circle", circle)).content.decode()
    assert "Some days are heavy." in mine
    assert "Waiting for a trainer" in mine
    assert (
        "Some days are heavy."
        not in sam_client.get(_url("circle", circle)).content.decode()
    )
    assert sam_client.get(_url("post", circle, post.pk)).status_code == 404

    services.approve(contribution=post, trainer=trainer)

    theirs = sam_client.get(_url("circle", circle)).content.decode()
    assert "Some days are heavy." in theirs
    assert "Waiting for a trainer" not in theirs


def test_a_trainers_note_on_a_hidden_post_is_shown_to_its_author_alone(
    circle, robin, sam, trainer
):
    post = _shared(robin, "Names of people at my old work.")
    services.hide(contribution=post, trainer=trainer, note="Please leave out names.")

    mine = _client(robin).get(_url("circle", circle)).content.decode()
    assert "Hidden by a trainer" in mine
    assert "Please leave out names." in mine
    theirs = _client(sam).get(_url("circle", circle)).content.decode()
    assert "Please leave out names." not in theirs
    assert "Names of people" not in theirs


def test_withdrawing_a_post_deletes_it_and_its_replies_for_good(circle, robin, sam):
    post = _shared(robin)
    services.reply_to(post=post, member=sam, text="Thank you.")
    client = _client(robin)

    confirm = client.get(_url("withdraw_post", circle, post.pk)).content.decode()
    assert "deleted for good" in confirm
    assert Post.objects.exists()

    response = client.post(_url("withdraw_post", circle, post.pk))
    assert response["Location"] == _url("circle", circle)
    assert not Post.objects.exists()
    assert not Reply.objects.exists()


def test_only_the_author_may_change_or_withdraw(circle, robin, sam):
    post = _shared(robin)
    client = _client(sam)
    assert client.get(_url("edit_post", circle, post.pk)).status_code == 404
    assert client.post(_url("withdraw_post", circle, post.pk)).status_code == 404
    assert Post.objects.exists()


def test_editing_keeps_the_words_and_waits_again(circle, robin, sam):
    post = _shared(robin)
    client = _client(robin)
    page = client.get(_url("edit_post", circle, post.pk)).content.decode()
    assert "A walk helped me." in page

    client.post(
        _url("edit_post", circle, post.pk), {"text": "A long walk.", "content_note": ""}
    )
    post.refresh_from_db()
    assert post.text == "A long walk."
    assert post.status == Post.Status.WAITING


def test_self_harm_words_show_support_first_and_save_nothing_until_sent(
    circle, robin, support_settings
):
    client = _client(robin)
    token = str(uuid.uuid4())
    text = "Some nights I want to die."
    data = {"text": text, "content_note": "", "token": token}

    response = client.post(_url("share", circle), data)

    assert response.status_code == 200
    html = response.content.decode()
    step = _support_step(html)
    assert "988 Suicide &amp; Crisis Lifeline" in step
    assert "Nothing has been sent" in step
    assert text in html
    assert "Send it" in html
    assert "Keep editing" in html
    assert not Post.objects.exists()
    assert not Report.objects.exists()

    sent = client.post(_url("share", circle), {**data, "support_seen": "1"})
    assert sent.status_code == 302
    assert Post.objects.get().text == text


def test_self_harm_words_in_a_reply_or_an_edit_show_support_first(
    circle, robin, sam, support_settings
):
    post = _shared(robin)
    client = _client(sam)
    response = client.post(
        _url("reply", circle, post.pk),
        {"text": "I have thought about suicide too.", "token": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert "988" in _support_step(response.content.decode())
    assert not Reply.objects.exists()

    response = _client(robin).post(
        _url("edit_post", circle, post.pk),
        {"text": "I wanted to hurt myself.", "content_note": ""},
    )
    assert response.status_code == 200
    assert _support_step(response.content.decode())
    post.refresh_from_db()
    assert post.text == "A walk helped me."


def test_links_to_sites_no_trainer_allowed_are_text(circle, robin, sam):
    circle.allowed_hosts = "example.org"
    circle.save()
    _shared(robin, "See https://help.example.org/a and https://example.org.evil.com/b")

    html = _client(sam).get(_url("circle", circle)).content.decode()

    assert (
        '<a href="https://help.example.org/a" rel="nofollow noopener noreferrer">'
        in html
    )
    assert 'href="https://example.org.evil.com' not in html
    assert "link switched off: a trainer has not allowed this site" in html


def test_responses_are_words_and_names_never_counts(circle, robin, sam, make_member):
    post = _shared(robin)
    ali = make_member("Ali")
    for member in (sam, ali):
        services.set_acknowledgement(post=post, member=member, kind="hear_you", on=True)
    services.reply_to(post=post, member=sam, text="Thank you.")
    services.approve(contribution=Reply.objects.get(), trainer=None)

    for html in (
        _client(robin).get(_url("circle", circle)).content.decode(),
        _client(robin).get(_url("post", circle, post.pk)).content.decode(),
    ):
        assert "I hear you — Sam, Ali" in html
        assert not re.search(r"\b\d+\s+(repl|respon|acknowledg|people|member)", html)


def test_a_response_is_given_and_taken_back(circle, robin, sam):
    post = _shared(robin)
    client = _client(sam)
    url = _url("acknowledge", circle, post.pk)

    client.post(url, {"kind": "me_too", "on": "1"})
    assert Acknowledgement.objects.filter(member=sam, kind="me_too").exists()
    page = client.get(_url("circle", circle)).content.decode()
    assert 'aria-pressed="true"' in page

    client.post(url, {"kind": "me_too", "on": "0"})
    assert not Acknowledgement.objects.exists()


def test_an_unknown_response_is_refused_with_words(circle, robin, sam):
    post = _shared(robin)
    client = _client(sam)
    response = client.post(
        _url("acknowledge", circle, post.pk), {"kind": "like", "on": "1"}, follow=True
    )
    assert response.status_code == 200
    assert "Please choose one of the responses offered." in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_a_member_tells_a_trainer_with_a_reason(circle, robin, sam):
    post = _shared(robin)
    client = _client(sam)
    url = _url("report_post", circle, post.pk)

    refused = client.post(url, {"reason": "because", "details": "It upset me."})
    assert refused.status_code == 200
    assert "Please choose one of the reasons" in refused.content.decode()
    assert "It upset me." in refused.content.decode()

    client.post(url, {"reason": "unkind", "details": "It upset me."})
    assert Report.objects.get().reason == "unkind"
    assert "You told a trainer" in client.get(_url("circle", circle)).content.decode()
    assert _client(robin).get(url).status_code == 404  # not one's own post


def test_a_reply_can_be_reported_changed_and_withdrawn(circle, robin, sam):
    post = _shared(robin)
    reply = services.reply_to(post=post, member=sam, text="Me too.").contribution
    services.approve(contribution=reply, trainer=None)

    _client(robin).post(_url("report_reply", circle, reply.pk), {"reason": "other"})
    assert Report.objects.get().reply == reply

    client = _client(sam)
    client.post(_url("edit_reply", circle, reply.pk), {"text": "Me too, often."})
    reply.refresh_from_db()
    assert reply.text == "Me too, often."
    client.post(_url("withdraw_reply", circle, reply.pk))
    assert not Reply.objects.exists()


def test_a_closed_circle_is_read_but_takes_nothing_new(circle, robin, sam, trainer):
    post = _shared(robin)
    services.close_circle(circle=circle, trainer=trainer)
    client = _client(robin)

    feed = client.get(_url("circle", circle)).content.decode()
    assert "This circle is closed." in feed
    assert "A walk helped me." in feed
    assert _url("share", circle) not in feed

    response = _share(client, circle, "One more thought.")
    assert response.status_code == 200
    assert "This circle is closed" in response.content.decode()
    assert "One more thought." in response.content.decode()
    assert Post.objects.count() == 1

    client.post(_url("withdraw_post", circle, post.pk))
    assert not Post.objects.exists()


def test_a_refusal_keeps_every_word(circle, robin):
    text = "Words. " * 700
    response = _share(_client(robin), circle, text)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please keep it to 4000 characters or fewer" in html
    assert text.strip() in html
    assert not Post.objects.exists()


def test_pressing_share_twice_shares_once(circle, robin):
    client = _client(robin)
    data = {"text": "Only once.", "content_note": "", "token": str(uuid.uuid4())}
    client.post(_url("share", circle), data)
    second = client.post(_url("share", circle), data, follow=True)
    assert Post.objects.count() == 1
    assert "already sent this" in second.content.decode()


def test_a_content_note_keeps_the_post_closed_until_chosen(circle, robin, sam):
    _shared(robin, "About my brother.", content_note="family trouble")
    html = _client(sam).get(_url("circle", circle)).content.decode()
    note = re.search(
        r'<div class="circle-note">(.*?)<details>(.*?)</details>', html, re.S
    )
    assert note is not None
    before, folded = note.groups()
    # The note and the choices come first; the words only once opened.
    assert "family trouble" in before and "/break/?next=" in before
    assert "About my brother." not in before and "About my brother." in folded
    assert "<details open" not in html


def test_the_circle_name_is_changed_and_the_email_choice_kept(circle, robin):
    robin.learner.email = "robin@example.org"
    robin.learner.save()
    client = _client(robin)
    page = client.get(_url("member_settings", circle)).content.decode()
    assert "What others see of you" in page

    client.post(
        _url("member_settings", circle), {"circle_name": "Robin B", "wants_email": "on"}
    )
    robin.refresh_from_db()
    assert robin.circle_name == "Robin B"
    assert robin.wants_email


@pytest.mark.parametrize("name", ["circle", "share", "member_settings"])
def test_circle_pages_are_never_kept_by_the_browser(circle, robin, name):
    response = _client(robin).get(_url(name, circle))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_my_learning_shows_the_circle_or_the_way_to_join_it(
    circle, robin, make_member, trainer
):
    html = _client(robin).get("/learn/").content.decode()
    assert "Your practice circle" in html
    assert _url("circle", circle) in html

    newcomer = UserFactory(username="newcomer")
    add_learners_to_cohort(cohort=circle.cohort, usernames=["newcomer"])
    client = Client()
    client.force_login(newcomer)
    assert _url("join", circle) in client.get("/learn/").content.decode()

    services.remove_member(member=robin, trainer=trainer)
    assert "Your practice circle" not in _client(robin).get("/learn/").content.decode()


def test_a_reply_to_a_post_deleted_meanwhile_gives_the_words_back(client, robin, sam):
    post = services.share_post(member=robin, text="Hello all.").contribution
    services.approve(contribution=post, trainer=None)
    post_id = post.pk
    services.withdraw_post(post=post, member=robin)
    client.force_login(sam.learner)
    response = client.post(
        reverse("peers:reply", args=[sam.circle_id, post_id]),
        {"text": "Thank you for this."},
    )
    assert response.status_code == 404
    assert "Thank you for this." in response.content.decode()
    assert "no longer there" in response.content.decode()


def test_a_removed_member_can_still_delete_all_they_wrote(client, robin, sam, trainer):
    post = services.share_post(member=robin, text="Hello all.").contribution
    services.approve(contribution=post, trainer=None)
    services.reply_to(post=post, member=robin, text="And one more thing.")
    kept = services.share_post(member=sam, text="Sam's own words.").contribution
    services.remove_member(member=robin, trainer=trainer)

    # What Robin wrote leaves the circle with them.
    client.force_login(sam.learner)
    feed = client.get(reverse("peers:circle", args=[sam.circle_id])).content.decode()
    assert "Hello all." not in feed

    client.force_login(robin.learner)
    data = client.get(reverse("your_data")).content.decode()
    assert reverse("peers:delete_my_writing") in data
    page = client.get(reverse("peers:delete_my_writing"))
    assert page.status_code == 200
    response = client.post(reverse("peers:delete_my_writing"))
    assert response.status_code == 302
    assert list(Post.objects.all()) == [kept]
    assert not Reply.objects.exists()
