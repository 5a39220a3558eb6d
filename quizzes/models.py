from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField

from courses.content_check import MINUTES_RULE
from courses.models import NEUTRAL_PROMOTE_PANELS, StepPage, neutral_content_panels

from .blocks import QuestionsBlock
from .forms import answers_from
from .grading import Question, grade, questions_needed


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
            return TemplateResponse(
                request, "quizzes/review.html", self.preview_review_context(request)
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

    def get_context(self, request, *args, **kwargs):
        from .views import quiz_context

        context = super().get_context(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            context.update(quiz_context(request, self))
        else:
            chosen = getattr(request, "preview_answers", None) or {}
            context["preview_url"] = getattr(request, "preview_url", "")
            context["preview_questions"] = [
                {
                    **view,
                    "number": n,
                    "choices": [
                        {**c, "chosen": c["id"] in chosen.get(view["id"], [])}
                        for c in view["choices"]
                    ],
                }
                for n, view in enumerate(self.question_views(), start=1)
            ]
        return context

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
