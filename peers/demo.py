"""The demo's practice circle: a few members of the "Spring group" and their posts.

Called by `manage.py seed_demo` once the cohort and its learners exist. Every
write goes through `peers.services`, as a member's or a trainer's would, and
each step first looks for what it would add, so a second run adds nothing.
The circle stays pre-moderated, with one post left waiting so the trainer
finds something to approve. Everything written here is an invented example,
and the posts say so.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.models import Cohort, LessonPage

from . import services
from .models import Circle, Member, Post, PracticeFeedback, PracticePair, Reply

#: The demo accounts in the circle, by username, with the circle names they chose.
CIRCLE_NAMES = {
    "learner": "Robin",
    "learner2": "Ali",
    "learner3": "Jules",
    "learner4": "Noor",
}

INVENTED = "\n\n(An invented example, written for the demo.)"


@dataclass(frozen=True)
class DemoPost:
    author: str
    lesson_slug: str
    text: str
    content_note: str = ""
    published: bool = True


POSTS = (
    DemoPost(
        author="learner",
        lesson_slug="saying-no-with-care",
        text=(
            "A mentee asked for my home address so she could send me a card. "
            "I tried the pattern: “That is so kind of you. I keep my address "
            "private with everyone I mentor, but you can leave a card at the "
            "office and I will get it.” Saying it out loud first made it easier."
        ),
    ),
    DemoPost(
        author="learner2",
        lesson_slug="early-warning-signs",
        text=(
            "Yellow today. My first small sign is that I stop replying to my "
            "friends. This week I will take a short walk after each session, "
            "and tell my supervisor how I am doing."
        ),
    ),
    DemoPost(
        author="learner3",
        lesson_slug="when-the-work-touches-your-own-story",
        content_note="Mentions old memories coming back during a session",
        text=(
            "Sometimes a mentee's story brings back my own memories. Before a "
            "session, I breathe slowly and plan something calm for afterwards. "
            "During it, I feel my feet on the floor and name three things I can "
            "see. After it, I tell a fellow mentor “I had a heavy day”, without "
            "the details."
        ),
    ),
    DemoPost(
        author="learner4",
        lesson_slug="getting-support-from-others",
        published=False,
        text=(
            "My support team: my supervisor, my sister and my Tuesday walking "
            "group. I would like to add a fellow mentor I can call after a hard "
            "session."
        ),
    ),
)

#: (who replies, to whose post, what they say); each reply is approved.
REPLIES = (
    (
        "learner2",
        "learner",
        "Leaving a card at the office is a kind idea. I am going to borrow it.",
    ),
    (
        "learner4",
        "learner3",
        "Naming three things I can see helps me too. Thank you for sharing this.",
    ),
    ("learner", "learner2", "Walks help me too. I hope the week feels lighter soon."),
)

#: (who responds, to whose post, which response).
ACKNOWLEDGEMENTS = (
    ("learner2", "learner", "helped"),
    ("learner3", "learner", "me_too"),
    ("learner", "learner3", "hear_you"),
    ("learner", "learner2", "me_too"),
    ("learner4", "learner2", "hear_you"),
)

PAIR_LESSON_SLUG = "saying-no-with-care"
PAIR_SCENARIO = (
    "Practise the privacy script: a mentee asks where you live. Say no kindly "
    "with the pattern from this lesson: acknowledge, state the limit, offer "
    "what you can do."
)
PAIR_FEEDBACK = {
    "what_helped": (
        "You started with “I can see why you would ask”, so it felt kind, not "
        "like a telling-off. Your voice stayed calm."
    ),
    "one_thing_to_try": (
        "End with what you can offer, like “We can always meet here”, so the "
        "no finishes on a yes."
    ),
}


@transaction.atomic
def ensure_demo_circle(*, cohort: Cohort, trainer) -> Circle:
    """Fill the cohort's circle with the demo's members and posts; safe to repeat.

    The learners in `CIRCLE_NAMES` must already be in the cohort. A closed
    circle is left as it is.
    """
    circle = services.circle_for(cohort)
    users = get_user_model().objects.in_bulk(list(CIRCLE_NAMES), field_name="username")
    members = {
        username: services.join_circle(
            circle=circle, learner=users[username], circle_name=name
        )
        for username, name in CIRCLE_NAMES.items()
    }
    if circle.is_closed:
        return circle
    posts = {
        spec.author: _ensure_post(spec, members[spec.author], trainer, cohort)
        for spec in POSTS
    }
    for replier, author, text in REPLIES:
        _ensure_reply(posts[author], members[replier], text, trainer)
    for giver, author, kind in ACKNOWLEDGEMENTS:
        if posts[author].is_published:
            services.set_acknowledgement(
                post=posts[author], member=members[giver], kind=kind, on=True
            )
    _ensure_pair(circle, members["learner"], members["learner2"], trainer, cohort)
    return circle


def _lesson(cohort: Cohort, slug: str) -> LessonPage | None:
    return LessonPage.objects.descendant_of(cohort.course).filter(slug=slug).first()


def _prompt(lesson: LessonPage | None) -> str:
    """The lesson's reflection prompt, which the post answers."""
    for block in lesson.body if lesson else ():
        if block.block_type == "reflection":
            return block.value["prompt"]
    return ""


def _ensure_post(spec: DemoPost, member: Member, trainer, cohort: Cohort) -> Post:
    """The member's post: the one already there, or the demo's, shared now."""
    existing = Post.objects.filter(author=member).order_by("created_at", "pk").first()
    if existing is not None:
        return existing
    lesson = _lesson(cohort, spec.lesson_slug)
    post = services.share_post(
        member=member,
        text=spec.text + INVENTED,
        content_note=spec.content_note,
        lesson=lesson,
        prompt=_prompt(lesson),
    ).contribution
    if spec.published:
        services.approve(contribution=post, trainer=trainer)
    return post


def _ensure_reply(post: Post, member: Member, text: str, trainer) -> None:
    if not post.is_published or Reply.objects.filter(post=post, author=member).exists():
        return
    reply = services.reply_to(post=post, member=member, text=text).contribution
    services.approve(contribution=reply, trainer=trainer)


def _ensure_pair(
    circle: Circle, first: Member, second: Member, trainer, cohort: Cohort
) -> None:
    """The trainer's pair for the privacy script, with feedback from one side."""
    pair = PracticePair.objects.filter(
        circle=circle, first=first, second=second, scenario=PAIR_SCENARIO
    ).first()
    if pair is None:
        pair = services.make_pair(
            circle=circle,
            first=first,
            second=second,
            scenario=PAIR_SCENARIO,
            scenario_page=_lesson(cohort, PAIR_LESSON_SLUG),
            trainer=trainer,
        )
    if not PracticeFeedback.objects.filter(pair=pair, author=second).exists():
        services.give_feedback(pair=pair, member=second, **PAIR_FEEDBACK)
