from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage
from wagtail.models import Page

from circles.refusals import Refusal

from . import services
from .content_notes import mark_seen
from .forms import EnrolForm
from .models import CoursePage
from .outline import course_outline
from .selectors import course_for_page, viewable_page_or_404

# Wrong join codes allowed before a pause, per account, per address (shared
# by everyone behind it: a classroom, a shelter's wifi) and per course: enough
# for typos, far too few to guess a code. Only wrong codes count, so a room
# of learners joining with the right code is never held up.
JOIN_CODE_RATES = {
    "account": ("user", "10/10m"),
    "address": ("ip", "30/10m"),
    "course": ("courses.views.course_key", "100/10m"),
}


def course_key(group, request) -> str:
    """The rate-limit key of the course a join code is tried for."""
    return str(request.resolver_match.kwargs["course_id"])


def _join_code_limited(request) -> bool:
    """Whether any allowance of wrong join codes is spent; counts nothing."""
    for name, (key, rate) in JOIN_CODE_RATES.items():
        usage = get_usage(
            request, group=f"courses:join-code:{name}", key=key, rate=rate
        )
        if usage and usage["count"] >= usage["limit"]:
            return True
    return False


def _count_wrong_join_code(request) -> None:
    for name, (key, rate) in JOIN_CODE_RATES.items():
        get_usage(
            request,
            group=f"courses:join-code:{name}",
            key=key,
            rate=rate,
            increment=True,
        )


@login_required
@require_POST
def enrol(request, course_id: int):
    course = viewable_page_or_404(request, CoursePage.objects.live(), course_id)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        return _course_page_with_form(request, course, form, status=400)
    join_code = form.cleaned_data["join_code"]
    if join_code and _join_code_limited(request):
        form.add_error(
            "join_code",
            _(
                "That is a lot of tries in a short time. Please wait ten minutes "
                "and try again. Your code is still here."
            ),
        )
        return _course_page_with_form(request, course, form, status=429)
    try:
        enrolment = services.enrol(
            learner=request.user, course=course, join_code=join_code
        )
    except services.JoinCodeRefused as refusal:
        _count_wrong_join_code(request)
        form.add_error("join_code", refusal.message)
        return _course_page_with_form(request, course, form, status=400)
    except services.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(course.url)
    first = course_outline(course).steps[:1]
    messages.success(request, _("You are enrolled. Take it at your own pace."))
    if first and enrolment.last_step_id is None:
        return redirect(first[0].url)
    return redirect(course.url)


def _course_page_with_form(request, course: CoursePage, form, *, status: int):
    """The course page again, with the join code as typed and what went wrong."""
    context = course.get_context(request)
    context["enrol_form"] = form
    return TemplateResponse(
        request, course.get_template(request), context, status=status
    )


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
    except Refusal as refusal:
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
