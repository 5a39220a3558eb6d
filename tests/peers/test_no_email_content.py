"""No e-mail the site sends about a circle carries what anyone wrote.

Every write that can lead to an e-mail is run for members who asked for
e-mail (and for announcements too), with the queued tasks run as the worker
would; then every message, whole, is searched for the words people wrote,
their circle names, their usernames and the course's title.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from peers import services
from peers.models import Circle, Member
from peers.retention import warn_and_delete_closed_circles
from tests.factories import UserFactory

POST = "The lighthouse walk helped me breathe again."
CONTENT_NOTE = "Mentions a hospital stay"
REPLY = "Your words about the harbour stayed with me."
SECOND_REPLY = "I keep thinking of the orchard you described."
NOTE = "Please leave out the street name, kindly."
REPORT_DETAILS = "It names the bakery where she works."
SCENARIO = "Practise the privacy script with the tangerine example"
INVITE_SCENARIO = "Practise saying no to the copper bracelet offer"
HELPED = "Your steady voice about the lantern helped."
TRY = "Try pausing after the violet question."
HELPED_BACK = "You asked about the meadow so gently."
TRY_BACK = "Next time mention the teapot helpline."
WRITTEN = (
    POST,
    CONTENT_NOTE,
    REPLY,
    SECOND_REPLY,
    NOTE,
    REPORT_DETAILS,
    SCENARIO,
    INVITE_SCENARIO,
    HELPED,
    TRY,
    HELPED_BACK,
    TRY_BACK,
)


@pytest.fixture
def moderator(trainers_group):
    user = UserFactory(username="oakmoderator", email="oak@example.org", is_staff=True)
    user.groups.add(trainers_group)
    return user


@pytest.fixture
def opted_in(make_member):
    def member(name: str, username: str, email: str) -> Member:
        made = make_member(
            name, username=username, email=email, wants_email_updates=True
        )
        made.wants_email = True
        made.save()
        return made

    return member


def everything_written_in(message) -> str:
    parts = [message.subject, message.body, str(message.message())]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def test_no_email_carries_what_anyone_wrote(
    circle, opted_in, moderator, django_capture_on_commit_callbacks
):
    kestrel = opted_in("Kestrel", "quietriver", "reader1@example.org")
    marigold = opted_in("Marigold", "bluefinch", "reader2@example.org")
    post = None
    replies = []
    pair = None
    sent_by = {}

    def step(label, write):
        # Each write starts with no e-mail sent today, so each can send one.
        Member.objects.update(last_emailed_at=None)
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            write()
        sent_by[label] = len(mail.outbox) - before

    def share():
        nonlocal post
        post = services.share_post(
            member=kestrel, text=POST, content_note=CONTENT_NOTE
        ).contribution

    def reply_waiting():
        replies.append(
            services.reply_to(post=post, member=marigold, text=REPLY).contribution
        )

    def reply_at_once():
        services.change_settings(
            circle=circle,
            trainer=moderator,
            moderation=Circle.Moderation.AFTER,
            learners_can_pair=True,
            allowed_hosts="",
        )
        post.circle.refresh_from_db()
        replies.append(
            services.reply_to(
                post=post, member=marigold, text=SECOND_REPLY
            ).contribution
        )

    def invite():
        kestrel.circle.refresh_from_db()
        services.make_pair(
            circle=kestrel.circle,
            first=kestrel,
            second=marigold,
            scenario=INVITE_SCENARIO,
            invited_by=kestrel,
        )

    def trainer_pair():
        nonlocal pair
        pair = services.make_pair(
            circle=circle,
            first=kestrel,
            second=marigold,
            scenario=SCENARIO,
            trainer=moderator,
        )

    def retention_warning():
        warn_and_delete_closed_circles(now=datetime.now(tz=UTC) + timedelta(days=80))

    step("share", share)
    step("approve post", lambda: services.approve(contribution=post, trainer=moderator))
    step("reply", reply_waiting)
    step(
        "approve reply",
        lambda: services.approve(contribution=replies[0], trainer=moderator),
    )
    step("reply after moderation", reply_at_once)
    step(
        "acknowledge",
        lambda: services.set_acknowledgement(
            post=post, member=marigold, kind="hear_you", on=True
        ),
    )
    step(
        "report",
        lambda: services.report(
            member=marigold, post=post, reason="private", details=REPORT_DETAILS
        ),
    )
    step(
        "hide",
        lambda: services.hide(contribution=replies[1], trainer=moderator, note=NOTE),
    )
    step(
        "clear reports",
        lambda: services.clear_reports(contribution=post, trainer=moderator),
    )
    step("trainer makes a pair", trainer_pair)
    step("member invites", invite)
    step(
        "feedback",
        lambda: services.give_feedback(
            pair=pair, member=kestrel, what_helped=HELPED, one_thing_to_try=TRY
        ),
    )
    step(
        "feedback back",
        lambda: services.give_feedback(
            pair=pair,
            member=marigold,
            what_helped=HELPED_BACK,
            one_thing_to_try=TRY_BACK,
        ),
    )
    step(
        "share with trainers",
        lambda: services.share_pair_with_trainers(
            pair=pair, member=kestrel, agree=True
        ),
    )
    step("close", lambda: services.close_circle(circle=circle, trainer=moderator))
    step("retention warning", retention_warning)

    # The writes that tell someone something happened did send e-mail.
    for label in (
        "approve post",
        "approve reply",
        "reply after moderation",
        "hide",
        "trainer makes a pair",
        "member invites",
        "feedback",
        "feedback back",
        "retention warning",
    ):
        assert sent_by[label] >= 1, label
    assert mail.outbox
    private = [
        *WRITTEN,
        "Kestrel",
        "Marigold",
        "quietriver",
        "bluefinch",
        "oakmoderator",
        circle.cohort.course.title,
    ]
    for message in mail.outbox:
        text = everything_written_in(message)
        for words in private:
            assert words.lower() not in text.lower(), (message.subject, words)
        if message.to != ["oak@example.org"]:
            # Trainers' warning names the cohort; members' notes never do.
            assert circle.cohort.name not in text
            assert message.subject == "Your Circles update"
