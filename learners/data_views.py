"""Your data (/learn/data/): see everything held about you, download it, erase it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .export import COLUMNS, learner_data


@never_cache
@login_required
@require_safe
def overview(request):
    """Everything the site holds about the signed-in learner, in plain words."""
    data = learner_data(learner=request.user)
    return render(
        request,
        "learners/data/overview.html",
        {"data": data.tables, "account": data["account"][0], "columns": COLUMNS},
    )
