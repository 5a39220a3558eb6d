from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField

from courses.content_check import MINUTES_RULE
from courses.locales import rendered_in_its_language
from courses.models import NEUTRAL_PROMOTE_PANELS, StepPage, neutral_content_panels

from .blocks import QuestionsBlock
from .forms import answers_from
from .grading import InvalidAnswers, Question, grade, questions_needed


class PassMarkPanel(HelpPanel):
    """Say what the saved pass mark means in questions, next to the settings."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.content = escape(self.instance.pass_mark_in_words())


class QuizPage(StepPage):
    """A step of a module: questions the learner answers, graded on the server."""

    class ShowAnswers(models.TextChoices):
        ALWAYS = "always", _("After every attempt")
        AFTER_PASS = "after_pass", _("Only after passing")
        NEVER = "never", _("Never")

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("What the quiz covers. Say it is practice, not a test of worth."),
    )
    questions = StreamField(QuestionsBlock(), verbose_name=_("questions"))
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "The share of questions to get right. Scores round down, so on a short "
            "quiz a high mark can mean every question: see the line below."
        ),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts (recommended)."),
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Draw this many questions from the pool. Empty: ask them all."),
    )
    shuffle_choices = models.BooleanField(_("shuffle the answers"), default=False)
    show_answers = models.CharField(
        _("show the correct answers"),
        max_length=12,
        choices=ShowAnswers.choices,
        default=ShowAnswers.ALWAYS,
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Off when empty, which is best for most learners: a countdown can "
            "cause stress. Use only when a time limit is really needed."
        ),
    )

    page_description = _("A step of a module: a quiz with feedback.")
    content_panels = neutral_content_panels(
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("estimated_minutes", help_text=MINUTES_RULE)]),
        FieldPanel("content_note"),
        FieldPanel("questions"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("pass_mark"), FieldPanel("attempts_allowed")]
                ),
                FieldRowPanel(
                    [FieldPanel("draw_count"), FieldPanel("shuffle_choices")]
                ),
                FieldRowPanel(
                    [FieldPanel("show_answers"), FieldPanel("time_limit_minutes")]
                ),
                PassMarkPanel(),
            ],
            heading=_("Quiz settings"),
        ),
    )
    promote_panels = NEUTRAL_PROMOTE_PANELS
    # Answers sent as the quiz goes down are kept, and the learner told why.
    actions_when_taken_down = (*StepPage.actions_when_taken_down, "attempt")
    preview_modes = [
        ("", _("Questions")),
        ("review", _("Review after a try")),
    ]

    class Meta:
        verbose_name = _("quiz")

    @property
    def questions_per_attempt(self) -> int:
        pool = len(self.questions)
        return min(self.draw_count, pool) if self.draw_count else pool

    def pass_mark_in_words(self) -> str:
        asked = self.questions_per_attempt
        if not asked:
            return str(
                _("Add questions and save a draft to see what the pass mark means.")
            )
        needed = questions_needed(self.pass_mark or 0, asked)
        return ngettext(
            "As saved: a pass mark of %(mark)s%% means %(needed)s of %(asked)s "
            "question right.",
            "As saved: a pass mark of %(mark)s%% means %(needed)s of %(asked)s "
            "questions right.",
            asked,
        ) % {"mark": self.pass_mark, "needed": needed, "asked": asked}

    def clean(self):
        super().clean()
        pool = len(self.questions)
        if self.draw_count and self.draw_count > pool:
            raise ValidationError(
                {
                    "draw_count": ngettext(
                        "The quiz has %(pool)s question, so an attempt cannot draw "
                        "%(count)s. Add questions or lower this number.",
                        "The quiz has %(pool)s questions, so an attempt cannot draw "
                        "%(count)s. Add questions or lower this number.",
                        pool,
                    )
                    % {"pool": pool, "count": self.draw_count}
                }
            )

    def make_preview_request(
        self, original_request=None, preview_mode=None, extra_request_attrs=None
    ):
        # The review preview marks answers the trainer ticks in the questions
        # preview, which sends them as query parameters to the preview URL.
        attrs = dict(extra_request_attrs or {})
        if original_request is not None:
            attrs["preview_answers"] = answers_from(original_request.GET)
            attrs["preview_url"] = original_request.path
        return super().make_preview_request(original_request, preview_mode, attrs)

    def serve_preview(self, request, mode_name):
        if mode_name == "review":
            return rendered_in_its_language(
                self,
                lambda: TemplateResponse(
                    request, "quizzes/review.html", self.preview_review_context(request)
                ),
            )
        return super().serve_preview(request, mode_name)

    def preview_review_context(self, request) -> dict:
        """The review a learner would see after answering as the trainer chose."""
        from courses.learning import preview_state

        from .selectors import review_questions

        chosen = getattr(request, "preview_answers", None) or {}
        questions = self.grading_questions()
        answers = chosen or {q.id: sorted(q.correct) for q in questions}
        result = grade(questions, answers)
        attempt = QuizAttempt(
            quiz=self,
            question_ids=[q.id for q in questions],
            answers={k: list(v) for k, v in answers.items()},
            score=result.score,
            passed=result.passed(self.pass_mark),
            results={q.question_id: q.is_right for q in result.questions},
        )
        state = preview_state(request, self)
        return {
            "page": self,
            "self": self,
            "attempt": attempt,
            "questions": review_questions(attempt),
            "course": state.course if state else None,
            "module": state.module if state else None,
            "next_step": state.next if state else None,
            "attempts_left": None,
            "open_attempt": None,
            "preview_uses_right_answers": not chosen,
        }

    def get_context(self, request, *args, errors=None, **kwargs):
        """The quiz as the learner takes it, or as a trainer previews it."""
        from .selectors import quiz_form

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context.update(self.preview_form_context(request))
        elif request.user.is_authenticated:
            context.update(
                quiz_form(learner=request.user, quiz=self, errors=errors or {})
            )
        return context

    def preview_form_context(self, request) -> dict:
        """The questions a trainer previews, with the answers they ticked."""
        # Wagtail's preview hands make_preview_request's extra attributes to the
        # preview on the request: that is its API, so they are read from there.
        chosen = getattr(request, "preview_answers", None) or {}
        return {
            "preview_url": getattr(request, "preview_url", ""),
            "preview_questions": [
                {
                    **view,
                    "number": n,
                    "choices": [
                        {**c, "chosen": c["id"] in chosen.get(view["id"], [])}
                        for c in view["choices"]
                    ],
                }
                for n, view in enumerate(self.question_views(), start=1)
            ],
        }

    @path("start/", name="start")
    @method_decorator([login_required, require_POST])
    def start(self, request):
        """Start an attempt, or resume the open one, and show its questions."""
        from courses.locales import original
        from courses.selectors import course_for_page, enrolment_for

        from .services import AttemptRefused, start_attempt

        course = course_for_page(self)
        if enrolment_for(learner=request.user, course=course) is None:
            messages.info(request, _("Please enrol in this course to start it."))
            return redirect(course.url)
        try:
            # Attempts are of the original quiz, whichever language it is read in.
            start_attempt(learner=request.user, quiz=original(self))
        except AttemptRefused as refusal:
            messages.info(request, refusal.message)
        return redirect(self.url)

    @path("attempts/<int:attempt_id>/", name="attempt")
    @method_decorator([login_required, require_http_methods(["GET", "POST"])])
    def attempt(self, request, attempt_id: int):
        """GET: the review of a graded attempt. POST: save or submit its answers."""
        from courses.locales import original_id

        # Someone else's attempt is simply not found: no hint that it exists.
        attempt = get_object_or_404(
            QuizAttempt.objects.select_related("quiz"),
            pk=attempt_id,
            learner=request.user,
            quiz_id=original_id(self),
        )
        if request.method == "GET":
            if attempt.is_open:
                return redirect(self.url)
            return self.review(request, attempt)
        if request.POST.get("action") == "save":
            return self.save_answers(request, attempt)
        return self.submit(request, attempt)

    def attempt_url(self, attempt: "QuizAttempt") -> str:
        return self.url + self.reverse_subpage("attempt", args=(attempt.pk,))

    def review(self, request, attempt: "QuizAttempt"):
        """Show a graded attempt: the score, and each answer with its feedback."""
        from .selectors import attempt_review

        context = attempt_review(learner=request.user, quiz=self, attempt=attempt)
        return TemplateResponse(request, "quizzes/review.html", context)

    def save_answers(self, request, attempt: "QuizAttempt"):
        """Keep the answers so far: JSON for the page's autosave, else a redirect."""
        from .services import AttemptRefused, save_answers

        wants_json = "application/json" in request.headers.get("Accept", "")
        # A question with nothing ticked sends no field at all: it was cleared.
        answers = {
            **{qid: [] for qid in attempt.question_ids},
            **answers_from(request.POST),
        }
        try:
            save_answers(attempt=attempt, answers=answers)
        except (InvalidAnswers, AttemptRefused) as error:
            message = getattr(error, "message", None) or _(
                "Some answers could not be saved: they are not part of this quiz."
            )
            if wants_json:
                return JsonResponse(
                    {"saved": False, "message": str(message)}, status=400
                )
            messages.info(request, message)
            return redirect(self.url)
        if wants_json:
            return JsonResponse(
                {"saved": True, "message": str(_("Your answers are saved."))}
            )
        messages.success(
            request, _("Your answers are saved. You can come back and finish later.")
        )
        return redirect(self.url)

    def submit(self, request, attempt: "QuizAttempt"):
        """Grade the attempt once and show the review; keep what can be kept if not."""
        from courses.selectors import course_for_page

        from .services import QuizPaused, submit_attempt

        if not attempt.is_open:
            messages.info(
                request, _("This attempt was already submitted. Here is your result.")
            )
            return redirect(self.attempt_url(attempt))
        try:
            outcome = submit_attempt(
                attempt=attempt, answers=answers_from(request.POST)
            )
        except QuizPaused as paused:
            messages.info(request, paused.message)
            course = course_for_page(self)
            return redirect(course.url if course and course.live else "dashboard")
        except InvalidAnswers as error:
            if set(error.problems) - set(attempt.question_ids):
                messages.info(
                    request,
                    _("Part of the form did not match this quiz, so it was not saved."),
                )
            errors = {k: str(v) for k, v in error.problems.items()}
            return self.serve_step(request, errors=errors)
        if outcome.graded_late:
            messages.info(
                request,
                _(
                    "The time for this attempt was over, so only the answers saved "
                    "in time were marked."
                ),
            )
        if outcome.completed_course:
            messages.success(
                request, _("Well done: you have finished every step of this course.")
            )
        return redirect(self.attempt_url(outcome.attempt))

    def question_views(self, ids=None) -> list[dict]:
        """Questions as plain dicts in the order of `ids` (default: the pool's)."""
        by_id = {}
        for bound in self.questions:
            block = bound.block
            view = {
                "id": str(bound.id),
                "kind": bound.block_type,
                "scenario": bound.value.get("scenario", ""),
                "text": bound.value["question"],
                "multiple": block.allows_multiple(bound.value),
                "choices": block.choices_of(bound.value),
                "explanation": bound.value.get("explanation", ""),
            }
            by_id[view["id"]] = view
        order = ids if ids is not None else list(by_id)
        return [by_id[i] for i in order if i in by_id]

    def grading_questions(self, ids=None) -> list[Question]:
        by_id = {
            str(b.id): b.block.as_question(str(b.id), b.value) for b in self.questions
        }
        order = ids if ids is not None else list(by_id)
        return [by_id[i] for i in order if i in by_id]


class QuizAttempt(models.Model):
    """One go at a quiz: the questions drawn, the answers saved, and the grade."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, related_name="attempts"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    question_ids = models.JSONField(default=list)
    choice_order = models.JSONField(default=dict)
    answers = models.JSONField(default=dict)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    results = models.JSONField(default=dict)
    # A trainer's reset keeps the attempt for the record but stops it counting
    # against the learner's attempts.
    reset_at = models.DateTimeField(null=True, blank=True)
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reset_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "quiz"],
                condition=Q(submitted_at__isnull=True),
                name="one_open_attempt_per_quiz",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="score_is_a_percentage",
            ),
        ]

    def __str__(self):
        return f"Attempt {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    def quiz_as_attempted(self) -> QuizPage:
        """The quiz as it was when the attempt started: later edits change nothing."""
        if self.revision_id:
            return self.revision.as_object()
        return self.quiz


def questions_for(attempt: QuizAttempt) -> list[Question]:
    return attempt.quiz_as_attempted().grading_questions(attempt.question_ids)
