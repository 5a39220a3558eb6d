"""Your data (/learn/data/): see everything held about you, download it, erase it."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from .erasure import certificates_to_choose, erase_learner
from .export import COLUMNS, learner_data
from .forms import EraseForm

# Wrong passwords on the erase form, per account: enough for typing slips,
# too few to guess a password with a borrowed session.
ERASE_RATE = "5/15m"


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


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request):
    """Say what goes and what stays, ask per certificate, then erase on the password."""
    certificates = certificates_to_choose(learner=request.user)
    form = EraseForm(
        request.POST if request.method == "POST" else None,
        learner=request.user,
        certificates=certificates,
    )
    if form.is_bound:
        if is_ratelimited(
            request,
            group="learners.erase",
            key="user",
            rate=ERASE_RATE,
            increment=True,
        ):
            response = render(request, "learners/data/too_many_tries.html", status=429)
            response["Retry-After"] = "900"
            return response
        if form.is_valid():
            erase_learner(learner=request.user, withdraw=form.withdrawn_ids())
            logout(request)
            return redirect("your_data_erased")
    return render(
        request,
        "learners/data/erase.html",
        {
            "form": form,
            "choices": [
                (c, form[EraseForm.certificate_field(c)]) for c in certificates
            ],
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_safe
def erased(request):
    """A plain page: the account is gone."""
    return render(request, "learners/data/erased.html")
