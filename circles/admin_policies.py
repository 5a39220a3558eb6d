"""Admin permission policies shared by the apps."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records the site writes itself: the admin may view them, never add,
    edit or delete them. Actions that do change them check their own
    permission (such as the model's "change") in their views.
    """

    _never = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self._never and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [a for a in actions if a not in self._never]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)
