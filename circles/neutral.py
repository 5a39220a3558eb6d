"""Words that must not appear in the frame around content: titles, slugs, file names.

A shared phone shows page titles in tabs and history, and URLs in the address
bar; a survivor can be put at risk by any of these words appearing there.
"""

import re

from django.utils.translation import gettext_lazy as _

from .normalise import skeleton

SENSITIVE_WORDS = (
    # English
    "abuse",
    "coercion",
    "crisis",
    "exploitation",
    "rape",
    "sex",
    "survivor",
    "trafficked",
    "trafficking",
    "trauma",
    "victim",
    "violence",
    # Spanish, the other interface language: courses may be written in it
    "abuso",
    "coerción",
    "coercion",
    "explotación",
    "explotacion",
    "sexual",
    "sobreviviente",
    "superviviente",
    "trata de personas",
    "traficad",
    "víctima",
    "violación",
    "violacion",
    "violencia",
)

# Matching is done on skeletons (circles/normalise.py), so a soft hyphen, a
# zero-width space, an accent or a look-alike letter cannot hide a word; each
# skeleton maps back to the word as listed, for messages.
_LISTED = {}
for _word in SENSITIVE_WORDS:
    _LISTED.setdefault(skeleton(_word), _word)
_PATTERN = re.compile(r"(?<![a-z])(" + "|".join(map(re.escape, _LISTED)) + r")")

NEUTRAL_TITLE_HELP = _(
    "Keep it neutral. The title shows in browser tabs, history and on certificates, "
    "so it must not include words such as trafficking, survivor, abuse or trauma."
)
NEUTRAL_SLUG_HELP = _(
    "The last part of the web address. It shows in browser history: keep it neutral."
)


def sensitive_words_in(text: str) -> list[str]:
    """The sensitive words that start a word in `text`, as listed, in order.

    Text is compared as a reader sees it: a word with a soft hyphen, a
    zero-width space or a Cyrillic "а" inside it still counts.
    """
    return [_LISTED[match.group(1)] for match in _PATTERN.finditer(skeleton(text))]
