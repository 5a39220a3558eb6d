import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.outline import course_outline
from courses.selectors import (
    course_for_page,
    enrolment_for,
    may_view,
    viewable_page_or_404,
)

from . import services
from .forms import answers_from
from .grading import InvalidAnswers
from .models import QuizAttempt, QuizPage
from .selectors import form_questions, review_questions


def _own_attempt(request, attempt_id: int) -> QuizAttempt:
    # Someone else's attempt is simply not found: no hint that it exists.
    return get_object_or_404(
        QuizAttempt.objects.select_related("quiz"), pk=attempt_id, learner=request.user
    )


@login_required
@require_POST
def start(request, quiz_id: int):
    quiz = viewable_page_or_404(request, QuizPage.objects.live(), quiz_id)
    course = course_for_page(quiz)
    if enrolment_for(learner=request.user, course=course) is None:
        messages.info(request, _("Please enrol in this course to start it."))
        return redirect(course.url)
    try:
        services.start_attempt(learner=request.user, quiz=quiz)
    except services.AttemptRefused as refusal:
        messages.info(request, refusal.message)
    return redirect(quiz.url)


@login_required
@require_http_methods(["GET", "POST"])
def attempt(request, attempt_id: int):
    """GET: the review of a graded attempt. POST: save or submit answers."""
    attempt = _own_attempt(request, attempt_id)
    quiz = attempt.quiz
    if not may_view(request, quiz):
        raise Http404
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "GET":
        if attempt.is_open:
            return redirect(quiz.url)
        return render_review(request, attempt)

    answers = answers_from(request.POST)
    if request.POST.get("action") == "save":
        # A question with nothing ticked sends no field at all: it was cleared.
        answers = {**{qid: [] for qid in attempt.question_ids}, **answers}
        try:
            services.save_answers(attempt=attempt, answers=answers)
        except (InvalidAnswers, services.AttemptRefused) as error:
            message = getattr(error, "message", None) or _(
                "Some answers could not be saved: they are not part of this quiz."
            )
            if wants_json:
                return JsonResponse(
                    {"saved": False, "message": str(message)}, status=400
                )
            messages.info(request, message)
            return redirect(quiz.url)
        if wants_json:
            return JsonResponse(
                {"saved": True, "message": _("Your answers are saved.")}
            )
        messages.success(
            request, _("Your answers are saved. You can come back and finish later.")
        )
        return redirect(quiz.url)

    if not attempt.is_open:
        messages.info(
            request, _("This attempt was already submitted. Here is your result.")
        )
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    try:
        graded = services.submit_attempt(attempt=attempt, answers=answers)
    except services.QuizPaused as paused:
        messages.info(request, paused.message)
        course = course_for_page(quiz)
        return redirect(course.url if course and course.live else "dashboard")
    except InvalidAnswers as error:
        attempt.refresh_from_db()
        request.quiz_errors = {k: str(v) for k, v in error.problems.items()}
        unknown = set(error.problems) - set(attempt.question_ids)
        if unknown:
            messages.info(
                request,
                _("Part of the form did not match this quiz, so it was not saved."),
            )
        return quiz.serve(request)
    if graded.graded_late:
        messages.info(
            request,
            _(
                "The time for this attempt was over, so only the answers saved in "
                "time were marked."
            ),
        )
    if graded.completed_course:
        messages.success(
            request, _("Well done: you have finished every step of this course.")
        )
    return redirect("quizzes:attempt", attempt_id=graded.pk)


def render_review(request, attempt: QuizAttempt):
    quiz = attempt.quiz
    course = course_for_page(quiz)
    outline = course_outline(course)
    step = outline.step(quiz.pk)
    _previous, following = outline.neighbours(quiz.pk)
    module = outline.module(step.module_id) if step else None
    return TemplateResponse(
        request,
        "quizzes/review.html",
        {
            "page": quiz,
            "attempt": attempt,
            "questions": review_questions(attempt),
            "course": course,
            "module": module,
            "next_step": following,
            "attempts_left": services.attempts_left(learner=request.user, quiz=quiz),
            "open_attempt": services.open_attempt(learner=request.user, quiz=quiz),
        },
    )


def quiz_context(request, quiz: QuizPage) -> dict:
    """What the quiz page shows: the open attempt's form, or how to start one."""
    if not request.user.is_authenticated:
        return {}
    current = services.open_attempt(learner=request.user, quiz=quiz)
    last = (
        QuizAttempt.objects.filter(
            learner=request.user, quiz=quiz, submitted_at__isnull=False
        )
        .order_by("-submitted_at")
        .first()
    )
    minutes_left = None
    if current and current.deadline:
        seconds = (current.deadline - timezone.now()).total_seconds()
        minutes_left = max(0, math.ceil(seconds / 60))
    return {
        "minutes_left": minutes_left,
        "attempt": current,
        "questions": form_questions(current) if current else [],
        "errors": getattr(request, "quiz_errors", {}),
        "last_attempt": last,
        "attempts_left": services.attempts_left(learner=request.user, quiz=quiz),
    }
