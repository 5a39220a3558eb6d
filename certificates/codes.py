"""Public certificate codes.

A code is 12 characters of Crockford's base32 (60 random bits from the
operating system's CSPRNG), shown as ``XXXX-XXXX-XXXX``. People copy codes
from paper and read them aloud, so input is forgiving in the ways Crockford
designed for: case, dashes and spaces are ignored, O reads as 0 and I or L as
1. Anything else is refused with a message that says what is wrong.
"""

import secrets

__all__ = [
    "ALPHABET",
    "CODE_LENGTH",
    "InvalidCode",
    "format_code",
    "generate_code",
    "normalize_code",
]

#: Crockford's base32 alphabet: no I, L, O (look like 1 and 0) and no U.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
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
# Separators people type or paste: spaces and every kind of dash.
_SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


class InvalidCode(ValueError):
    """Text that is not a certificate code."""


def generate_code() -> str:
    """Return a new random code: 12 canonical characters, 60 bits of entropy."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """Return the canonical 12-character form of a code as a person typed it.

    Ignores case, spaces and dashes; reads O as 0 and I or L as 1. Raises
    InvalidCode for any other character or a wrong number of characters.
    """
    characters = []
    for character in text:
        if character.isspace() or character in _SEPARATORS:
            continue
        try:
            characters.append(_DECODE[character])
        except KeyError:
            if character in "Uu":
                message = "Certificate codes never contain the letter U."
            else:
                message = (
                    f"Certificate codes contain only letters and digits, "
                    f"not {character!r}."
                )
            raise InvalidCode(message) from None
    if len(characters) != CODE_LENGTH:
        raise InvalidCode(
            f"A certificate code has {CODE_LENGTH} letters and digits, "
            f"like ABCD-EFGH-JKMN; this has {len(characters)}."
        )
    return "".join(characters)


def format_code(code: str) -> str:
    """Return a code for display as XXXX-XXXX-XXXX (normalizing it first)."""
    canonical = normalize_code(code)
    return "-".join(
        canonical[start : start + _GROUP] for start in range(0, CODE_LENGTH, _GROUP)
    )
