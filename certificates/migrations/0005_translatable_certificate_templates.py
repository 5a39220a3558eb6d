"""Certificate templates become translatable (wagtail-localize).

Existing templates join the default language, each with a translation key of
its own; a template's name is then unique per language, not overall.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models
from wagtail.models.i18n import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0004_certificate_policy"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificatetemplate",
            name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="certificatetemplate",
            name="locale",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        BootstrapTranslatableModel("certificates.CertificateTemplate"),
        migrations.AlterField(
            model_name="certificatetemplate",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="certificatetemplate",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="certificatetemplate",
            name="name",
            field=models.CharField(
                help_text=(
                    "For trainers only, to choose it on a course. Learners never "
                    "see it."
                ),
                max_length=100,
                verbose_name="name",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="certificatetemplate",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="certificatetemplate",
            constraint=models.UniqueConstraint(
                fields=("name", "locale"), name="one_template_name_per_language"
            ),
        ),
    ]
