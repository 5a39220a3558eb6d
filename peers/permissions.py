"""Who may read and moderate practice circles.

Reading a circle is reading what learners wrote, so it needs
`peers.moderate_circle` and, like every view of learner data,
`courses.view_learner_progress`; the Trainers group holds both. The admin's
views, its cohort button and the deletion warnings all ask this one policy.
"""

from django.contrib.auth import get_user_model
from django.utils.functional import cached_property
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from courses.models import Enrolment
from courses.permissions import VIEW_LEARNER_PROGRESS

from .models import Circle

MODERATE_CIRCLE = "peers.moderate_circle"


class CirclePermissionPolicy(ModelPermissionPolicy):
    """Reading a circle is moderating it: one permission, with learner progress.

    Circles come with their cohorts and go with them, so nobody adds, edits or
    deletes one here; "view" and "moderate" both need `peers.moderate_circle`.
    """

    _granted = frozenset({"view", "moderate"})

    @cached_property
    def _progress_policy(self):
        return ModelPermissionPolicy(Enrolment)

    def user_has_permission(self, user, action):
        return (
            action in self._granted
            and user.has_perm(MODERATE_CIRCLE)
            and user.has_perm(VIEW_LEARNER_PROGRESS)
        )

    def users_with_any_permission(self, actions):
        if not self._granted.intersection(actions):
            return get_user_model().objects.none()
        see_progress = self._progress_policy._get_users_with_any_permission_codenames(
            [VIEW_LEARNER_PROGRESS.split(".")[1]]
        )
        return self._get_users_with_any_permission_codenames(
            [MODERATE_CIRCLE.split(".")[1]]
        ).filter(pk__in=see_progress)


register_permission_policy(Circle, CirclePermissionPolicy(Circle))
