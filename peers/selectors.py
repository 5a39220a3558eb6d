"""Reads about practice circles that views share.

Who may see what:
- a circle is seen by its members (the cohort's learners who joined and were
  not removed); anyone else gets None here and 404 from the views;
- a shared post or reply is seen by every member; one waiting for a trainer
  or hidden by one is seen by its author only (with the trainer's note);
- a practice pair and its feedback are seen by its two members only, and by
  trainers when both agreed.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Page

from courses.locales import original_id
from courses.models import Cohort, CoursePage, Enrolment, LessonPage
from courses.selectors import course_for_page
from quizzes.models import QuizPage

from .models import (
    Acknowledgement,
    Circle,
    Contribution,
    Member,
    ModerationEvent,
    Post,
    PracticeFeedback,
    PracticePair,
    PrivateReflection,
    Reply,
    Report,
)

PUBLISHED = Contribution.Status.PUBLISHED


def membership(*, learner, circle_id: int) -> Member | None:
    """The learner's membership of the circle: None when not in it or removed."""
    if not learner.is_authenticated:
        return None
    return (
        Member.objects.filter(
            circle_id=circle_id,
            learner=learner,
            removed_at__isnull=True,
            circle__cohort__enrolments__learner=learner,
        )
        .select_related("circle__cohort__course")
        .first()
    )


@dataclass(frozen=True)
class LearnerCircle:
    """A cohort the learner is in, and where its circle stands for them."""

    cohort: Cohort
    circle: Circle | None
    member: Member | None

    @property
    def removed(self) -> bool:
        return self.member is not None and self.member.is_removed


def circles_for_learner(*, learner) -> list[LearnerCircle]:
    """The learner's cohorts with their circles, for My learning: two queries."""
    if not learner.is_authenticated:
        return []
    enrolments = list(
        Enrolment.objects.filter(
            learner=learner, cohort__isnull=False, course__live=True
        )
        .select_related("cohort__course", "cohort__circle")
        .order_by("cohort__name", "cohort_id")
    )
    members = {m.circle_id: m for m in Member.objects.filter(learner=learner)}
    rows = []
    for enrolment in enrolments:
        cohort = enrolment.cohort
        circle = getattr(cohort, "circle", None)
        rows.append(
            LearnerCircle(
                cohort=cohort,
                circle=circle,
                member=members.get(circle.pk) if circle else None,
            )
        )
    return rows


def joinable_circle(*, learner, circle_id: int) -> Circle | None:
    """The circle, if the learner is in its cohort and has never been a member."""
    if not learner.is_authenticated:
        return None
    return (
        Circle.objects.filter(pk=circle_id, cohort__enrolments__learner=learner)
        .exclude(members__learner=learner)
        .select_related("cohort__course")
        .first()
    )


def circle_for_lesson(*, learner, lesson: Page) -> LearnerCircle | None:
    """The circle of the cohort the learner takes the lesson's course with, if any."""
    course = course_for_page(lesson)
    if course is None or not learner.is_authenticated:
        return None
    enrolment = (
        Enrolment.objects.filter(
            learner=learner, course_id=original_id(course), cohort__isnull=False
        )
        .select_related("cohort__course", "cohort__circle")
        .first()
    )
    if enrolment is None:
        return None
    circle = getattr(enrolment.cohort, "circle", None)
    member = (
        Member.objects.filter(circle=circle, learner=learner).first()
        if circle is not None
        else None
    )
    return LearnerCircle(cohort=enrolment.cohort, circle=circle, member=member)


def private_reflection(
    *, learner, lesson: Page, block_id: str
) -> PrivateReflection | None:
    """What the learner kept for this prompt, in whichever language they read it."""
    return PrivateReflection.objects.filter(
        learner=learner, lesson_id=original_id(lesson), block_id=block_id
    ).first()


def visible_to(member: Member) -> Q:
    """Posts or replies the member may read: shared ones, and their own.

    What a removed member wrote leaves the circle with them; it stays theirs
    to read in Your data and to delete (services.delete_all_writing).
    """
    return Q(status=PUBLISHED, author__removed_at__isnull=True) | Q(author=member)


@dataclass
class PostView:
    post: Post
    replies: list[Reply] = field(default_factory=list)
    # Each acknowledgement kind given, with the circle names who gave it.
    acknowledged_by: dict[str, list[str]] = field(default_factory=dict)
    mine: set[str] = field(default_factory=set)
    reported: bool = False


def _reply_prefetch(member: Member) -> Prefetch:
    return Prefetch(
        "replies",
        queryset=Reply.objects.filter(visible_to(member)).select_related("author"),
        to_attr="visible_replies",
    )


def _views(posts, member: Member) -> list[PostView]:
    posts = list(posts)
    post_ids = [p.pk for p in posts]
    acknowledgements = (
        Acknowledgement.objects.filter(post_id__in=post_ids)
        .select_related("member")
        .order_by("created_at", "pk")
    )
    reported = set(
        Report.objects.filter(reporter=member, post_id__in=post_ids).values_list(
            "post_id", flat=True
        )
    )
    views = {p.pk: PostView(post=p, replies=p.visible_replies) for p in posts}
    for ack in acknowledgements:
        view = views[ack.post_id]
        if ack.member.is_removed:
            continue
        view.acknowledged_by.setdefault(ack.kind, []).append(ack.member.circle_name)
        if ack.member_id == member.pk:
            view.mine.add(ack.kind)
    for view in views.values():
        view.reported = view.post.pk in reported
    return [views[pk] for pk in post_ids]


def circle_feed(member: Member) -> list[PostView]:
    """The circle's posts the member may read, newest first, with replies: 4 queries."""
    posts = (
        Post.objects.filter(circle_id=member.circle_id)
        .filter(visible_to(member))
        .select_related("author")
        .prefetch_related(_reply_prefetch(member))
    )
    return _views(posts, member)


def post_for_member(*, member: Member, post_id: int) -> Post | None:
    """A post in the member's circle that they may read, else None."""
    return (
        Post.objects.filter(circle_id=member.circle_id, pk=post_id)
        .filter(visible_to(member))
        .select_related("author", "circle")
        .first()
    )


def post_view(*, member: Member, post_id: int) -> PostView | None:
    posts = (
        Post.objects.filter(circle_id=member.circle_id, pk=post_id)
        .filter(visible_to(member))
        .select_related("author", "circle")
        .prefetch_related(_reply_prefetch(member))
    )
    views = _views(posts, member)
    return views[0] if views else None


def own_post(*, member: Member, post_id: int) -> Post | None:
    return (
        Post.objects.filter(circle_id=member.circle_id, pk=post_id, author=member)
        .select_related("circle")
        .first()
    )


def reply_for_member(*, member: Member, reply_id: int) -> Reply | None:
    """A reply in the member's circle they may read, under a post they may read."""
    return (
        Reply.objects.filter(post__circle_id=member.circle_id, pk=reply_id)
        .filter(visible_to(member))
        .filter(Q(post__status=PUBLISHED) | Q(post__author=member))
        .select_related("post__circle", "author")
        .first()
    )


def own_reply(*, member: Member, reply_id: int) -> Reply | None:
    return (
        Reply.objects.filter(
            post__circle_id=member.circle_id, pk=reply_id, author=member
        )
        .select_related("post__circle")
        .first()
    )


def active_members(circle: Circle):
    return Member.objects.filter(circle=circle, removed_at__isnull=True).order_by(
        "circle_name"
    )


def pairs_for_member(member: Member) -> list[PracticePair]:
    return list(
        PracticePair.objects.filter(Q(first=member) | Q(second=member))
        .select_related("first", "second", "scenario_page")
        .order_by("-created_at", "-pk")
    )


def pair_for_member(*, member: Member, pair_id: int) -> PracticePair | None:
    return (
        PracticePair.objects.filter(pk=pair_id, circle_id=member.circle_id)
        .filter(Q(first=member) | Q(second=member))
        .select_related("first", "second", "scenario_page", "circle")
        .first()
    )


def pair_feedback(pair: PracticePair) -> dict[int, PracticeFeedback]:
    """The pair's feedback by its author's member id."""
    return {f.author_id: f for f in PracticeFeedback.objects.filter(pair=pair)}


def feedback_given(pairs) -> set[tuple[int, int]]:
    """(pair id, author's member id) for each feedback given in the pairs: one query."""
    return set(
        PracticeFeedback.objects.filter(pair__in=pairs).values_list(
            "pair_id", "author_id"
        )
    )


# Trainers' reads: the moderation pages in the admin (peers/admin_views.py)

#: The names of posts and replies in the admin's action URLs.
POSTS, REPLIES = "posts", "replies"
WAITING = Contribution.Status.WAITING
HIDDEN = Contribution.Status.HIDDEN


def _open_reports(report_field: str) -> Exists:
    return Exists(
        Report.objects.filter(
            **{report_field: OuterRef("pk")}, resolved_at__isnull=True
        )
    )


def _needing_a_look(contributions, report_field: str):
    """Waiting for a trainer, or shared and reported: what a trainer should look at."""
    return contributions.filter(
        Q(status=WAITING) | (Q(status=PUBLISHED) & _open_reports(report_field))
    )


def _count_per_circle(contributions, circle_field: str):
    counted = (
        contributions.filter(**{circle_field: OuterRef("pk")})
        .order_by()
        .values(circle_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def with_needs_a_look(circles):
    """Count each circle's posts and replies that need a look, inside the one query."""
    return circles.annotate(
        needs_a_look=_count_per_circle(_needing_a_look(Post.objects, "post"), "circle")
        + _count_per_circle(_needing_a_look(Reply.objects, "reply"), "post__circle")
    )


@dataclass(frozen=True)
class Item:
    """A post or a reply as trainers see it, with the name its action URLs use."""

    contribution: Post | Reply
    kind: str

    @property
    def is_reply(self) -> bool:
        return self.kind == REPLIES

    @property
    def reports(self) -> list[Report]:
        return getattr(self.contribution, "open_reports", [])


def _open_reports_prefetch() -> Prefetch:
    return Prefetch(
        "reports",
        queryset=Report.objects.filter(resolved_at__isnull=True)
        .select_related("reporter")
        .order_by("created_at", "pk"),
        to_attr="open_reports",
    )


def _posts(circle: Circle):
    return Post.objects.filter(circle=circle).select_related("author", "lesson")


def _replies(circle: Circle):
    return Reply.objects.filter(post__circle=circle).select_related(
        "author", "post__author"
    )


def _items(posts, replies) -> list[Item]:
    items = [Item(post, POSTS) for post in posts]
    items += [Item(reply, REPLIES) for reply in replies]
    return sorted(items, key=lambda item: (item.contribution.created_at, item.kind))


def moderation_queue(circle: Circle) -> list[Item]:
    """Waiting, and shared but reported, posts and replies, oldest first: 4 queries."""
    return _items(
        _needing_a_look(_posts(circle), "post").prefetch_related(
            _open_reports_prefetch()
        ),
        _needing_a_look(_replies(circle), "reply").prefetch_related(
            _open_reports_prefetch()
        ),
    )


def hidden_items(circle: Circle) -> list[Item]:
    """Posts and replies a trainer hid, oldest first: 2 queries."""
    return _items(
        _posts(circle).filter(status=HIDDEN), _replies(circle).filter(status=HIDDEN)
    )


def shared_posts(circle: Circle):
    """The circle's shared posts, newest first, each with its shared replies."""
    return (
        _posts(circle)
        .filter(status=PUBLISHED)
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Reply.objects.filter(status=PUBLISHED).select_related(
                    "author"
                ),
                to_attr="shared_replies",
            )
        )
        .order_by("-created_at", "-pk")
    )


def circle_members(circle: Circle):
    return (
        Member.objects.filter(circle=circle)
        .select_related("learner")
        .order_by("circle_name", "pk")
    )


@dataclass(frozen=True)
class PairRow:
    pair: PracticePair
    # Read only for pairs whose two members both agreed to show it to trainers.
    feedback: list[PracticeFeedback]


def pair_rows(circle: Circle) -> list[PairRow]:
    """The circle's practice pairs, newest first; feedback only where both agreed."""
    pairs = list(
        PracticePair.objects.filter(circle=circle).select_related(
            "first", "second", "scenario_page"
        )
    )
    shared = [pair.pk for pair in pairs if pair.shared_with_trainers]
    feedback = defaultdict(list)
    if shared:
        for given in (
            PracticeFeedback.objects.filter(pair_id__in=shared)
            .select_related("author")
            .order_by("created_at", "pk")
        ):
            feedback[given.pair_id].append(given)
    return [PairRow(pair, feedback[pair.pk]) for pair in pairs]


def circle_log(circle: Circle):
    return ModerationEvent.objects.filter(circle=circle).select_related(
        "actor", "member"
    )


def course_steps(course: CoursePage):
    """The course's lessons and quizzes, in the order learners meet them."""
    return (
        Page.objects.descendant_of(course)
        .type(LessonPage, QuizPage)
        .filter(locale_id=course.locale_id)
        .order_by("path")
    )
