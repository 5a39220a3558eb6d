"""Background work for learners: building a large data download off the request."""

from django_tasks import task

from .models import DataExport


@task()
def build_data_export_task(export_id: int) -> bool:
    """Build and store one learner's data download; False if it was withdrawn."""
    from .export import build_data_export

    export = DataExport.objects.select_related("learner").filter(pk=export_id).first()
    if export is None:
        return False
    build_data_export(export=export)
    return True
