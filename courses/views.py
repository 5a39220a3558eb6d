from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch
from wagtail.models import Page

from .selectors import viewable_page_or_404


def moved_page_action(request, page_id: str, action: str):
    """Send an old id address of a course's or step's action on to the page's route.

    A 307 keeps the method and body, so an old form or bookmark still works;
    the page's route then applies its privacy settings like any page. A page
    the request may not view is not found, so its address is never named.
    """
    page = viewable_page_or_404(request, Page.objects.live().specific(), page_id)
    try:
        route = page.reverse_subpage(action)
    except (AttributeError, NoReverseMatch):
        raise Http404 from None
    return redirect(page.get_url(request) + route, preserve_request=True)
