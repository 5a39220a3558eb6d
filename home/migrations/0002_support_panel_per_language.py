# The support panel has fields per language: the existing ones become English.

import wagtail.fields
from django.db import migrations, models


def contacts_field():
    return wagtail.fields.StreamField(
        [("contact", 6)],
        blank=True,
        block_lookup={
            0: (
                "wagtail.blocks.CharBlock",
                (),
                {"help_text": "The service, as people know it.", "label": "Name"},
            ),
            1: (
                "wagtail.blocks.TextBlock",
                (),
                {
                    "help_text": "One or two plain sentences.",
                    "label": "What they help with",
                    "required": False,
                },
            ),
            2: (
                "wagtail.blocks.CharBlock",
                (),
                {
                    "help_text": "As it should be dialled.",
                    "label": "Phone",
                    "required": False,
                },
            ),
            3: (
                "wagtail.blocks.CharBlock",
                (),
                {
                    "help_text": "A number or short code to text, with the word to send.",
                    "label": "Text message",
                    "required": False,
                },
            ),
            4: (
                "wagtail.blocks.URLBlock",
                (),
                {
                    "help_text": "Shown as a link; nothing from it loads on our pages.",
                    "label": "Website",
                    "required": False,
                },
            ),
            5: (
                "wagtail.blocks.CharBlock",
                (),
                {
                    "help_text": "For example 24/7.",
                    "label": "When they answer",
                    "required": False,
                },
            ),
            6: (
                "wagtail.blocks.StructBlock",
                [
                    [
                        ("name", 0),
                        ("description", 1),
                        ("phone", 2),
                        ("text", 3),
                        ("website", 4),
                        ("hours", 5),
                    ]
                ],
                {},
            ),
        },
        help_text="Helplines and services, in the order people should see them.",
        verbose_name="contacts",
    )


def intro_field():
    return wagtail.fields.RichTextField(
        blank=True,
        help_text="Shown at the top of the support panel on every page.",
        verbose_name="introduction",
    )


def emergency_field():
    return models.CharField(
        blank=True,
        help_text="For example: If you are in danger now, call 911.",
        max_length=200,
        verbose_name="emergency line",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("safetysettings", "support_intro", "support_intro_en"),
        migrations.RenameField("safetysettings", "emergency_text", "emergency_text_en"),
        migrations.RenameField("safetysettings", "contacts", "contacts_en"),
        migrations.AddField("safetysettings", "support_intro_es", intro_field()),
        migrations.AddField("safetysettings", "emergency_text_es", emergency_field()),
        migrations.AddField("safetysettings", "contacts_es", contacts_field()),
        migrations.AddField("safetysettings", "support_intro_ar", intro_field()),
        migrations.AddField("safetysettings", "emergency_text_ar", emergency_field()),
        migrations.AddField("safetysettings", "contacts_ar", contacts_field()),
    ]
