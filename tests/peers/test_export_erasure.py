"""A member's circle in their data download, and gone with their account."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup

from courses.models import LessonPage
from learners.erasure import erase_learner
from learners.export import COLUMNS, TABLES, build_zip, learner_data
from peers import services
from peers.models import (
    Acknowledgement,
    Member,
    ModerationEvent,
    Post,
    PracticeFeedback,
    PracticePair,
    PrivateReflection,
    Reply,
    Report,
)

ROBIN_POST = "Saying no kindly felt strange, then calm."
ROBIN_HIDDEN_POST = "The town where my mentee lives is small."
ROBIN_REPLY = "A walk helps me too."
ROBIN_FEEDBACK = "You kept your voice warm."
ROBIN_REFLECTION = "Only for me: I am tired today."
SAM_POST = "I took a walk after a hard session."
SAM_REPLY_TO_ROBIN = "Thank you, I will try those words."
SAM_FEEDBACK = "You started by saying why I asked."
TRAINER_NOTE = "Please leave out the town, to keep your mentee safe."


@dataclass
class Activity:
    robin: Member
    sam: Member
    robin_post: Post
    hidden_post: Post
    sam_post: Post
    sam_reply: Reply
    pair: PracticePair


@pytest.fixture
def activity(robin, sam, trainer, course) -> Activity:
    """Robin and Sam, each doing everything a member can do in the circle."""
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    robin_post = services.share_post(
        member=robin,
        text=ROBIN_POST,
        content_note="Mentions a hard week",
        lesson=lesson,
        prompt="What would you say?",
    ).contribution
    services.approve(contribution=robin_post, trainer=trainer)
    hidden = services.share_post(member=robin, text=ROBIN_HIDDEN_POST).contribution
    services.hide(contribution=hidden, trainer=trainer, note=TRAINER_NOTE)
    sam_post = services.share_post(member=sam, text=SAM_POST).contribution
    services.approve(contribution=sam_post, trainer=trainer)

    robin_reply = services.reply_to(post=sam_post, member=robin, text=ROBIN_REPLY)
    services.approve(contribution=robin_reply.contribution, trainer=trainer)
    sam_reply = services.reply_to(
        post=robin_post, member=sam, text=SAM_REPLY_TO_ROBIN
    ).contribution
    services.approve(contribution=sam_reply, trainer=trainer)
    services.set_acknowledgement(post=sam_post, member=robin, kind="me_too", on=True)
    services.set_acknowledgement(post=robin_post, member=sam, kind="helped", on=True)
    services.report(member=robin, reply=sam_reply, reason="other", details="Unsure.")
    services.report(member=sam, post=robin_post, reason="private")

    pair = services.make_pair(
        circle=robin.circle,
        first=sam,
        second=robin,
        scenario="Practise the privacy script",
        scenario_page=lesson,
        trainer=trainer,
    )
    services.give_feedback(
        pair=pair, member=robin, what_helped=ROBIN_FEEDBACK, one_thing_to_try="Pause."
    )
    services.give_feedback(
        pair=pair, member=sam, what_helped=SAM_FEEDBACK, one_thing_to_try="Breathe."
    )
    services.share_pair_with_trainers(pair=pair, member=robin, agree=True)
    services.save_private_reflection(
        learner=robin.learner, lesson=lesson, block_id="prompt-1", text=ROBIN_REFLECTION
    )
    services.save_private_reflection(
        learner=sam.learner, lesson=lesson, block_id="prompt-1", text="Sam's own."
    )
    return Activity(
        robin=robin,
        sam=sam,
        robin_post=robin_post,
        hidden_post=hidden,
        sam_post=sam_post,
        sam_reply=sam_reply,
        pair=pair,
    )


def test_the_export_holds_what_the_member_wrote_gave_and_was_given(activity):
    data = learner_data(learner=activity.robin.learner)

    assert data["circle_memberships"] == [
        {
            "course": "Listening well",
            "cohort": "Spring group",
            "circle_name": "Robin",
            "joined_at": activity.robin.joined_at,
            "removed_at": None,
            "wants_email": False,
        }
    ]
    posts = {row["text"]: row for row in data["circle_posts"]}
    assert set(posts) == {ROBIN_POST, ROBIN_HIDDEN_POST}
    shared = posts[ROBIN_POST]
    assert shared["post"] == activity.robin_post.pk
    assert shared["content_note"] == "Mentions a hard week"
    assert shared["prompt"] == "What would you say?"
    assert shared["lesson"] == activity.robin_post.lesson.title
    assert shared["status"] == "published" and shared["published_at"]
    hidden = posts[ROBIN_HIDDEN_POST]
    assert (hidden["status"], hidden["trainer_note"]) == ("hidden", TRAINER_NOTE)

    [reply] = data["circle_replies"]
    assert (reply["text"], reply["post"]) == (ROBIN_REPLY, activity.sam_post.pk)
    assert data["circle_acknowledgements"][0]["kind"] == "me_too"
    assert data["circle_acknowledgements"][0]["post"] == activity.sam_post.pk
    [report] = data["circle_reports"]
    assert report["reply"] == activity.sam_reply.pk and report["post"] is None
    assert (report["reason"], report["details"]) == ("other", "Unsure.")

    [pair] = data["practice_pairs"]
    assert pair["other_member"] == "Sam"
    assert pair["scenario"] == "Practise the privacy script"
    assert pair["you_share_with_trainers"] is True
    feedback = {row["direction"]: row for row in data["practice_feedback"]}
    assert feedback["given"]["what_helped"] == ROBIN_FEEDBACK
    assert feedback["received"]["what_helped"] == SAM_FEEDBACK
    assert feedback["received"]["other_member"] == "Sam"
    [reflection] = data["private_reflections"]
    assert (reflection["text"], reflection["block_id"]) == (
        ROBIN_REFLECTION,
        "prompt-1",
    )
    assert reflection["course"] == "Listening well"

    everything = repr(data.tables)
    for theirs in (SAM_POST, SAM_REPLY_TO_ROBIN, "Sam's own.", "user-sam"):
        assert theirs not in everything


def test_every_column_of_the_download_is_explained_in_about_txt(activity):
    archive = zipfile.ZipFile(
        io.BytesIO(build_zip(learner_data(learner=activity.robin.learner)))
    )
    about = archive.read("about.txt").decode()
    for table in TABLES:
        assert f"``{table}``" in about
        section = about.split(f"``{table}``", 1)[1].split("``", 1)[0]
        for column in COLUMNS[table]:
            assert column in section, f"{table}.{column} is not explained"

    data = json.loads(archive.read("data.json"))
    assert data["circle_posts"][0]["text"] == ROBIN_POST
    header, *rows = csv.reader(io.StringIO(archive.read("circle_posts.csv").decode()))
    assert header == list(COLUMNS["circle_posts"])
    assert {row[header.index("text")] for row in rows} == {
        ROBIN_POST,
        ROBIN_HIDDEN_POST,
    }


def test_your_data_page_shows_the_circle_and_nothing_of_others_words(client, activity):
    client.force_login(activity.robin.learner)
    page = BeautifulSoup(client.get("/learn/data/").content, "html.parser")
    text = page.get_text(" ", strip=True)
    assert "Your practice circles" in text
    for mine in (ROBIN_POST, ROBIN_REPLY, TRAINER_NOTE, SAM_FEEDBACK, ROBIN_REFLECTION):
        assert mine in text
    assert SAM_POST not in text and SAM_REPLY_TO_ROBIN not in text


def _rows_of(*, member_id: int, learner_id: int) -> dict[str, int]:
    return {
        "members": Member.objects.filter(learner_id=learner_id).count(),
        "posts": Post.objects.filter(author_id=member_id).count(),
        "replies": Reply.objects.filter(author_id=member_id).count(),
        "acknowledgements": Acknowledgement.objects.filter(member_id=member_id).count(),
        "reports": Report.objects.filter(reporter_id=member_id).count(),
        "pairs": PracticePair.objects.filter(first_id=member_id).count()
        + PracticePair.objects.filter(second_id=member_id).count(),
        "feedback": PracticeFeedback.objects.filter(author_id=member_id).count(),
        "reflections": PrivateReflection.objects.filter(learner_id=learner_id).count(),
    }


def test_erasing_an_account_deletes_its_circle_and_what_hangs_from_it(activity):
    robin, sam = activity.robin, activity.sam
    ids = {"member_id": robin.pk, "learner_id": robin.learner_id}
    assert _rows_of(**ids) == {
        "members": 1,
        "posts": 2,
        "replies": 1,
        "acknowledgements": 1,
        "reports": 1,
        "pairs": 1,
        "feedback": 1,
        "reflections": 1,
    }
    events = list(
        ModerationEvent.objects.filter(member=robin).values_list("pk", flat=True)
    )
    assert events

    erase_learner(learner=robin.learner)

    assert set(_rows_of(**ids).values()) == {0}
    # Sam's reply hung from Robin's post, and Sam's report was about it.
    assert not Reply.objects.filter(pk=activity.sam_reply.pk).exists()
    assert not Report.objects.filter(reporter=sam).exists()
    # The pair was Robin's too, so Sam's feedback in it went with it.
    assert not PracticeFeedback.objects.exists()
    # Sam keeps their own membership, post, reflection.
    assert Member.objects.filter(pk=sam.pk).exists()
    assert list(Post.objects.values_list("text", flat=True)) == [SAM_POST]
    assert PrivateReflection.objects.filter(learner=sam.learner).count() == 1
    # The moderation log stays, with no link to Robin and none of Robin's words.
    kept = ModerationEvent.objects.filter(pk__in=events)
    assert kept.count() == len(events)
    assert not kept.filter(member__isnull=False).exists()
    for subject, note in ModerationEvent.objects.values_list("subject", "note"):
        for words in (ROBIN_POST, ROBIN_HIDDEN_POST, ROBIN_REPLY, "Robin"):
            assert words not in subject and words not in note


def test_the_erase_page_says_circles_go_too(client, robin):
    client.force_login(robin.learner)
    text = BeautifulSoup(
        client.get("/learn/data/erase/").content, "html.parser"
    ).get_text(" ", strip=True)
    assert "Everything in practice circles" in text
