"""Say where a moved module or step lands, so the learning order is never a surprise."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from .models import CoursePage, ModulePage


@hooks.register("before_move_page")
def say_where_the_page_will_land(request, page, destination):
    if request.method != "GET" or not isinstance(
        destination.specific_deferred, CoursePage | ModulePage
    ):
        return
    last = Page.objects.child_of(destination).exclude(pk=page.pk).last()
    if last is None:
        message = _("“%(page)s” will be the first page in “%(destination)s”.")
    else:
        message = _(
            "“%(page)s” will land last in “%(destination)s”, after “%(last)s”. "
            "To change its place, drag it in the list of “%(destination)s” after "
            "the move."
        )
    messages.info(
        request,
        message
        % {
            "page": page.title,
            "destination": destination.title,
            "last": last.title if last else "",
        },
    )


@hooks.register("after_move_page")
def say_where_the_page_landed(request, page):
    page = page.specific
    number = getattr(page, "learner_step_number", lambda: None)()
    if number is not None:
        messages.info(
            request,
            _("Learners now meet “%(title)s” as step %(number)s of the course.")
            % {"title": page.title, "number": number},
        )
