"""Practice circles: a cohort's space to share reflections, reply and practise.

A circle belongs to one cohort. Its members are the cohort's learners who
chose a circle name; they never see each other's usernames or e-mail. What a
member writes is theirs: a withdrawn post or reply is deleted, and erasing an
account deletes everything its member wrote. Trainers moderate in the admin,
and every moderation action is kept in the circle's log.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from circles.normalise import skeleton
from courses.models import Cohort

CIRCLE_NAME_MAX = 40
POST_MAX = 4000
REPLY_MAX = 2000
NOTE_MAX = 200
FEEDBACK_MAX = 1000
REFLECTION_MAX = 6000


class Circle(models.Model):
    """A cohort's practice circle: how it is moderated, and whether it is open."""

    class Moderation(models.TextChoices):
        BEFORE = (
            "before",
            _("Before publishing: a trainer approves each post and reply first"),
        )
        AFTER = (
            "after",
            _("After publishing: posts and replies appear at once, trainers review"),
        )

    cohort = models.OneToOneField(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="circle",
    )
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.BEFORE,
    )
    learners_can_pair = models.BooleanField(
        _("members may start practice pairs"),
        default=False,
        help_text=_(
            "When ticked, a member can invite another member to practise a "
            "scenario. Trainers can always make pairs."
        ),
    )
    allowed_hosts = models.TextField(
        _("sites members may link to"),
        blank=True,
        help_text=_(
            "One site per line, such as example.org. A link in a post to one "
            "of these sites (or a part of it) can be followed; any other link "
            "is shown as plain text."
        ),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    deletion_warned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice circle")
        verbose_name_plural = _("practice circles")
        # Reading a circle's posts is reading learners' words: only trainers.
        permissions = [
            (
                "moderate_circle",
                _("Can read and moderate practice circles"),
            )
        ]

    def __str__(self):
        return f"Circle {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def premoderated(self) -> bool:
        return self.moderation == self.Moderation.BEFORE

    def host_list(self) -> list[str]:
        """The allowed sites, lower case, without a scheme or a leading "www."."""
        hosts = []
        for line in (self.allowed_hosts or "").splitlines():
            host = line.strip().lower()
            for prefix in ("https://", "http://"):
                host = host.removeprefix(prefix)
            host = host.split("/")[0].removeprefix("www.")
            if host and host not in hosts:
                hosts.append(host)
        return hosts


class Member(models.Model):
    """A learner in a circle, known there only by the circle name they chose."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="members")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="circle_memberships",
    )
    circle_name = models.CharField(_("circle name"), max_length=CIRCLE_NAME_MAX)
    # The name as the eye reads it (circles/normalise.py), so "Robin" and
    # "R\u043ebin" (a Cyrillic o) cannot both be taken in one circle.
    name_key = models.CharField(max_length=CIRCLE_NAME_MAX * 2, editable=False)
    wants_email = models.BooleanField(
        _("e-mail me a short note when there is something new for me"),
        default=False,
    )
    last_emailed_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("circle member")
        verbose_name_plural = _("circle members")
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "learner"], name="one_membership_per_circle"
            ),
            models.UniqueConstraint(
                fields=["circle", "name_key"], name="one_circle_name_per_circle"
            ),
        ]

    def __str__(self):
        return self.circle_name

    def save(self, *args, **kwargs):
        self.name_key = skeleton(self.circle_name)
        super().save(*args, **kwargs)

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Contribution(models.Model):
    """What a member writes for the circle: a post or a reply."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a trainer")
        PUBLISHED = "published", _("Shared")
        HIDDEN = "hidden", _("Hidden by a trainer")

    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # A trainer's private words to the author when hiding it; no one else sees them.
    hidden_note = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Post(Contribution):
    """A reflection a member chose to share with their circle."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="posts")
    content_note = models.CharField(_("content note"), max_length=NOTE_MAX, blank=True)
    # The lesson (its original) and the prompt, when shared from a reflection.
    lesson = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prompt = models.TextField(blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Post {self.pk}"


class Reply(Contribution):
    """A member's answer to a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="replies")

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Reply {self.pk}"


class Acknowledgement(models.Model):
    """A small sign of support from one member on a post; never counted."""

    class Kind(models.TextChoices):
        HEAR_YOU = "hear_you", _("I hear you")
        HELPED = "helped", _("This helped me")
        ME_TOO = "me_too", _("Me too")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member", "kind"], name="one_acknowledgement_of_a_kind"
            )
        ]

    def __str__(self):
        return f"Acknowledgement {self.pk}"


class Report(models.Model):
    """A member's concern about a post or a reply, for trainers to look at."""

    class Reason(models.TextChoices):
        UNKIND = "unkind", _("It is unkind or hurtful")
        UNSAFE = "unsafe", _("It could put someone at risk")
        PRIVATE = "private", _("It shares something private about someone")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    details = models.TextField(_("anything else"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, reply__isnull=True)
                | models.Q(post__isnull=True, reply__isnull=False),
                name="report_is_about_one_thing",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=models.Q(post__isnull=False),
                name="one_report_per_post_per_member",
            ),
            models.UniqueConstraint(
                fields=["reporter", "reply"],
                condition=models.Q(reply__isnull=False),
                name="one_report_per_reply_per_member",
            ),
        ]

    def __str__(self):
        return f"Report {self.pk}"


class ModerationEvent(models.Model):
    """One line of a circle's moderation log. It never copies what anyone wrote."""

    class Action(models.TextChoices):
        APPROVED = "approved", _("Approved")
        HIDDEN = "hidden", _("Hidden")
        RESTORED = "restored", _("Shown again")
        REPORTS_CLEARED = "reports_cleared", _("Reports cleared")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        MEMBER_RETURNED = "member_returned", _("Member let back in")
        CLOSED = "closed", _("Circle closed")
        REOPENED = "reopened", _("Circle reopened")
        SETTINGS = "settings", _("Settings changed")
        PAIR_MADE = "pair_made", _("Practice pair made")
        DELETION_WARNED = "deletion_warned", _("Trainers warned of deletion")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    # What it was about, without its words: "Post 12", "Reply 40", a member.
    subject = models.CharField(max_length=100, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Moderation event {self.pk}"


class PracticePair(models.Model):
    """Two members practising one scenario, with feedback for each other."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="pairs")
    first = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    # The lesson or quiz (its original) the scenario comes from.
    scenario_page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scenario = models.CharField(_("scenario"), max_length=300)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Each member's yes to showing the pair's feedback to trainers; both are needed.
    first_shares_with_trainers = models.BooleanField(default=False)
    second_shares_with_trainers = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first=models.F("second")),
                name="a_pair_is_two_members",
            )
        ]

    def __str__(self):
        return f"Practice pair {self.pk}"

    @property
    def shared_with_trainers(self) -> bool:
        return self.first_shares_with_trainers and self.second_shares_with_trainers

    def other(self, member: Member) -> Member:
        return self.second if member.pk == self.first_id else self.first


class PracticeFeedback(models.Model):
    """One member's feedback for the other in a pair: what helped, one thing to try."""

    pair = models.ForeignKey(
        PracticePair, on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    what_helped = models.TextField(_("what helped"), max_length=FEEDBACK_MAX)
    one_thing_to_try = models.TextField(_("one thing to try"), max_length=FEEDBACK_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "author"], name="one_feedback_per_member_per_pair"
            )
        ]

    def __str__(self):
        return f"Practice feedback {self.pk}"


class PrivateReflection(models.Model):
    """What a learner wrote for a reflection prompt and kept for themselves.

    Never shown to trainers, never in the admin; in the learner's export and
    erased with their account.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="private_reflections",
    )
    lesson = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    text = models.TextField(max_length=REFLECTION_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson", "block_id"],
                name="one_private_reflection_per_prompt",
            )
        ]

    def __str__(self):
        return f"Private reflection {self.pk}"
