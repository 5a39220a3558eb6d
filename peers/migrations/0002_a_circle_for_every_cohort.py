from django.db import migrations


def make_circles(apps, schema_editor):
    Cohort = apps.get_model("courses", "Cohort")
    Circle = apps.get_model("peers", "Circle")
    for cohort_id in Cohort.objects.filter(circle__isnull=True).values_list(
        "pk", flat=True
    ):
        Circle.objects.create(cohort_id=cohort_id)


class Migration(migrations.Migration):
    dependencies = [("peers", "0001_initial")]

    operations = [migrations.RunPython(make_circles, migrations.RunPython.noop)]
