"""A member's practice circle, and the page where a learner answers a reflection prompt.

Every circle view finds the learner's membership before anything else and
answers 404 without one (`circle_member`), whatever the method, so nobody
outside a circle learns that it exists. Writes go through peers.services; a
refusal is shown on the form with the words kept. Before a post or reply with
words of self-harm is sent, its writer sees the support contacts first
(`_support_first`); nothing is saved or reported until they send it.
"""

import uuid
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from circles.self_harm import mentions_self_harm
from courses.models import LessonPage
from courses.selectors import is_live_step, viewable_page_or_404

from . import selectors, services
from .forms import (
    CircleNameForm,
    MemberSettingsForm,
    PostForm,
    ReflectionForm,
    ReplyForm,
    ReportForm,
)
from .models import Contribution
from .services import CircleRefusal

GET_OR_POST = ["GET", "HEAD", "POST"]
#: How long a sent form's token is remembered, so pressing twice sends once.
SENT_FORM_SECONDS = 60 * 60


@login_required
@require_http_methods(GET_OR_POST)
def delete_my_writing(request):
    """Your data: delete every post and reply I wrote, in every circle, for good."""
    if request.method == "POST":
        services.delete_all_writing(learner=request.user)
        messages.success(
            request,
            _("Everything you wrote in practice circles is deleted, for good."),
        )
        return redirect("your_data")
    return render(request, "peers/delete_my_writing.html")


def _gone(request, member):
    """404 for a post or reply deleted meanwhile (say, in another tab).

    A member sending words to it is told so and given the words back, rather
    than losing them.
    """
    if request.method != "POST":
        raise Http404
    return render(
        request,
        "peers/post_gone.html",
        {"circle": member.circle, "text": request.POST.get("text", "")},
        status=404,
    )


def circle_member(view):
    """Call the view with the learner's membership of the circle, or answer 404."""

    @wraps(view)
    def with_member(request, circle_id, **kwargs):
        member = selectors.membership(learner=request.user, circle_id=circle_id)
        if member is None:
            raise Http404
        return view(request, member, **kwargs)

    return with_member


# Sending once, with support first


def _support_first(request, *texts) -> bool:
    """Whether the words mention self-harm and the writer has not seen support yet."""
    return request.POST.get("support_seen") != "1" and mentions_self_harm(
        "\n".join(texts)
    )


def _form_token(request) -> str:
    """The token of the form sent, or a new one for a form about to be shown."""
    try:
        return str(uuid.UUID(request.POST.get("token", "")))
    except ValueError:
        return str(uuid.uuid4())


def _send_once(request, member, write):
    """Do the write unless this very form was sent before; None when it was."""
    key = f"peers:sent:{member.pk}:{_form_token(request)}"
    if not cache.add(key, True, SENT_FORM_SECONDS):
        return None
    try:
        return write()
    except CircleRefusal:
        cache.delete(key)
        raise


@dataclass(frozen=True)
class Written:
    """A write done: what the service returned, or None if this form was sent before."""

    shared: services.Shared | None


def _write(request, form, fields, write, *, once_for=None):
    """Check the form, show support first if its words call for it, then write.

    Returns (Written or None, support_step): None when the form is shown again
    with the words kept (not valid, refused, or the support step first). With
    `once_for` (a member), pressing Send twice writes once.
    """
    if not (form.is_bound and form.is_valid()):
        return None, False
    data = form.cleaned_data
    if _support_first(request, *(data[field] for field in fields)):
        return None, True
    try:
        if once_for is None:
            shared = write(data)
        else:
            shared = _send_once(request, once_for, lambda: write(data))
    except CircleRefusal as refusal:
        form.add_error(None, refusal.message)
        return None, False
    if shared is None:
        _already_sent(request)
    return Written(shared), False


def _writing_context(request, form, support_step: bool) -> dict:
    return {
        "form": form,
        "support_step": support_step,
        "support_seen": support_step or request.POST.get("support_seen") == "1",
        "token": _form_token(request),
    }


def _shared_message(shared: services.Shared) -> str:
    if shared.waiting:
        return _(
            "Thank you for sharing. A trainer reads it first, and it shows to "
            "others in your circle once it is approved. Until then only you can "
            "see it."
        )
    if shared.contribution.status == Contribution.Status.HIDDEN:
        return _("Saved. It stays hidden until a trainer looks at it again.")
    return _("Shared with your circle.")


def _already_sent(request) -> None:
    messages.info(request, _("You already sent this, so it was not sent again."))


# The circle


@login_required
def circle(request, circle_id: int):
    """The circle's posts, newest first; a learner of the cohort not yet in it joins."""
    member = selectors.membership(learner=request.user, circle_id=circle_id)
    if member is None:
        if selectors.joinable_circle(learner=request.user, circle_id=circle_id):
            return redirect("peers:join", circle_id)
        raise Http404
    return _feed(request, member)


@require_safe
def _feed(request, member):
    return render(
        request,
        "peers/circle.html",
        {
            "member": member,
            "circle": member.circle,
            "posts": selectors.circle_feed(member),
        },
    )


@login_required
def join(request, circle_id: int):
    """Choose a circle name and join the cohort's circle."""
    if selectors.membership(learner=request.user, circle_id=circle_id) is not None:
        return redirect("peers:circle", circle_id)
    joining = selectors.joinable_circle(learner=request.user, circle_id=circle_id)
    if joining is None:
        raise Http404
    return _join(request, joining)


@require_http_methods(GET_OR_POST)
def _join(request, joining):
    form = CircleNameForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            member = services.join_circle(
                circle=joining,
                learner=request.user,
                circle_name=form.cleaned_data["circle_name"],
            )
        except CircleRefusal as refusal:
            form.add_error("circle_name", refusal.message)
        else:
            messages.success(
                request,
                _("Welcome to your circle. Here you are %(name)s.")
                % {"name": member.circle_name},
            )
            return redirect("peers:circle", joining.pk)
    return render(request, "peers/join.html", {"circle": joining, "form": form})


@login_required
@circle_member
@require_http_methods(GET_OR_POST)
def member_settings(request, member):
    """Change the circle name, and whether to get a neutral e-mail note."""
    form = MemberSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"circle_name": member.circle_name, "wants_email": member.wants_email},
    )
    if form.is_bound and form.is_valid():
        try:
            services.rename_member(
                member=member,
                circle_name=form.cleaned_data["circle_name"],
                wants_email=form.cleaned_data["wants_email"]
                and bool(request.user.email),
            )
        except CircleRefusal as refusal:
            form.add_error("circle_name", refusal.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("peers:circle", member.circle_id)
        member.refresh_from_db()
    return render(
        request,
        "peers/member_settings.html",
        {
            "member": member,
            "circle": member.circle,
            "form": form,
            "has_email": bool(request.user.email),
        },
    )


# Posts


@login_required
@circle_member
@require_http_methods(GET_OR_POST)
def share(request, member):
    """Write a post for the circle, with a content note if it touches on hard things."""
    form = PostForm(request.POST if request.method == "POST" else None)
    written, support_step = _write(
        request,
        form,
        ("text", "content_note"),
        lambda data: services.share_post(
            member=member, text=data["text"], content_note=data["content_note"]
        ),
        once_for=member,
    )
    if written:
        if written.shared:
            messages.success(request, _shared_message(written.shared))
        return redirect("peers:circle", member.circle_id)
    return render(
        request,
        "peers/post_form.html",
        {
            "member": member,
            "circle": member.circle,
            "editing": None,
            **_writing_context(request, form, support_step),
        },
    )


@login_required
@circle_member
@require_http_methods(GET_OR_POST)
def edit_post(request, member, post_id: int):
    post = selectors.own_post(member=member, post_id=post_id)
    if post is None:
        return _gone(request, member)
    form = PostForm(
        request.POST if request.method == "POST" else None,
        initial={"text": post.text, "content_note": post.content_note},
    )
    written, support_step = _write(
        request,
        form,
        ("text", "content_note"),
        lambda data: services.edit_post(
            post=post,
            member=member,
            text=data["text"],
            content_note=data["content_note"],
        ),
    )
    if written:
        messages.success(request, _edited_message(written.shared))
        return redirect("peers:post", member.circle_id, post.pk)
    return render(
        request,
        "peers/post_form.html",
        {
            "member": member,
            "circle": member.circle,
            "editing": post,
            **_writing_context(request, form, support_step),
        },
    )


def _edited_message(shared: services.Shared) -> str:
    if shared.waiting:
        return _("Saved. A trainer reads it again before others in your circle see it.")
    if shared.contribution.status == Contribution.Status.HIDDEN:
        return _("Saved. It stays hidden until a trainer looks at it again.")
    return _("Saved.")


@login_required
@circle_member
@require_http_methods(GET_OR_POST)
def withdraw_post(request, member, post_id: int):
    """Ask, then delete the post and its replies for good."""
    post = selectors.own_post(member=member, post_id=post_id)
    if post is None:
        raise Http404
    if request.method == "POST":
        services.withdraw_post(post=post, member=member)
        messages.success(request, _("Your post is deleted for good, with its replies."))
        return redirect("peers:circle", member.circle_id)
    return render(
        request,
        "peers/withdraw.html",
        {"member": member, "circle": member.circle, "post": post, "reply": None},
    )


@login_required
@circle_member
@require_safe
def post(request, member, post_id: int):
    """A post with the replies the member may read, and a reply form."""
    view = selectors.post_view(member=member, post_id=post_id)
    if view is None:
        raise Http404
    return _post_page(request, member, view, ReplyForm(), support_step=False)


def _post_page(request, member, view, form, *, support_step: bool):
    return render(
        request,
        "peers/post.html",
        {
            "member": member,
            "circle": member.circle,
            "view": view,
            **_writing_context(request, form, support_step),
        },
    )


@login_required
@circle_member
@require_POST
def reply(request, member, post_id: int):
    view = selectors.post_view(member=member, post_id=post_id)
    if view is None:
        return _gone(request, member)
    form = ReplyForm(request.POST)
    written, support_step = _write(
        request,
        form,
        ("text",),
        lambda data: services.reply_to(
            post=view.post, member=member, text=data["text"]
        ),
        once_for=member,
    )
    if written:
        if written.shared is None:
            return redirect("peers:post", member.circle_id, view.post.pk)
        messages.success(request, _reply_message(written.shared))
        return redirect(_reply_url(member, written.shared.contribution))
    return _post_page(request, member, view, form, support_step=support_step)


def _reply_message(shared: services.Shared) -> str:
    if shared.waiting:
        return _(
            "Thank you. A trainer reads your reply first, and others see it once "
            "it is approved."
        )
    return _("Your reply is shared.")


def _reply_url(member, reply) -> str:
    url = reverse("peers:post", args=[member.circle_id, reply.post_id])
    return f"{url}#reply-{reply.pk}"


def _post_url(member, post_id: int) -> str:
    return reverse("peers:post", args=[member.circle_id, post_id])


@login_required
@circle_member
@require_POST
def acknowledge(request, member, post_id: int):
    """Give, or take back, one response ("I hear you") to a post."""
    post = selectors.post_for_member(member=member, post_id=post_id)
    if post is None:
        raise Http404
    try:
        services.set_acknowledgement(
            post=post,
            member=member,
            kind=request.POST.get("kind", ""),
            on=request.POST.get("on") == "1",
        )
    except CircleRefusal as refusal:
        messages.warning(request, refusal.message)
    if request.POST.get("back") == "post":
        return redirect(_post_url(member, post.pk))
    return redirect(
        reverse("peers:circle", args=[member.circle_id]) + f"#post-{post.pk}"
    )


@login_required
@circle_member
@require_http_methods(GET_OR_POST)
def report_post(request, member, post_id: int):
    post = selectors.post_for_member(member=member, post_id=post_id)
    if post is None or post.author_id == member.pk:
        raise Http404
    return _report(request, member, post=post, back=_post_url(member, post.pk))


@login_required
@circle_member
@require_http_methods(GET_OR_POST)
def report_reply(request, member, reply_id: int):
    found = selectors.reply_for_member(member=member, reply_id=reply_id)
    if found is None or found.author_id == member.pk:
        raise Http404
    return _report(request, member, reply=found, back=_reply_url(member, found))


def _report(request, member, *, back: str, post=None, reply=None):
    """Tell a trainer about a post or a reply, with a reason."""
    form = ReportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.report(
                member=member,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                post=post,
                reply=reply,
            )
        except CircleRefusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you for telling us. A trainer will look at it. Nobody "
                    "else is told that you reported it."
                ),
            )
            return redirect(back)
    return render(
        request,
        "peers/report.html",
        {
            "member": member,
            "circle": member.circle,
            "form": form,
            "thing": post or reply,
            "is_reply": reply is not None,
            "back": back,
        },
    )


# Replies


@login_required
@circle_member
@require_http_methods(GET_OR_POST)
def edit_reply(request, member, reply_id: int):
    found = selectors.own_reply(member=member, reply_id=reply_id)
    if found is None:
        return _gone(request, member)
    form = ReplyForm(
        request.POST if request.method == "POST" else None,
        initial={"text": found.text},
    )
    written, support_step = _write(
        request,
        form,
        ("text",),
        lambda data: services.edit_reply(reply=found, member=member, text=data["text"]),
    )
    if written:
        messages.success(request, _edited_message(written.shared))
        return redirect(_reply_url(member, found))
    return render(
        request,
        "peers/reply_form.html",
        {
            "member": member,
            "circle": member.circle,
            "reply": found,
            **_writing_context(request, form, support_step),
        },
    )


@login_required
@circle_member
@require_http_methods(GET_OR_POST)
def withdraw_reply(request, member, reply_id: int):
    found = selectors.own_reply(member=member, reply_id=reply_id)
    if found is None:
        raise Http404
    if request.method == "POST":
        services.withdraw_reply(reply=found, member=member)
        messages.success(request, _("Your reply is deleted for good."))
        return redirect(_post_url(member, found.post_id))
    return render(
        request,
        "peers/withdraw.html",
        {"member": member, "circle": member.circle, "post": None, "reply": found},
    )


# Reflections


@login_required
@require_http_methods(GET_OR_POST)
def reflect(request, page_id: int, block_id: str):
    """Answer a lesson's reflection prompt: keep the answer, share it, or neither."""
    lesson = viewable_page_or_404(request, LessonPage.objects.live(), page_id)
    prompt = next(
        (
            block.value
            for block in lesson.body
            if block.block_type == "reflection" and block.id == block_id
        ),
        None,
    )
    if prompt is None or not is_live_step(lesson):
        raise Http404
    place = selectors.circle_for_lesson(learner=request.user, lesson=lesson)
    member = place.member if place and place.member and not place.removed else None
    kept = selectors.private_reflection(
        learner=request.user, lesson=lesson, block_id=block_id
    )
    form = ReflectionForm(
        request.POST if request.method == "POST" else None,
        initial={"text": kept.text if kept else ""},
    )
    support_step = False
    if form.is_bound and form.is_valid():
        action = request.POST.get("action")
        text, note = form.cleaned_data["text"], form.cleaned_data["content_note"]
        try:
            if action == "delete":
                services.delete_private_reflection(
                    learner=request.user, lesson=lesson, block_id=block_id
                )
                messages.success(
                    request, _("Deleted. What you kept for this question is gone.")
                )
                return redirect(request.path)
            if action == "keep":
                services.save_private_reflection(
                    learner=request.user, lesson=lesson, block_id=block_id, text=text
                )
                messages.success(
                    request,
                    _("Kept for you. Only you can read it: trainers never see it."),
                )
                return redirect(request.path)
            if action != "share":
                raise CircleRefusal(
                    _("Please choose: keep it private, or share it with your circle.")
                )
            if member is None:
                raise CircleRefusal(
                    _("To share it, please join your circle first.")
                    if place and place.circle and place.member is None
                    else _("Sharing with a circle is not open to you here.")
                )
            support_step = _support_first(request, text, note)
            if not support_step:
                shared = _send_once(
                    request,
                    member,
                    lambda: services.share_post(
                        member=member,
                        text=text,
                        content_note=note,
                        lesson=lesson,
                        prompt=prompt["prompt"],
                    ),
                )
                if shared is None:
                    _already_sent(request)
                else:
                    messages.success(request, _shared_message(shared))
                return redirect(request.path)
        except CircleRefusal as refusal:
            form.add_error(None, refusal.message)
    return render(
        request,
        "peers/reflect.html",
        {
            "lesson": lesson,
            "prompt": prompt,
            "kept": kept,
            "member": member,
            "circle": place.circle if place else None,
            "can_join": bool(
                place and place.circle and place.member is None and not place.removed
            ),
            **_writing_context(request, form, support_step),
        },
    )
