"""The admin's Practice circles menu item and pages (peers/admin_views.py)."""

from wagtail import hooks

from .admin_views import CircleViewSet


@hooks.register("register_admin_viewset")
def register_circle_viewset():
    return CircleViewSet("circles")
