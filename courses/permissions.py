"""The permissions that guard learner data in the admin.

Everything that shows a learner's progress, answers, cohort or certificate
needs one of these; the "Trainers" group holds them and Wagtail's default
Editors and Moderators groups do not.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

VIEW_LEARNER_PROGRESS = "courses.view_learner_progress"
CHANGE_LEARNER_PROGRESS = "courses.change_learner_progress"


def permission_required(permission: str):
    """Refuse the admin view with 403 unless the user holds `permission`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
