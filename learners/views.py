from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from courses.selectors import dashboard_rows


@login_required
@require_safe
def dashboard(request):
    """My learning: courses in progress, completed courses, certificates."""
    rows = dashboard_rows(learner=request.user)
    return render(
        request,
        "learners/dashboard.html",
        {
            "in_progress": [r for r in rows if not r.enrolment.completed_at],
            "completed": [r for r in rows if r.enrolment.completed_at],
        },
    )
