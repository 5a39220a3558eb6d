from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from courses.cohorts import (
    announcement_for_learner,
    open_announcements,
    suggested_dates_by_cohort,
    suggested_targets,
)
from courses.selectors import dashboard_rows
from courses.services import dismiss_announcement
from peers.selectors import circles_for_learner

from .forms import EmailUpdatesForm


@login_required
@require_safe
def dashboard(request):
    """My learning: news, courses in progress and completed, circles, certificates."""
    rows = dashboard_rows(learner=request.user)
    in_progress = [r for r in rows if not r.enrolment.completed_at]
    dates = suggested_dates_by_cohort(r.enrolment.cohort_id for r in in_progress)
    in_cohort = any(r.enrolment.cohort_id for r in rows)
    return render(
        request,
        "learners/dashboard.html",
        {
            "announcements": open_announcements(learner=request.user),
            "in_progress": [
                (
                    row,
                    suggested_targets(
                        dates.get(row.enrolment.cohort_id, []), row.progress
                    ),
                )
                for row in in_progress
            ],
            "completed": [r for r in rows if r.enrolment.completed_at],
            # Two more queries, only for a learner in a cohort.
            "circles": [
                c
                for c in (
                    circles_for_learner(learner=request.user) if in_cohort else []
                )
                if c.circle is not None and not c.removed
            ],
            "show_email_updates": in_cohort or request.user.wants_email_updates,
            "email_updates_form": EmailUpdatesForm(instance=request.user),
        },
    )


@login_required
@require_POST
def dismiss(request, announcement_id: int):
    """Hide a trainer's announcement from My learning; twice is the same as once."""
    announcement = announcement_for_learner(
        learner=request.user, announcement_id=announcement_id
    )
    if announcement is None:
        raise Http404
    dismiss_announcement(learner=request.user, announcement=announcement)
    return redirect("dashboard")


@login_required
@require_POST
def email_updates(request):
    """Turn e-mailed news of announcements on or off."""
    form = EmailUpdatesForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        if form.instance.wants_email_updates:
            messages.success(
                request,
                _(
                    "Saved. When your trainer posts news, we e-mail you a short "
                    "note with a link, never the news itself."
                ),
            )
        else:
            messages.success(request, _("Saved. We will not e-mail you updates."))
    return redirect("dashboard")
