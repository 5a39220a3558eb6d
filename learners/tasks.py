"""Background work for learners: building a large data download off the request."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from circles.task_retries import retried

from .models import DataExport


@retried(_("Build a learner's data download"))
@task()
def build_data_export_task(export_id: int) -> bool:
    """Build and store one learner's data download; False if it was withdrawn.

    Safe to run twice: a download already stored is left as it is.
    """
    from .export import build_data_export

    export = DataExport.objects.select_related("learner").filter(pk=export_id).first()
    if export is None:
        return False
    build_data_export(export=export)
    return True
