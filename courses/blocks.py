"""Blocks a trainer builds a lesson from. Each says in plain words what it is for."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]

YOUTUBE = re.compile(
    r"^https://(?:www\.)?(?:youtube\.com/watch\?v=|youtu\.be/)(?P<id>[\w-]{6,20})"
)
VIMEO = re.compile(r"^https://(?:www\.)?vimeo\.com/(?P<id>\d{4,12})")


def external_video_embed_url(url: str) -> str | None:
    """The privacy-friendlier player address for a YouTube or Vimeo link."""
    if match := YOUTUBE.match(url):
        return f"https://www.youtube-nocookie.com/embed/{match['id']}"
    if match := VIMEO.match(url):
        return f"https://player.vimeo.com/video/{match['id']}?dnt=1"
    return None


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "courses/blocks/rich_text.html"
        help_text = _("Paragraphs and lists. Keep sentences short and plain.")
        preview_value = "<p>Listening well starts with noticing how you feel.</p>"


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"
        help_text = _("A short heading that breaks the lesson into parts.")
        preview_value = "What a peer mentor does"


def image_description(image, alt_text: str = "") -> str:
    """The words that stand for an image: these, or the image library's description."""
    return (alt_text or "").strip() or (getattr(image, "description", "") or "").strip()


class ImageValue(blocks.StructValue):
    @property
    def alt(self) -> str:
        return image_description(self.get("image"), self.get("alt_text"))


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Describe the image"),
        required=False,
        help_text=_(
            "What someone who cannot see the image needs to know, in one sentence. "
            "Leave empty to use the description saved with the image."
        ),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"
        value_class = ImageValue
        help_text = _("A picture with a description for screen readers.")

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not value.alt:
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _(
                            "Describe the image for screen readers, here or in the "
                            "image's description in the image library."
                        )
                    )
                }
            )
        return value


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    file = DocumentChooserBlock(
        label=_("Video file"),
        help_text=_(
            "An MP4 or WebM file uploaded to Documents. It plays from our site."
        ),
    )
    captions = DocumentChooserBlock(
        label=_("Captions (WebVTT)"),
        required=False,
        help_text=_("A .vtt file with captions, if the video has speech."),
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=TEXT_FEATURES,
        help_text=_(
            "Required: everything said and shown, for people who cannot watch."
        ),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"
        help_text = _("A video served by Circles itself, with its transcript.")


class AudioBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    file = DocumentChooserBlock(
        label=_("Audio file"), help_text=_("An MP3, M4A or OGG file from Documents.")
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=TEXT_FEATURES,
        help_text=_("Required: everything said, for people who cannot listen."),
    )

    class Meta:
        icon = "media"
        label = _("Audio")
        template = "courses/blocks/audio.html"
        help_text = _("A recording served by Circles itself, with its transcript.")


class ExternalVideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    url = blocks.URLBlock(
        label=_("YouTube or Vimeo address"),
        help_text=_(
            "Nothing loads from that site until the learner chooses to play it; "
            "they are told first that it opens another site."
        ),
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), features=TEXT_FEATURES, required=False
    )

    def clean(self, value):
        value = super().clean(value)
        if external_video_embed_url(value["url"]) is None:
            raise StructBlockValidationError(
                {"url": ValidationError(_("Use a YouTube or Vimeo video address."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = external_video_embed_url(value["url"])
        return context

    class Meta:
        icon = "media"
        label = _("External video (click to load)")
        template = "courses/blocks/external_video.html"
        help_text = _("A video on another site, loaded only when the learner asks.")
        preview_value = {
            "title": "A short talk on listening",
            "url": "https://vimeo.com/76979871",
            "transcript": "",
        }


class TranscriptBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), default=_("Transcript"))
    text = blocks.RichTextBlock(label=_("Transcript"), features=TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Transcript")
        template = "courses/blocks/transcript.html"
        help_text = _("A transcript in a section the learner can open and close.")
        preview_value = {
            "title": "Transcript",
            "text": "<p>Welcome. In this short talk we look at listening.</p>",
        }


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[
            ("tip", _("Tip")),
            ("important", _("Important")),
            ("self_care", _("Self-care")),
        ],
        default="tip",
    )
    title = blocks.CharBlock(label=_("Title"), required=False)
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)

    class Meta:
        icon = "info-circle"
        label = _("Callout")
        template = "courses/blocks/callout.html"
        help_text = _(
            "A box that stands out: a tip, something important, or self-care."
        )
        preview_value = {
            "kind": "self_care",
            "title": "Pause if you need to",
            "text": "<p>It is fine to stop here and come back later.</p>",
        }


class ContentNoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(
        label=_("What is coming"),
        help_text=_("Say plainly what the next part describes, without details."),
    )

    class Meta:
        icon = "warning"
        label = _("Content note")
        template = "courses/blocks/content_note.html"
        help_text = _(
            "A note inside a lesson, before a hard part, with a link to take a break."
        )
        preview_value = {"text": "The next part describes pressure and control."}


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question to reflect on"))
    guidance = blocks.TextBlock(
        label=_("Guidance"),
        required=False,
        help_text=_(
            "Optional: how to approach it. What a learner writes stays theirs "
            "unless they choose to share it with their practice circle."
        ),
    )

    class Meta:
        icon = "edit"
        label = _("Reflection prompt")
        template = "courses/blocks/reflection.html"
        help_text = _(
            "A question to think about. A learner may write an answer and keep it "
            "private (trainers never see it), or choose to share it with their "
            "practice circle, where trainers moderate it."
        )
        preview_value = {
            "prompt": "When did someone last really listen to you?",
            "guidance": "Notice how it felt. There is no right answer.",
        }


class GroundingBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    steps = blocks.ListBlock(blocks.CharBlock(label=_("Step")), label=_("Steps"))

    class Meta:
        icon = "pick"
        label = _("Grounding exercise")
        template = "courses/blocks/grounding.html"
        help_text = _("A short exercise to calm the body, one step at a time.")
        preview_value = {
            "title": "Feet on the floor",
            "intro": "Go slowly.",
            "steps": ["Notice your feet.", "Breathe out slowly."],
        }


class KeyTakeawaysBlock(blocks.StructBlock):
    items = blocks.ListBlock(blocks.CharBlock(label=_("Point")), label=_("Points"))

    class Meta:
        icon = "list-ul"
        label = _("Key takeaways")
        template = "courses/blocks/key_takeaways.html"
        help_text = _("Three to five points to remember from the lesson.")
        preview_value = {
            "items": ["Listen first.", "Validate feelings.", "Offer choices."]
        }


class ResourceLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    url = blocks.URLBlock(label=_("Address"))
    description = blocks.CharBlock(label=_("Description"), required=False)


class ResourceLinksBlock(blocks.StructBlock):
    links = blocks.ListBlock(ResourceLinkBlock(), label=_("Links"))

    class Meta:
        icon = "link"
        label = _("Resource links")
        template = "courses/blocks/resource_links.html"
        help_text = _(
            "Links to other organisations. Nothing from them loads on our page."
        )
        preview_value = {
            "links": [
                {
                    "title": "SAMHSA",
                    "url": "https://www.samhsa.gov/",
                    "description": "Information and helplines.",
                }
            ]
        }


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Downloadable document")
        template = "courses/blocks/document.html"
        help_text = _("A worksheet or handout the learner can download.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        label=_("Who said it"),
        required=False,
        help_text=_("Never a real survivor's name without their written consent."),
    )
    lived_experience = blocks.BooleanBlock(
        label=_("Words of a real person with lived experience"),
        required=False,
        help_text=_(
            "Tick only for the words of a real person who agreed to share them "
            'here. It shows a "From lived experience" badge. Leave it unticked '
            "for composites and examples written for the course, and say in "
            '"Who said it" that they are illustrative examples.'
        ),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote or story")
        template = "courses/blocks/quote.html"
        help_text = _(
            "A quote or a short story: a real person's words, shared with their "
            "consent, or an illustrative example labelled as one."
        )
        preview_value = {
            "text": "Being believed was the first thing that helped.",
            "attribution": "Illustrative example: a peer mentor (a composite)",
            "lived_experience": False,
        }


class LessonBlock(blocks.StreamBlock):
    rich_text = RichTextBlock()
    heading = HeadingBlock()
    image = ImageBlock()
    video = VideoBlock()
    audio = AudioBlock()
    external_video = ExternalVideoBlock()
    transcript = TranscriptBlock()
    callout = CalloutBlock()
    content_note = ContentNoteBlock()
    reflection = ReflectionBlock()
    grounding = GroundingBlock()
    key_takeaways = KeyTakeawaysBlock()
    resources = ResourceLinksBlock()
    document = DocumentBlock()
    quote = QuoteBlock()


class OutcomeBlock(blocks.CharBlock):
    class Meta:
        icon = "tick"
        label = _("Outcome")
        help_text = _("Start with a verb: 'Explain…', 'Practise…', 'Recognise…'.")
