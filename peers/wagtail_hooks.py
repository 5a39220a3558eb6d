"""The admin's Practice circles menu item and pages (peers/admin_views.py).

A cohort's page in the admin (courses) links to its circle through the
cohort buttons hook, for trainers who may moderate it.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import HeaderButton

from courses.cohort_admin import COHORT_BUTTONS_HOOK

from .admin_views import CircleViewSet
from .models import Circle
from .permissions import CirclePermissionPolicy
from .services import circle_for


@hooks.register("register_admin_viewset")
def register_circle_viewset():
    return CircleViewSet("circles")


@hooks.register(COHORT_BUTTONS_HOOK)
def practice_circle_button(cohort, user):
    if not CirclePermissionPolicy(Circle).user_has_permission(user, "moderate"):
        return None
    return HeaderButton(
        _("Practice circle"),
        url=reverse("circles:inspect", args=[circle_for(cohort).pk]),
        icon_name="group",
    )
