from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from wagtail.models import Page

from . import services
from .content_notes import mark_seen
from .forms import EnrolForm
from .models import CoursePage
from .outline import course_outline
from .selectors import course_for_page, may_view

# Tries of a cohort join code per learner: enough for typos, too few to guess.
JOIN_CODE_RATE = "10/m"


@login_required
@require_POST
def enrol(request, course_id: int):
    course = viewable_page_or_404(request, CoursePage.objects.live(), course_id)
    form = EnrolForm(request.POST)
    if request.POST.get("join_code") and is_ratelimited(
        request,
        group="courses:join-code",
        key="user",
        rate=JOIN_CODE_RATE,
        increment=True,
    ):
        messages.error(
            request,
            _("That is a lot of tries in a short time. Please wait a few minutes."),
        )
        return redirect(course.url)
    if not form.is_valid():
        messages.error(request, _("Please check the join code and try again."))
        return redirect(course.url)
    try:
        enrolment = services.enrol(
            learner=request.user,
            course=course,
            join_code=form.cleaned_data["join_code"],
        )
    except services.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(course.url)
    first = course_outline(course).steps[:1]
    messages.success(request, _("You are enrolled. Take it at your own pace."))
    if first and enrolment.last_step_id is None:
        return redirect(first[0].url)
    return redirect(course.url)


def viewable_page_or_404(request, pages, page_id: int) -> Page:
    """The page with this id if its privacy settings admit the request; else 404."""
    page = get_object_or_404(pages, pk=page_id)
    if not may_view(request, page):
        raise Http404
    return page


def _step_or_404(request, step_id: int) -> Page:
    return viewable_page_or_404(request, Page.objects.specific(), step_id)


@login_required
@require_POST
def complete(request, step_id: int):
    """Mark a lesson complete and go on to the next step."""
    step = _step_or_404(request, step_id)
    if step.specific_class._meta.model_name != "lessonpage":
        messages.info(request, _("This step is completed by passing its quiz."))
        return redirect(step.url or "/learn/")
    try:
        outcome = services.complete_step(learner=request.user, step=step)
    except services.NotEnrolled as refusal:
        messages.info(request, refusal.message)
        course = course_for_page(step)
        return redirect(course.url if course else "/courses/")
    except services.StepUnavailable as refusal:
        messages.info(request, refusal.message)
        course = course_for_page(step)
        return redirect(course.url if course and course.live else "/learn/")
    if not outcome.created:
        messages.info(request, _("You had already finished this step. Carry on."))
    if outcome.course_completed_now:
        messages.success(
            request, _("Well done: you have finished every step of this course.")
        )
        return redirect(outcome.course.url)
    _previous, following = course_outline(outcome.course).neighbours(step.pk)
    return redirect(following.url if following else outcome.course.url)


@login_required
@require_POST
def skip(request, step_id: int):
    """Skip a step for now at its content note; it stays open on the course page."""
    step = _step_or_404(request, step_id)
    try:
        course = services.skip_step(learner=request.user, step=step)
    except services.LearningError as refusal:
        messages.info(request, refusal.message)
        return redirect("/learn/")
    messages.info(
        request,
        _("Skipped for now. It stays on your list, and you can come back any time."),
    )
    _previous, following = course_outline(course).neighbours(step.pk)
    return redirect(following.url if following else course.url)


@login_required
@require_POST
def continue_past_note(request, step_id: int):
    """The learner read the content note and chose to continue."""
    step = _step_or_404(request, step_id)
    outline_course = course_for_page(step)
    if outline_course is None:
        raise Http404
    entry = course_outline(outline_course).step(step.pk)
    if entry is None:
        raise Http404
    mark_seen(request, [entry.id, entry.module_id])
    return redirect(entry.url)
