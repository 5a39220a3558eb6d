from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage
from wagtail.models import Page

from . import services
from .forms import EnrolForm
from .models import CoursePage
from .outline import course_outline
from .selectors import viewable_page_or_404

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


def moved_step_action(request, step_id: str, action: str):
    """Send an old id address of a step's action on to the step's own route.

    A 307 keeps the method and body, so an old form or bookmark still works;
    the step's route then applies its privacy settings like any page. A step
    the request may not view is not found, so its address is never named.
    """
    step = viewable_page_or_404(request, Page.objects.live().specific(), step_id)
    try:
        route = step.reverse_subpage(action)
    except (AttributeError, NoReverseMatch):
        raise Http404 from None
    return redirect(step.get_url(request) + route, preserve_request=True)
