from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class SupportContactBlock(blocks.StructBlock):
    """One helpline or crisis contact in the support panel."""

    name = blocks.CharBlock(
        label=_("Name"), help_text=_("The service, as people know it.")
    )
    description = blocks.TextBlock(
        label=_("What they help with"),
        required=False,
        help_text=_("One or two plain sentences."),
    )
    phone = blocks.CharBlock(
        label=_("Phone"), required=False, help_text=_("As it should be dialled.")
    )
    text = blocks.CharBlock(
        label=_("Text message"),
        required=False,
        help_text=_("A number or short code to text, with the word to send."),
    )
    website = blocks.URLBlock(
        label=_("Website"),
        required=False,
        help_text=_("Shown as a link; nothing from it loads on our pages."),
    )
    hours = blocks.CharBlock(
        label=_("When they answer"), required=False, help_text=_("For example 24/7.")
    )

    class Meta:
        icon = "user"
        label = _("Support contact")
        template = "home/blocks/support_contact.html"


class HomeSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    text = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ol", "ul"]
    )

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "home/blocks/home_section.html"
        help_text = _("A heading and a few short paragraphs.")


class CourseListBlock(blocks.StructBlock):
    """Lists the live courses, newest first, straight from the course catalogue."""

    heading = blocks.CharBlock(label=_("Heading"), default=_("Courses"))
    limit = blocks.IntegerBlock(
        label=_("How many"),
        default=6,
        min_value=1,
        max_value=24,
        help_text=_("The most courses to show; the catalogue lists them all."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Course list")
        template = "home/blocks/course_list.html"
        help_text = _("Shows the published courses as cards.")


class VerificationInfoBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), default=_("For organisations: check a certificate")
    )
    text = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ol", "ul"]
    )

    class Meta:
        icon = "tick-inverse"
        label = _("Certificate checking")
        template = "home/blocks/verification_info.html"
        help_text = _("Explains how to check a certificate, with a link to the form.")


class HomeBlock(blocks.StreamBlock):
    section = HomeSectionBlock()
    courses = CourseListBlock()
    verification = VerificationInfoBlock()
