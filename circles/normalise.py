"""Text as a reader's eye sees it, so that checks cannot be slipped past.

A soft hyphen, a zero-width space or a Cyrillic "а" changes nothing a person
sees but defeats a plain comparison: to Python, "trafficking" with a soft
hyphen inside is another word. `skeleton()` gives the form checks compare:
Unicode NFKC, invisible format characters (soft hyphens, zero-width and
bidirectional controls) removed, case folded, Latin accents dropped, and
common Cyrillic and Greek look-alike letters folded to their Latin twins. A
skeleton is only ever compared, never stored or shown. `one_line()` tidies
text a person typed for one line of print (a printed name): control
characters become spaces.
"""

import unicodedata

__all__ = ["LOOK_ALIKES", "one_line", "skeleton"]

#: Cyrillic and Greek letters that look like Latin ones, after case folding
#: (so each stands for its capital as well: "В" folds to "в", then to "b").
LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "һ": "h",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "ӏ": "l",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "с": "c",
        "ѕ": "s",
        "т": "t",
        "у": "y",
        "ԝ": "w",
        "х": "x",
        "ԁ": "d",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "ζ": "z",
        "η": "h",
        "ι": "i",
        "κ": "k",
        "μ": "m",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        # Latin letters that pass for others
        "ı": "i",
        "ɑ": "a",
        "ɡ": "g",
    }
)

# Marks of the Combining Diacritical Marks block (accents on Latin, Greek and
# Cyrillic letters); other scripts' marks are letters' own parts and stay.
_DIACRITICS = range(0x0300, 0x0370)
# Invisible even though not of category Cf.
_ALSO_INVISIBLE = {"\u034f", "\u115f", "\u1160", "\u3164", "\uffa0"}


def skeleton(text: str) -> str:
    """Return the form of text that checks compare; equal for look-alikes."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(c for c in text if not _is_invisible(c)).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(c for c in decomposed if ord(c) not in _DIACRITICS)
    return unicodedata.normalize("NFC", text.translate(LOOK_ALIKES))


def one_line(text: str) -> str:
    """Return text as one line: controls, line breaks and any space become spaces.

    Other characters that print nothing (soft hyphens, zero-width and
    bidirectional controls, unassigned code points) are removed, and runs
    of spaces become one.
    """
    kept = []
    for character in unicodedata.normalize("NFC", text or ""):
        if character.isspace() or unicodedata.category(character) == "Cc":
            kept.append(" ")
        elif character.isprintable():
            kept.append(character)
    return " ".join("".join(kept).split())


def _is_invisible(character: str) -> bool:
    return unicodedata.category(character) == "Cf" or character in _ALSO_INVISIBLE
