"""Deleting a user in the Wagtail admin erases them as the learner would.

Wagtail's own delete removes the row and logs its username; here the admin's
single and bulk deletes go through ``erasure.erase_learner`` instead, with
every current certificate kept verifiable. The confirmation pages
(``wagtailusers/...`` templates in this app) say what goes and what stays.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from .erasure import erase_learner


@hooks.register("before_delete_user")
def erase_instead_of_delete(request, user):
    """On the confirmed delete of one user, erase them and go back to the list."""
    if request.method != "POST":
        return None
    erase_learner(learner=user)
    messages.success(
        request,
        _("The account and its data are erased. Its certificates stay verifiable."),
    )
    return redirect("wagtailusers_users:index")


@hooks.register("before_bulk_action")
def erase_users_in_bulk(request, action_type, objects, action):
    """On a confirmed bulk delete of users, erase each of them instead."""
    if action_type != "delete" or action.model is not get_user_model():
        return None
    for user in objects:
        erase_learner(learner=user)
    messages.success(
        request,
        ngettext(
            "%(count)d account and its data are erased. Certificates stay verifiable.",
            "%(count)d accounts and their data are erased. Certificates stay "
            "verifiable.",
            len(objects),
        )
        % {"count": len(objects)},
    )
    return redirect(action.next_url)
