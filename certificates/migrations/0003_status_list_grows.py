# The revocation list grows as it fills (certificates/status_list.py): a slot
# may lie anywhere below the largest list, not only below the first size.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_certificate_withdrawn_at_holders_request"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="certificate",
            name="status_list_index_inside_list",
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(
                condition=models.Q(("status_list_index__lt", 134217728)),
                name="status_list_index_inside_list",
            ),
        ),
    ]
