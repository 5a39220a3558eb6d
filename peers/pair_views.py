"""Practice pairs, for their two members (/learn/circles/<id>/pairs/).

Anyone who is not a current member of the circle gets 404 on every address
here, and a member gets 404 on a pair they are not in: nothing says whether
it exists. Feedback is for the other person in the pair; trainers see it
only when both agreed.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.models import Page

from circles.self_harm import mentions_self_harm
from courses.locales import localized_all
from courses.outline import Outline, course_outline

from . import selectors, services
from .models import Circle, Member, PracticeFeedback, PracticePair
from .pair_forms import FeedbackForm, NewPairForm, ShareWithTrainersForm
from .views import circle_member


def _members_may_pair(circle: Circle) -> bool:
    return circle.learners_can_pair and not circle.is_closed


def _outline(circle: Circle) -> Outline:
    """The cohort's course as the learner reads it: steps named by original ids."""
    course = circle.cohort.course
    return course_outline(localized_all([course])[course.pk])


@dataclass(frozen=True)
class PairRow:
    pair: PracticePair
    other: Member
    i_gave_feedback: bool
    they_gave_feedback: bool


@login_required
@require_safe
@circle_member
def pairs(request, member: Member):
    """The member's practice pairs, newest first."""
    own_pairs = selectors.pairs_for_member(member)
    given = selectors.feedback_given(own_pairs)
    rows = []
    for pair in own_pairs:
        other = pair.other(member)
        rows.append(
            PairRow(
                pair=pair,
                other=other,
                i_gave_feedback=(pair.pk, member.pk) in given,
                they_gave_feedback=(pair.pk, other.pk) in given,
            )
        )
    return render(
        request,
        "peers/pairs/pairs.html",
        {
            "circle": member.circle,
            "rows": rows,
            "may_invite": _members_may_pair(member.circle),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@circle_member
def new_pair(request, member: Member):
    """Invite another member to practise a scenario, where the trainer allows it."""
    circle = member.circle
    if request.method != "POST" and not _members_may_pair(circle):
        return render(
            request, "peers/pairs/trainer_makes_pairs.html", {"circle": circle}
        )
    partners = [m for m in selectors.active_members(circle) if m.pk != member.pk]
    form = NewPairForm(
        request.POST if request.method == "POST" else None,
        partners=partners,
        outline=_outline(circle),
    )
    if form.is_bound and form.is_valid():
        partner = next(m for m in partners if m.pk == form.cleaned_data["partner"])
        scenario = form.cleaned_data["scenario"]
        page_id = form.cleaned_data["scenario_page"]
        try:
            pair = services.make_pair(
                circle=circle,
                first=member,
                second=partner,
                scenario=scenario,
                scenario_page=(
                    Page.objects.filter(pk=page_id).first() if page_id else None
                ),
                invited_by=member,
            )
        except services.CircleRefusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Your practice pair is ready. %(name)s can see it in their "
                    "practice pairs."
                )
                % {"name": partner.circle_name},
            )
            return redirect("peers:pair", circle.pk, pair.pk)
    return render(
        request,
        "peers/pairs/new_pair.html",
        {"circle": circle, "form": form, "has_partners": bool(partners)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@circle_member
def pair(request, member: Member, pair_id: int):
    """One pair: the scenario, how to practise, feedback both ways, sharing."""
    pair = selectors.pair_for_member(member=member, pair_id=pair_id)
    if pair is None:
        raise Http404
    if request.method == "POST" and request.POST.get("form") == "share":
        return _save_sharing(request, pair, member)
    feedback = selectors.pair_feedback(pair)
    mine = feedback.get(member.pk)
    if request.method == "POST":
        step = _feedback_step(request, pair, member)
        if step.saved:
            return _back_to_top(pair)
    else:
        step = FeedbackStep(form=FeedbackForm(initial=_feedback_initial(mine)))
    other = pair.other(member)
    i_agree, they_agree = (
        (pair.first_shares_with_trainers, pair.second_shares_with_trainers)
        if member.pk == pair.first_id
        else (pair.second_shares_with_trainers, pair.first_shares_with_trainers)
    )
    return render(
        request,
        "peers/pairs/pair.html",
        {
            "circle": member.circle,
            "pair": pair,
            "other": other,
            "scenario_step": (
                _outline(member.circle).step(pair.scenario_page_id)
                if pair.scenario_page_id
                else None
            ),
            "mine": mine,
            "theirs": feedback.get(other.pk),
            "feedback_form": step.form,
            "support_first": step.support_first,
            "share_form": ShareWithTrainersForm(initial={"agree": i_agree}),
            "i_agree": i_agree,
            "they_agree": they_agree,
        },
    )


def _back_to_top(pair: PracticePair):
    # Without it the browser keeps the form's "#my-feedback" and the message
    # at the top of the page would be out of sight.
    return redirect(reverse("peers:pair", args=[pair.circle_id, pair.pk]) + "#main")


def _save_sharing(request, pair: PracticePair, member: Member):
    form = ShareWithTrainersForm(request.POST)
    form.is_valid()  # a checkbox: always valid, and unticked is False
    agree = form.cleaned_data["agree"]
    services.share_pair_with_trainers(pair=pair, member=member, agree=agree)
    messages.success(
        request,
        _("Saved. Your trainer sees your feedback only if you both say yes.")
        if agree
        else _("Saved. Your trainer will not see your feedback."),
    )
    return redirect("peers:pair", pair.circle_id, pair.pk)


@dataclass(frozen=True)
class FeedbackStep:
    """Where posted feedback stands: saved, or the form to show again."""

    form: FeedbackForm
    support_first: bool = False
    saved: bool = False


def _feedback_step(request, pair: PracticePair, member: Member) -> FeedbackStep:
    """Save the feedback, unless it needs the support panel first or is refused."""
    if "keep_editing" in request.POST:
        return FeedbackStep(form=FeedbackForm(initial=_feedback_initial(request.POST)))
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return FeedbackStep(form=form)
    data = form.cleaned_data
    if not data["support_seen"] and mentions_self_harm(
        f"{data['what_helped']}\n{data['one_thing_to_try']}"
    ):
        # Nothing is saved until the writer has seen where to find support.
        initial = {**_feedback_initial(data), "support_seen": True}
        return FeedbackStep(form=FeedbackForm(initial=initial), support_first=True)
    try:
        services.give_feedback(
            pair=pair,
            member=member,
            what_helped=data["what_helped"],
            one_thing_to_try=data["one_thing_to_try"],
        )
    except services.CircleRefusal as refusal:
        form.add_error(None, refusal.message)
        return FeedbackStep(form=form)
    messages.success(
        request,
        _(
            "Thank you. Your feedback is saved. %(name)s can read it now, and "
            "you can change it at any time."
        )
        % {"name": pair.other(member).circle_name},
    )
    return FeedbackStep(form=form, saved=True)


def _feedback_initial(source) -> dict:
    """The two feedback texts from saved feedback, a form's data or a post."""
    if source is None:
        return {}
    if isinstance(source, PracticeFeedback):
        return {
            "what_helped": source.what_helped,
            "one_thing_to_try": source.one_thing_to_try,
        }
    return {
        "what_helped": source.get("what_helped", ""),
        "one_thing_to_try": source.get("one_thing_to_try", ""),
    }
