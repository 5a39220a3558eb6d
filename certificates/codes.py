"""Public certificate codes.

A code is 12 characters of Crockford's base32 (60 random bits from the
operating system's CSPRNG), shown as ``XXXX-XXXX-XXXX``. People copy codes
from paper and read them aloud, so input is forgiving in the ways Crockford
designed for: case, dashes and spaces are ignored, O reads as 0 and I or L as
1. Anything else is refused with a message that says what is wrong.
"""

import secrets

from django.utils.translation import gettext_lazy as _

from circles.crockford import ALPHABET, without_separators
from circles.refusals import Refusal

__all__ = [
    "ALPHABET",
    "CODE_LENGTH",
    "InvalidCode",
    "format_code",
    "generate_code",
    "normalize_code",
]

CODE_LENGTH = 12
_GROUP = 4

# Each accepted input character -> its canonical form. Built per character
# rather than with str.upper(), which turns some non-ASCII letters into
# ASCII ones ("ı" -> "I", "ﬁ" -> "FI").
_DECODE = {
    **{c: c for c in ALPHABET},
    **{c.lower(): c for c in ALPHABET if c.isalpha()},
    **dict.fromkeys("Oo", "0"),
    **dict.fromkeys("IiLl", "1"),
}


class InvalidCode(Refusal, ValueError):
    """Text that is not a certificate code; `message` tells the person what is wrong."""


def generate_code() -> str:
    """Return a new random code: 12 canonical characters, 60 bits of entropy."""
    return "".join(secrets.choice(ALPHABET) for _position in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """Return the canonical 12-character form of a code as a person typed it.

    Ignores case, spaces and dashes; reads O as 0 and I or L as 1. Raises
    InvalidCode for any other character or a wrong number of characters.
    """
    characters = []
    for character in without_separators(text):
        try:
            characters.append(_DECODE[character])
        except KeyError:
            if character in "Uu":
                message = _(
                    "Certificate codes never contain the letter U. Check the code."
                )
            else:
                message = _(
                    "Certificate codes contain only letters and numbers, like "
                    "ABCD-EFGH-JKMN. Check the code."
                )
            raise InvalidCode(message) from None
    if len(characters) != CODE_LENGTH:
        raise InvalidCode(
            _(
                "A certificate code has 12 letters and numbers, like ABCD-EFGH-JKMN. "
                "Check that none are missing or extra."
            )
        )
    return "".join(characters)


def format_code(code: str) -> str:
    """Return a code for display as XXXX-XXXX-XXXX (normalizing it first)."""
    canonical = normalize_code(code)
    return "-".join(
        canonical[start : start + _GROUP] for start in range(0, CODE_LENGTH, _GROUP)
    )
