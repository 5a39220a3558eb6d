from django.db import migrations

from courses.join_codes import generate_join_code, normalize_join_code


def store_canonical_codes(apps, schema_editor):
    """Store every join code without case, spaces or dashes; renew clashes.

    A cohort whose code is already canonical keeps it; of two codes that
    become the same, the older cohort keeps it and the other gets a new one.
    """
    Cohort = apps.get_model("courses", "Cohort")
    cohorts = list(Cohort.objects.order_by("created_at", "pk"))
    assigned = {
        c.join_code for c in cohorts if c.join_code == normalize_join_code(c.join_code)
    }
    for cohort in cohorts:
        code = normalize_join_code(cohort.join_code)
        if code == cohort.join_code and code:
            continue
        while not code or code in assigned:
            code = generate_join_code()
        assigned.add(code)
        Cohort.objects.filter(pk=cohort.pk).update(join_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_cohorts_run_by_trainers"),
    ]

    operations = [
        migrations.RunPython(store_canonical_codes, migrations.RunPython.noop),
    ]
