"""Your data (/learn/data/): see everything held about you, download it, erase it."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django_ratelimit.core import is_ratelimited

from .erasure import certificates_to_choose, erase_learner
from .export import (
    build_zip,
    download_name,
    is_large,
    learner_data,
    request_data_export,
)
from .forms import EraseForm
from .models import DataExport

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
        {
            "data": data.tables,
            "account": data["account"][0],
            "export": DataExport.objects.filter(learner=request.user).first(),
        },
    )


@never_cache
@login_required
@require_POST
def download(request):
    """The learner's data as a ZIP: at once when small, else built in the background."""
    if is_large(learner=request.user):
        request_data_export(learner=request.user)
        messages.success(
            request,
            _(
                "Your download is being prepared. Come back to this page in a "
                "few minutes to download it."
            ),
        )
        return redirect("your_data")
    response = HttpResponse(
        build_zip(learner_data(learner=request.user)),
        content_type="application/zip",
    )
    response["Content-Disposition"] = f'attachment; filename="{download_name()}"'
    return response


@never_cache
@login_required
@require_safe
def download_file(request, export_id: int):
    """A download built in the background, for its owner only; 404 for anyone else."""
    export = DataExport.objects.filter(pk=export_id, learner=request.user).first()
    if export is None or not export.is_ready:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        content_type="application/zip",
        as_attachment=True,
        filename=download_name(timezone.localdate(export.finished_at)),
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
