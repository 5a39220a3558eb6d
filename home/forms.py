"""Admin upload forms that keep file names neutral.

Uploaded file names end up in addresses (/documents/12/name.pdf,
/media/images/name.width-800.jpg), browser history and download folders.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from circles.neutral import sensitive_words_in


class NeutralFileNameMixin:
    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        name = getattr(upload, "name", "") or ""
        words = sensitive_words_in(name.replace("_", " ").replace("-", " "))
        if words:
            self.add_error(
                "file",
                _(
                    "Please rename the file before uploading it, without “%(words)s”: "
                    "its name shows in web addresses and download folders."
                )
                % {"words": ", ".join(sorted(set(words)))},
            )
        return cleaned


class NeutralDocumentForm(NeutralFileNameMixin, BaseDocumentForm):
    pass


class NeutralImageForm(NeutralFileNameMixin, BaseImageForm):
    pass
