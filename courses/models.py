from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PanelPlaceholder
from wagtail.search import index
from wagtail.url_routing import RouteResult
from wagtail_localize.fields import SynchronizedField

from circles.neutral import NEUTRAL_SLUG_HELP, NEUTRAL_TITLE_HELP, sensitive_words_in
from circles.refusals import Refusal

from .blocks import LessonBlock, OutcomeBlock, image_description
from .content_check import HOURS_RULE, MINUTES_RULE
from .join_codes import (
    JOIN_CODE_HELP,
    InvalidJoinCode,
    check_join_code,
    format_join_code,
    generate_join_code,
    normalize_join_code,
)
from .join_codes import MAX_LENGTH as MAX_JOIN_CODE_LENGTH
from .locales import PreviewInItsLanguageMixin


class NeutralFrameMixin:
    """Refuse titles and slugs that would expose a learner on a shared device.

    A translation keeps its original's slug, never offered to translators: every
    language shares one address, so switching language keeps the learner's place
    (courses/locales.py).
    """

    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    def clean(self):
        super().clean()
        errors = {}
        for field in ("title", "slug", "seo_title"):
            words = sensitive_words_in(getattr(self, field, ""))
            if words:
                errors[field] = _(
                    "Please use a neutral wording without “%(words)s”: this shows "
                    "in browser history and on certificates."
                ) % {"words": ", ".join(sorted(set(words)))}
        if errors:
            raise ValidationError(errors)


def neutral_content_panels(*panels):
    # TitleFieldPanel fills the slug from the title while the page is a draft,
    # so a first publish never stops on the hidden Promote tab.
    return [TitleFieldPanel("title", help_text=NEUTRAL_TITLE_HELP), *panels]


class RegisteredPanels(PanelPlaceholder):
    """Panels that apps above courses add to a page's editor through a Wagtail hook.

    Courses import nothing from those apps, so each registers a function under
    the hook's name that returns its panel; the editor is built after every
    app is loaded, when the hook's functions are all known. No function, no
    panel.
    """

    def __init__(self, hook_name: str):
        super().__init__("wagtail.admin.panels.ObjectList", [], {})
        self.hook_name = hook_name

    def construct(self):
        panels = [make_panel() for make_panel in hooks.get_hooks(self.hook_name)]
        if len(panels) > 1:
            return ObjectList(panels)
        return panels[0] if panels else None


#: The hook under which apps register their panels on a course's editor.
COURSE_PANELS_HOOK = "register_course_panels"

NEUTRAL_PROMOTE_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("slug", help_text=NEUTRAL_SLUG_HELP),
            FieldPanel("seo_title", help_text=NEUTRAL_TITLE_HELP),
            FieldPanel("search_description"),
        ],
        heading=_("For search engines"),
    ),
]


class CourseIndexPage(NeutralFrameMixin, PreviewInItsLanguageMixin, Page):
    """The course catalogue at /courses/."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    admin_default_ordering = "ord"
    page_description = _("The list of all courses.")
    content_panels = neutral_content_panels(FieldPanel("intro"))
    promote_panels = NEUTRAL_PROMOTE_PANELS

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.child_of(self).live().public().order_by("path")
        )
        return context


class CoursePage(NeutralFrameMixin, PreviewInItsLanguageMixin, RoutablePageMixin, Page):
    """A course: an overview, then modules of lessons and quizzes in tree order."""

    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Enrolment(models.TextChoices):
        OPEN = "open", _("Learners enrol themselves")
        COHORT = "cohort", _("Learners need a join code from their trainer")

    summary = models.TextField(
        _("summary"), help_text=_("Two or three plain sentences: what and for whom.")
    )
    learning_outcomes = StreamField(
        [("outcome", OutcomeBlock())],
        blank=True,
        verbose_name=_("learning outcomes"),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("More than zero: certificates state the hours."),
    )
    hours_reason = models.TextField(
        _("why the hours differ from the steps"),
        blank=True,
        help_text=_(
            "Only if the hours are not the steps' minutes added up: say why, for "
            "example a live session or practice outside the site."
        ),
    )
    audience = models.CharField(_("who it is for"), max_length=255, blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.INTRODUCTORY
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image_alt = models.CharField(
        _("cover image description"),
        max_length=255,
        blank=True,
        help_text=_(
            "What the cover image shows, in one sentence. Leave empty to use the "
            "description saved with the image."
        ),
    )
    content_note = models.TextField(
        _("content note"),
        blank=True,
        help_text=_(
            "If the course covers hard topics, say which, plainly. Shown on the "
            "course page before anyone enrols."
        ),
    )
    enrolment_policy = models.CharField(
        _("enrolment"), max_length=10, choices=Enrolment.choices, default=Enrolment.OPEN
    )

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    # The admin lists modules in the order learners meet them.
    admin_default_ordering = "ord"
    page_description = _("A course: an overview, then modules in order.")
    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = neutral_content_panels(
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        FieldRowPanel(
            [
                FieldPanel("estimated_hours", help_text=HOURS_RULE),
                FieldPanel("level"),
            ],
            heading=_("Time and level"),
        ),
        FieldPanel("hours_reason"),
        FieldPanel("audience"),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_image_alt")],
            heading=_("Cover image"),
        ),
        FieldPanel("content_note"),
        InlinePanel(
            "prerequisites",
            label=_("Courses to finish first"),
            heading=_("Prerequisites"),
        ),
        FieldPanel("enrolment_policy"),
        # The course's certificate settings, which certificates owns.
        RegisteredPanels(COURSE_PANELS_HOOK),
    )
    promote_panels = NEUTRAL_PROMOTE_PANELS

    class Meta:
        verbose_name = _("course")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_hours__gt=0),
                name="course_hours_above_zero",
            )
        ]

    def get_context(self, request, *args, **kwargs):
        from .selectors import enrolment_for, learner_progress, missing_prerequisites

        context = super().get_context(request, *args, **kwargs)
        enrolment = enrolment_for(learner=request.user, course=self)
        progress = learner_progress(learner=request.user, course=self)
        new_step_ids = set()
        if enrolment and enrolment.completed_at:
            new_step_ids = {
                s.id
                for s in progress.outline.steps
                if not progress.is_done(s.id)
                and s.first_published_at
                and s.first_published_at > enrolment.completed_at
            }
        context.update(
            enrolment=enrolment,
            progress=progress,
            new_step_ids=new_step_ids,
            # Only a learner not yet enrolled is shown what to finish first.
            missing_prerequisites=[]
            if enrolment
            else missing_prerequisites(learner=request.user, course=self),
            last_step=progress.outline.step(enrolment.last_step_id)
            if enrolment and enrolment.last_step_id
            else None,
        )
        return context

    @path("enrol/", name="enrol")
    @method_decorator([login_required, require_POST])
    def enrol(self, request):
        """Enrol the learner, with the join code a cohort course asks for."""
        from . import services
        from .forms import EnrolForm
        from .join_code_limits import count_wrong_join_code, join_code_limited
        from .outline import course_outline

        form = EnrolForm(request.POST)
        if not form.is_valid():
            return self._render_with_enrol_form(request, form, status=400)
        join_code = form.cleaned_data["join_code"]
        if join_code and join_code_limited(request, self):
            form.add_error(
                "join_code",
                _(
                    "That is a lot of tries in a short time. Please wait ten "
                    "minutes and try again. Your code is still here."
                ),
            )
            return self._render_with_enrol_form(request, form, status=429)
        try:
            enrolment = services.enrol(
                learner=request.user, course=self, join_code=join_code
            )
        except services.JoinCodeRefused as refusal:
            count_wrong_join_code(request, self)
            form.add_error("join_code", refusal.message)
            return self._render_with_enrol_form(request, form, status=400)
        except services.EnrolmentRefused as refusal:
            messages.error(request, refusal.message)
            return redirect(self.url)
        first = course_outline(self).steps[:1]
        messages.success(request, _("You are enrolled. Take it at your own pace."))
        if first and enrolment.last_step_id is None:
            return redirect(first[0].url)
        return redirect(self.url)

    def _render_with_enrol_form(self, request, form, *, status: int):
        """The course page again, with the join code as typed and what went wrong."""
        response = self.render(request, context_overrides={"enrol_form": form})
        response.status_code = status
        return response

    @property
    def whole_hours(self) -> int:
        """The estimate rounded to whole hours, for choosing 'hour' or 'hours'."""
        return max(1, round(self.estimated_hours or 0))

    def clean(self):
        super().clean()
        if self.cover_image_id and not self.cover_image_description:
            raise ValidationError(
                {
                    "cover_image_alt": _(
                        "Describe the cover image for screen readers, here or in "
                        "the image's description in the image library."
                    )
                }
            )

    @property
    def cover_image_description(self) -> str:
        return image_description(self.cover_image, self.cover_image_alt)


class CoursePrerequisite(Orderable):
    course = ParentalKey(
        CoursePage, related_name="prerequisites", on_delete=models.CASCADE
    )
    required_course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        related_name="+",
        on_delete=models.CASCADE,
    )

    panels = [PageChooserPanel("required_course", "courses.CoursePage")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["course", "required_course"], name="unique_prerequisite"
            )
        ]

    def clean(self):
        if self.course_id and self.course_id == self.required_course_id:
            raise ValidationError(_("A course cannot require itself."))


class ModulePage(NeutralFrameMixin, PreviewInItsLanguageMixin, Page):
    """A unit of a course: its lessons and quizzes, in tree order."""

    intro = models.TextField(_("introduction"), blank=True)
    content_note = models.TextField(
        _("content note"),
        blank=True,
        help_text=_(
            "If this module covers hard topics, say which, plainly. Learners see it "
            "before the first step and can continue, skip for now or take a break."
        ),
    )

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]
    admin_default_ordering = "ord"
    page_description = _("A module of a course: lessons and quizzes in order.")
    content_panels = neutral_content_panels(
        FieldPanel("intro"), FieldPanel("content_note")
    )
    promote_panels = NEUTRAL_PROMOTE_PANELS

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from .locales import original_id
        from .selectors import course_for_page, enrolment_for, learner_progress

        context = super().get_context(request, *args, **kwargs)
        course = course_for_page(self) if self.pk else None
        if course is not None:
            progress = learner_progress(learner=request.user, course=course)
            context.update(
                course=course,
                progress=progress,
                module_entry=progress.outline.module(original_id(self)),
                enrolment=enrolment_for(learner=request.user, course=course),
            )
        return context


class StepPage(NeutralFrameMixin, PreviewInItsLanguageMixin, RoutablePageMixin, Page):
    """What lessons and quizzes share: a time estimate and an optional content note."""

    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=10
    )
    content_note = models.TextField(
        _("content note"),
        blank=True,
        help_text=_(
            "If this step covers hard topics, say which, plainly. Learners see it "
            "first and can continue, skip for now or take a break."
        ),
    )

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    # Routes that still answer, with why, once a trainer takes the step down.
    actions_when_taken_down: tuple[str, ...] = ("complete", "skip", "continue")

    class Meta:
        abstract = True

    def learner_step_number(self) -> int | None:
        """The number learners see on this step ("Step 4 of 23"); None when hidden."""
        from .locales import original_id
        from .outline import outline_at_course_path

        if not (self.pk and self.live):
            return None
        # A step sits two levels below its course (course → module → step).
        outline = outline_at_course_path(self.path[: -2 * self.steplen])
        entry = outline.step(original_id(self)) if outline else None
        return entry.number if entry else None

    def get_admin_display_title(self):
        """The title with the step number learners see, so the admin shows the order."""
        title = super().get_admin_display_title()
        number = self.learner_step_number()
        if number is None:
            return title
        return _("Step %(number)s · %(title)s") % {"number": number, "title": title}

    def route(self, request, path_components):
        """Route the step's actions even once it is taken down, so they can say why.

        A learner's second tab may post to a step a trainer has just unpublished;
        the action refuses with a message and keeps what it can, where a bare 404
        would lose it. The step itself still answers 404 as Wagtail does, and
        privacy still applies, since Wagtail checks it after routing.
        """
        if not self.live and path_components:
            try:
                match = self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                match = None
            if match and match.url_name in self.actions_when_taken_down:
                return RouteResult(self, args=(match.func, match.args, match.kwargs))
        return super().route(request, path_components)

    @path("")
    def index_route(self, request):
        """The step itself, for enrolled learners and trainers; content notes first."""
        if getattr(request, "is_preview", False):
            return self.render(request)
        return self.serve_step(request)

    def serve_step(self, request, **context):
        """Admit the learner and render the step with `context`, or refuse politely."""
        from .learning import can_preview, step_state
        from .services import record_visit

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        state = step_state(request, self)
        if state.enrolment is None and not can_preview(request.user):
            messages.info(request, _("Please enrol in this course to start it."))
            return redirect(state.course.url)
        if state.enrolment is not None:
            record_visit(enrolment=state.enrolment, step=self)
        if state.notes:
            return TemplateResponse(
                request,
                "courses/content_note.html",
                {"page": self, "state": state, "self": self},
            )
        return self.render(request, state=state, **context)

    @path("skip/", name="skip")
    @method_decorator([login_required, require_POST])
    def skip(self, request):
        """Skip the step for now at its content note; it stays open on the course."""
        from .services import skip_step

        try:
            skip_step(learner=request.user, step=self)
        except Refusal as refusal:
            messages.info(request, refusal.message)
            return redirect("dashboard")
        messages.info(
            request,
            _(
                "Skipped for now. It stays on your list, and you can come back any "
                "time."
            ),
        )
        return redirect(self.next_url())

    @path("continue/", name="continue")
    @method_decorator([login_required, require_POST])
    def continue_past_note(self, request):
        """The learner read the content note and chose to continue."""
        from .content_notes import mark_seen
        from .locales import original_id
        from .outline import course_outline
        from .selectors import course_for_page

        course = course_for_page(self)
        entry = course_outline(course).step(original_id(self)) if course else None
        if entry is None:
            raise Http404
        mark_seen(request, [entry.id, entry.module_id])
        return redirect(entry.url)

    def next_url(self) -> str:
        """Where to go after this step, in the language it is read in: the next
        step, or the course page after the last one."""
        from .locales import original_id
        from .outline import course_outline
        from .selectors import course_for_page

        course = course_for_page(self)
        _previous, following = course_outline(course).neighbours(original_id(self))
        return following.url if following else course.url

    def get_context(self, request, *args, state=None, **kwargs):
        """The page's context, with where the learner stands (a preview's when none)."""
        from .learning import preview_state

        context = super().get_context(request, *args, **kwargs)
        context["state"] = state or preview_state(request, self)
        return context


class LessonPage(StepPage):
    """One step of a module: content the learner reads, watches or does."""

    summary = models.CharField(_("summary"), max_length=255, blank=True)
    body = StreamField(LessonBlock(), verbose_name=_("body"))

    page_description = _("A step of a module: text, media and activities.")
    search_fields = Page.search_fields + [index.SearchField("body")]
    content_panels = neutral_content_panels(
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("estimated_minutes", help_text=MINUTES_RULE)]),
        FieldPanel("content_note"),
        FieldPanel("body"),
    )
    promote_panels = NEUTRAL_PROMOTE_PANELS

    class Meta:
        verbose_name = _("lesson")

    @path("complete/", name="complete")
    @method_decorator([login_required, require_POST])
    def complete(self, request):
        """Mark the lesson complete and go on to the next step."""
        from .selectors import course_for_page
        from .services import NotEnrolled, StepUnavailable, complete_step

        try:
            outcome = complete_step(learner=request.user, step=self)
        except NotEnrolled as refusal:
            messages.info(request, refusal.message)
            course = course_for_page(self)
            return redirect(course.url if course else "/courses/")
        except StepUnavailable as refusal:
            messages.info(request, refusal.message)
            course = course_for_page(self)
            return redirect(course.url if course and course.live else "dashboard")
        if not outcome.created:
            messages.info(request, _("You had already finished this step. Carry on."))
        if outcome.course_completed_now:
            messages.success(
                request, _("Well done: you have finished every step of this course.")
            )
            return redirect(course_for_page(self).url)
        return redirect(self.next_url())


class Cohort(ClusterableModel):
    """A group of learners taking a course together, joined with a code."""

    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="cohorts",
    )
    name = models.CharField(_("name"), max_length=100)
    # Stored in canonical form (courses.join_codes); empty means "make one".
    join_code = models.CharField(
        _("join code"),
        max_length=MAX_JOIN_CODE_LENGTH,
        unique=True,
        blank=True,
        help_text=JOIN_CODE_HELP,
        error_messages={
            "unique": _(
                "Another cohort already uses this join code (case, spaces and "
                "dashes do not count). Choose another, or leave it empty."
            )
        },
    )
    is_open = models.BooleanField(
        _("open for joining"),
        default=True,
        help_text=_("When closed, the join code lets no one new in."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_on_or_after_start",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def display_join_code(self) -> str:
        return format_join_code(self.join_code)

    def clean(self):
        super().clean()
        errors = {}
        if self.join_code:
            try:
                self.join_code = check_join_code(self.join_code)
            except InvalidJoinCode as invalid:
                errors["join_code"] = invalid.message
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.join_code = normalize_join_code(self.join_code)
        if not self.join_code:
            self.join_code = unused_join_code()
        super().save(*args, **kwargs)


def unused_join_code() -> str:
    """A fresh generated code that no cohort holds yet."""
    while True:
        code = generate_join_code()
        if not Cohort.objects.filter(join_code=code).exists():
            return code


class CohortSuggestedDate(models.Model):
    """A gentle target for a cohort: aim to finish this module by this date."""

    cohort = ParentalKey(
        Cohort, related_name="suggested_dates", on_delete=models.CASCADE
    )
    module = models.ForeignKey(
        ModulePage,
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    finish_by = models.DateField(_("aim to finish by"))

    class Meta:
        verbose_name = _("suggested date")
        verbose_name_plural = _("suggested dates")
        ordering = ["finish_by", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "module"], name="one_suggested_date_per_module"
            )
        ]

    def __str__(self):
        return f"Suggested date {self.pk}"


class CohortAnnouncement(models.Model):
    """A trainer's short message to a cohort, shown on its learners' My learning."""

    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    text = models.TextField(_("message"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Announcement {self.pk}"


class AnnouncementDismissal(models.Model):
    """A learner has read an announcement and hidden it. One row per learner, ever."""

    announcement = models.ForeignKey(
        CohortAnnouncement, on_delete=models.CASCADE, related_name="dismissals"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "learner"], name="one_dismissal_per_learner"
            )
        ]

    def __str__(self):
        return f"Dismissal {self.pk}"


class Enrolment(models.Model):
    """A learner taking a course: when they started, finished and last were."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrolments"
    )
    cohort = models.ForeignKey(
        Cohort,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"], name="one_enrolment_per_course"
            )
        ]
        # Learner data is for trainers only: Wagtail's Editors and Moderators
        # groups hold neither of these.
        permissions = [
            (
                "view_learner_progress",
                _("Can see learners' progress, gradebook and reports"),
            ),
            (
                "change_learner_progress",
                _("Can reset quiz attempts and mark steps complete for a learner"),
            ),
        ]

    def __str__(self):
        return f"Enrolment {self.pk}"


class StepCompletion(models.Model):
    """A learner finished a step. One row per learner and step, ever."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions"
    )
    step = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)
    # Set when a trainer marked the step complete for the learner, with why.
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "step"], name="one_completion_per_step"
            )
        ]

    def __str__(self):
        return f"Completion {self.pk}"


class StepSkip(models.Model):
    """A learner chose 'skip for now' at a content note; the step stays open."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    step = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    skipped_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "step"], name="one_skip_per_step"
            )
        ]

    def __str__(self):
        return f"Skip {self.pk}"
