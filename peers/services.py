"""Every change to a practice circle goes through one of these functions.

Members' writes (join, share, reply, acknowledge, report, withdraw) take the
member, already checked to be in the circle by the view; trainers' writes
(approve, hide, remove, close, settings, pairs) take the trainer and add a
line to the circle's moderation log. A refusal says, in words for the person
who asked, why a write cannot be done.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from circles.normalise import one_line, skeleton
from circles.refusals import Refusal
from courses.locales import original
from courses.models import Cohort

from .models import (
    CIRCLE_NAME_MAX,
    FEEDBACK_MAX,
    NOTE_MAX,
    POST_MAX,
    REFLECTION_MAX,
    REPLY_MAX,
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
from .notifications import notify_member


class CircleRefusal(Refusal):
    pass


def circle_for(cohort: Cohort) -> Circle:
    """The cohort's circle, made (pre-moderated) the first time it is asked for."""
    circle = Circle.objects.filter(cohort=cohort).first()
    if circle is not None:
        return circle
    try:
        with transaction.atomic():
            return Circle.objects.create(cohort=cohort)
    except IntegrityError:  # made meanwhile by another request
        return Circle.objects.get(cohort=cohort)


# Members: names


def _checked_circle_name(circle: Circle, learner, name: str, *, member=None) -> str:
    name = one_line(name or "").strip()
    if not name:
        raise CircleRefusal(_("Please choose a circle name."))
    if len(name) > CIRCLE_NAME_MAX:
        raise CircleRefusal(
            _("Please keep your circle name to %(max)d characters or fewer.")
            % {"max": CIRCLE_NAME_MAX}
        )
    if skeleton(name) == skeleton(learner.get_username()):
        raise CircleRefusal(
            _(
                "Please choose a circle name that is not your username, so your "
                "username stays yours alone."
            )
        )
    taken = Member.objects.filter(circle=circle, name_key=skeleton(name))
    if member is not None:
        taken = taken.exclude(pk=member.pk)
    if taken.exists():
        raise CircleRefusal(
            _("Someone in this circle already uses that name. Please choose another.")
        )
    return name


def join_circle(*, circle: Circle, learner, circle_name: str) -> Member:
    """Make the learner a member under the name they chose; twice returns the same."""
    existing = Member.objects.filter(circle=circle, learner=learner).first()
    if existing is not None:
        return existing
    _require_open(circle)
    name = _checked_circle_name(circle, learner, circle_name)
    try:
        with transaction.atomic():
            return Member.objects.create(
                circle=circle, learner=learner, circle_name=name
            )
    except IntegrityError:
        existing = Member.objects.filter(circle=circle, learner=learner).first()
        if existing is not None:
            return existing  # a double submit: the first one joined
        raise CircleRefusal(
            _("Someone in this circle already uses that name. Please choose another.")
        ) from None


def rename_member(*, member: Member, circle_name: str, wants_email: bool) -> Member:
    """Change the member's circle name and whether they want e-mailed notes."""
    member.circle_name = _checked_circle_name(
        member.circle, member.learner, circle_name, member=member
    )
    member.wants_email = wants_email
    try:
        with transaction.atomic():
            member.save(update_fields=["circle_name", "name_key", "wants_email"])
    except IntegrityError:
        raise CircleRefusal(
            _("Someone in this circle already uses that name. Please choose another.")
        ) from None
    return member


# Members: posts and replies


def _require_open(circle: Circle) -> None:
    if circle.is_closed:
        raise CircleRefusal(
            _(
                "This circle is closed, so nothing new can be shared. You can "
                "still read it, and change or delete what you wrote."
            )
        )


def _checked_text(text: str, *, limit: int, empty_message) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise CircleRefusal(empty_message)
    if len(text) > limit:
        raise CircleRefusal(
            _(
                "Please keep it to %(max)d characters or fewer (it has %(count)d). "
                "Nothing is lost: your words are still in the box."
            )
            % {"max": limit, "count": len(text)}
        )
    return text


def _checked_note(note: str) -> str:
    note = one_line(note or "").strip()
    if len(note) > NOTE_MAX:
        raise CircleRefusal(
            _("Please keep the content note to %(max)d characters or fewer.")
            % {"max": NOTE_MAX}
        )
    return note


def _first_status(circle: Circle) -> tuple[str, object]:
    if circle.premoderated:
        return Contribution.Status.WAITING, None
    return Contribution.Status.PUBLISHED, timezone.now()


@dataclass(frozen=True)
class Shared:
    """What was written, and whether it waits for a trainer before others see it."""

    contribution: Contribution

    @property
    def waiting(self) -> bool:
        return self.contribution.status == Contribution.Status.WAITING


@transaction.atomic
def share_post(
    *,
    member: Member,
    text: str,
    content_note: str = "",
    lesson: Page | None = None,
    prompt: str = "",
) -> Shared:
    """Share a reflection with the member's circle (after approval if pre-moderated)."""
    circle = member.circle
    _require_open(circle)
    text = _checked_text(
        text, limit=POST_MAX, empty_message=_("Please write something to share.")
    )
    status, published_at = _first_status(circle)
    post = Post.objects.create(
        circle=circle,
        author=member,
        text=text,
        content_note=_checked_note(content_note),
        lesson=original(lesson) if lesson is not None else None,
        prompt=(prompt or "")[:1000],
        status=status,
        published_at=published_at,
    )
    return Shared(post)


@transaction.atomic
def edit_post(*, post: Post, member: Member, text: str, content_note: str) -> Shared:
    """Change a post; in a pre-moderated circle it waits for approval again.

    Allowed in a closed circle too: what a member wrote stays theirs to change.
    """
    _require_author(post, member)
    post.text = _checked_text(
        text, limit=POST_MAX, empty_message=_("Please write something to share.")
    )
    post.content_note = _checked_note(content_note)
    _after_edit(post)
    post.save()
    return Shared(post)


def _require_author(contribution: Contribution, member: Member) -> None:
    # Views look contributions up through the member; this guards services too.
    if contribution.author_id != member.pk:
        raise CircleRefusal(_("Only the person who wrote it can change it."))


def _after_edit(contribution: Contribution) -> None:
    contribution.edited_at = timezone.now()
    if contribution.status == Contribution.Status.HIDDEN:
        return  # stays hidden until a trainer looks again
    status, published_at = _first_status(contribution_circle(contribution))
    contribution.status = status
    contribution.published_at = published_at


def contribution_circle(contribution: Contribution) -> Circle:
    if isinstance(contribution, Post):
        return contribution.circle
    return contribution.post.circle


@transaction.atomic
def withdraw_post(*, post: Post, member: Member) -> None:
    """Delete the post, its replies, acknowledgements and reports: gone, not hidden."""
    _require_author(post, member)
    post.delete()


@transaction.atomic
def reply_to(*, post: Post, member: Member, text: str) -> Shared:
    """Reply to a post the member can see (shared, or their own)."""
    _require_open(post.circle)
    if not post.is_published and post.author_id != member.pk:
        raise CircleRefusal(_("This post is not shared at the moment."))
    text = _checked_text(
        text, limit=REPLY_MAX, empty_message=_("Please write a reply first.")
    )
    status, published_at = _first_status(post.circle)
    reply = Reply.objects.create(
        post=post, author=member, text=text, status=status, published_at=published_at
    )
    if reply.is_published and post.author_id != member.pk:
        notify_member(post.author_id)
    return Shared(reply)


@transaction.atomic
def edit_reply(*, reply: Reply, member: Member, text: str) -> Shared:
    _require_author(reply, member)
    reply.text = _checked_text(
        text, limit=REPLY_MAX, empty_message=_("Please write a reply first.")
    )
    _after_edit(reply)
    reply.save()
    return Shared(reply)


@transaction.atomic
def withdraw_reply(*, reply: Reply, member: Member) -> None:
    _require_author(reply, member)
    reply.delete()


def set_acknowledgement(
    *, post: Post, member: Member, kind: str, on: bool
) -> Acknowledgement | None:
    """Give or take back one acknowledgement; giving twice is giving once."""
    if kind not in Acknowledgement.Kind.values:
        raise CircleRefusal(_("Please choose one of the responses offered."))
    if not post.is_published:
        raise CircleRefusal(_("This post is not shared at the moment."))
    if on:
        _require_open(post.circle)
    else:
        Acknowledgement.objects.filter(post=post, member=member, kind=kind).delete()
        return None
    acknowledgement, _created = Acknowledgement.objects.get_or_create(
        post=post, member=member, kind=kind
    )
    return acknowledgement


def report(
    *, member: Member, reason: str, details: str = "", post=None, reply=None
) -> Report:
    """Tell trainers about a post or reply; reporting twice keeps the first report."""
    if reason not in Report.Reason.values:
        raise CircleRefusal(_("Please choose a reason."))
    details = (details or "").strip()
    if len(details) > 500:
        raise CircleRefusal(
            _("Please keep it to %(max)d characters or fewer.") % {"max": 500}
        )
    target = {"post": post} if post is not None else {"reply": reply}
    existing = Report.objects.filter(reporter=member, **target).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=member, reason=reason, details=details, **target
            )
    except IntegrityError:  # a double submit
        return Report.objects.get(reporter=member, **target)


@transaction.atomic
def delete_all_writing(*, learner) -> int:
    """Delete every post and reply the learner wrote, in every circle; how many.

    For a learner who left a cohort or was removed from its circle too: what
    they wrote is theirs to take back without erasing their account.
    """
    replies, _by_kind = Reply.objects.filter(author__learner=learner).delete()
    posts = Post.objects.filter(author__learner=learner)
    count = posts.count()
    posts.delete()
    return replies + count


# Members: private reflections


def save_private_reflection(
    *, learner, lesson: Page, block_id: str, text: str
) -> PrivateReflection:
    """Keep the answer to a prompt for the learner alone; saving again replaces it."""
    text = _checked_text(
        text,
        limit=REFLECTION_MAX,
        empty_message=_("There is nothing to keep yet: the box is empty."),
    )
    reflection, _created = PrivateReflection.objects.update_or_create(
        learner=learner,
        lesson=original(lesson),
        block_id=block_id,
        defaults={"text": text},
    )
    return reflection


def delete_private_reflection(*, learner, lesson: Page, block_id: str) -> None:
    PrivateReflection.objects.filter(
        learner=learner, lesson=original(lesson), block_id=block_id
    ).delete()


# Trainers: moderation


def _log(circle: Circle, actor, action: str, *, subject="", member=None, note=""):
    return ModerationEvent.objects.create(
        circle=circle,
        actor=actor,
        action=action,
        subject=subject,
        member=member,
        note=note,
    )


def _log_about(contribution: Contribution, trainer, action: str, *, note=""):
    """Log an action on a post or reply: which one and whose, never its words."""
    return _log(
        contribution_circle(contribution),
        trainer,
        action,
        subject=str(contribution),
        member=contribution.author,
        note=note,
    )


@transaction.atomic
def approve(*, contribution: Contribution, trainer) -> None:
    """Share a waiting (or hidden) post or reply with the circle."""
    was_hidden = contribution.status == Contribution.Status.HIDDEN
    contribution.status = Contribution.Status.PUBLISHED
    contribution.published_at = timezone.now()
    contribution.hidden_note = ""
    contribution.save(update_fields=["status", "published_at", "hidden_note"])
    _resolve_reports(contribution)
    Action = ModerationEvent.Action
    _log_about(
        contribution, trainer, Action.RESTORED if was_hidden else Action.APPROVED
    )
    notify_member(contribution.author_id)
    if isinstance(contribution, Reply) and contribution.post.author_id != (
        contribution.author_id
    ):
        notify_member(contribution.post.author_id)


@transaction.atomic
def hide(*, contribution: Contribution, trainer, note: str) -> None:
    """Take a post or reply out of the circle, with a private note to its author."""
    note = (note or "").strip()
    if not note:
        raise CircleRefusal(
            _(
                "Please write a short, kind note to the author: they see it "
                "beside their post, and no one else does."
            )
        )
    contribution.status = Contribution.Status.HIDDEN
    contribution.hidden_note = note
    contribution.save(update_fields=["status", "hidden_note"])
    _resolve_reports(contribution)
    _log_about(contribution, trainer, ModerationEvent.Action.HIDDEN, note=note)
    notify_member(contribution.author_id)


def _resolve_reports(contribution: Contribution) -> None:
    contribution.reports.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


@transaction.atomic
def clear_reports(*, contribution: Contribution, trainer) -> None:
    """Leave the post or reply as it is and mark its reports as looked at."""
    _resolve_reports(contribution)
    _log_about(contribution, trainer, ModerationEvent.Action.REPORTS_CLEARED)


@transaction.atomic
def remove_member(*, member: Member, trainer, note: str = "") -> None:
    """Take a member out of the circle: they no longer see it or write in it."""
    if member.is_removed:
        return
    member.removed_at = timezone.now()
    member.save(update_fields=["removed_at"])
    _log(
        member.circle,
        trainer,
        ModerationEvent.Action.MEMBER_REMOVED,
        member=member,
        note=(note or "").strip(),
    )


@transaction.atomic
def return_member(*, member: Member, trainer) -> None:
    if not member.is_removed:
        return
    member.removed_at = None
    member.save(update_fields=["removed_at"])
    _log(member.circle, trainer, ModerationEvent.Action.MEMBER_RETURNED, member=member)


@transaction.atomic
def close_circle(*, circle: Circle, trainer) -> None:
    """Close the circle: members can read and withdraw, nothing new is shared."""
    if circle.is_closed:
        return
    circle.closed_at = timezone.now()
    circle.deletion_warned_at = None
    circle.save(update_fields=["closed_at", "deletion_warned_at"])
    _log(circle, trainer, ModerationEvent.Action.CLOSED)


@transaction.atomic
def reopen_circle(*, circle: Circle, trainer) -> None:
    if not circle.is_closed:
        return
    circle.closed_at = None
    circle.deletion_warned_at = None
    circle.save(update_fields=["closed_at", "deletion_warned_at"])
    _log(circle, trainer, ModerationEvent.Action.REOPENED)


@transaction.atomic
def change_settings(
    *,
    circle: Circle,
    trainer,
    moderation: str,
    learners_can_pair: bool,
    allowed_hosts: str,
) -> bool:
    """Save the circle's settings; log what changed. False when nothing did."""
    if moderation not in Circle.Moderation.values:
        raise CircleRefusal(_("Please choose how posts are moderated."))
    hosts = Circle(allowed_hosts=allowed_hosts or "").host_list()
    wrong = [host for host in hosts if not _HOST.fullmatch(_ascii_host(host))]
    if wrong:
        raise CircleRefusal(
            _(
                "These are not the names of sites: %(hosts)s. Please write one "
                "site a line, such as example.org."
            )
            % {"hosts": ", ".join(wrong)}
        )
    before = (circle.moderation, circle.learners_can_pair, circle.host_list())
    circle.moderation = moderation
    circle.learners_can_pair = learners_can_pair
    circle.allowed_hosts = "\n".join(hosts)
    after = (circle.moderation, circle.learners_can_pair, circle.host_list())
    if before == after:
        return False
    circle.save(update_fields=["moderation", "learners_can_pair", "allowed_hosts"])
    changes = []
    if before[0] != after[0]:
        changes.append(
            str(_("moderation: %(value)s")) % {"value": circle.get_moderation_display()}
        )
    if before[1] != after[1]:
        changes.append(
            str(_("members may start pairs: %(value)s"))
            % {"value": _("yes") if learners_can_pair else _("no")}
        )
    if before[2] != after[2]:
        changes.append(
            str(_("sites members may link to: %(value)s"))
            % {"value": ", ".join(after[2]) or "—"}
        )
    _log(circle, trainer, ModerationEvent.Action.SETTINGS, note="; ".join(changes))
    return True


# A site's name: two labels or more, the last one letters ("example.org").
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}")


def _ascii_host(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


# Practice pairs

#: A pair made again within this time is the one already made.
SAME_PAIR_WINDOW = timedelta(minutes=10)


@transaction.atomic
def make_pair(
    *,
    circle: Circle,
    first: Member,
    second: Member,
    scenario: str,
    scenario_page: Page | None = None,
    trainer=None,
    invited_by: Member | None = None,
) -> PracticePair:
    """Pair two members for a scenario: by a trainer, or by a member if allowed.

    The same pair for the same scenario made moments ago (a double tap, a
    second tab) is that pair, not a new one.
    """
    _require_open(circle)
    if invited_by is not None and not circle.learners_can_pair:
        raise CircleRefusal(
            _("In this circle, practice pairs are made by your trainer.")
        )
    if first.pk == second.pk:
        raise CircleRefusal(_("Please choose two different members."))
    for member in (first, second):
        if member.circle_id != circle.pk or member.is_removed:
            raise CircleRefusal(_("Both people need to be members of this circle."))
    scenario = one_line(scenario or "").strip()
    if not scenario:
        raise CircleRefusal(_("Please say what the pair will practise."))
    if len(scenario) > 300:
        raise CircleRefusal(
            _("Please keep the scenario to %(max)d characters or fewer.") % {"max": 300}
        )
    scenario_page = original(scenario_page) if scenario_page is not None else None
    again = (
        PracticePair.objects.filter(
            circle=circle,
            scenario=scenario,
            scenario_page=scenario_page,
            created_at__gte=timezone.now() - SAME_PAIR_WINDOW,
        )
        .filter(Q(first=first, second=second) | Q(first=second, second=first))
        .first()
    )
    if again is not None:
        return again
    pair = PracticePair.objects.create(
        circle=circle,
        first=first,
        second=second,
        scenario=scenario,
        scenario_page=scenario_page,
        made_by=trainer if trainer is not None else invited_by.learner,
    )
    if trainer is not None:
        _log(
            circle,
            trainer,
            ModerationEvent.Action.PAIR_MADE,
            subject=str(pair),
            note=scenario,
        )
    for member in (first, second):
        if invited_by is None or member.pk != invited_by.pk:
            notify_member(member.pk)
    return pair


def _require_in_pair(pair: PracticePair, member: Member) -> None:
    if member.pk not in (pair.first_id, pair.second_id):
        raise CircleRefusal(_("Only the two people in a pair can do this."))


@transaction.atomic
def give_feedback(
    *, pair: PracticePair, member: Member, what_helped: str, one_thing_to_try: str
) -> PracticeFeedback:
    """Save the member's feedback for the other person; giving it again replaces it."""
    _require_in_pair(pair, member)
    _require_open(pair.circle)
    if pair.other(member).is_removed:
        raise CircleRefusal(
            _(
                "The other person is no longer in this circle, so feedback "
                "cannot go to them."
            )
        )
    fields = {}
    for name, value in (
        ("what_helped", what_helped),
        ("one_thing_to_try", one_thing_to_try),
    ):
        fields[name] = _checked_text(
            value,
            limit=FEEDBACK_MAX,
            empty_message=_("Please fill in both parts of the feedback."),
        )
    feedback, created = PracticeFeedback.objects.update_or_create(
        pair=pair, author=member, defaults=fields
    )
    if created:
        notify_member(pair.other(member).pk)
    return feedback


def share_pair_with_trainers(
    *, pair: PracticePair, member: Member, agree: bool
) -> None:
    """Record one member's yes (or no) to showing the pair's feedback to trainers."""
    _require_in_pair(pair, member)
    field = (
        "first_shares_with_trainers"
        if member.pk == pair.first_id
        else "second_shares_with_trainers"
    )
    setattr(pair, field, agree)
    pair.save(update_fields=[field])
