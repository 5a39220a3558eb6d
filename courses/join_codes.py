"""Cohort join codes.

A generated code is 8 characters from an alphabet without look-alikes (no
0, 1, I, L, O or U): about 39 random bits from the operating system's
CSPRNG, shown as ``ABCD-EFGH``. A trainer may type their own instead, within
the rules in JOIN_CODE_HELP. Codes are stored in one canonical form, so two
codes that differ only in case, spaces or dashes are the same code: a
learner may type ``listen-24`` for ``LISTEN24``.
"""

import secrets
import string

from django.utils.translation import gettext_lazy as _

from circles import crockford
from circles.refusals import Refusal

__all__ = [
    "ALPHABET",
    "GENERATED_LENGTH",
    "JOIN_CODE_HELP",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "InvalidJoinCode",
    "check_join_code",
    "format_join_code",
    "generate_join_code",
    "normalize_join_code",
]

#: Crockford's base32 without the digits 0 and 1, which read as O, I and L.
ALPHABET = crockford.ALPHABET.replace("0", "").replace("1", "")
GENERATED_LENGTH = 8
MIN_LENGTH = 8
MAX_LENGTH = 20
_GROUP = 4

JOIN_CODE_HELP = _(
    "Leave empty and Circles makes a strong code for you. Or type your own: "
    "8 to 20 letters (A to Z) and digits. Case, spaces and dashes do not "
    "matter, so learners can type listen-24 or LISTEN24."
)

_ALLOWED = frozenset(string.ascii_uppercase + string.digits)


class InvalidJoinCode(Refusal, ValueError):
    """A typed code that breaks the rules in JOIN_CODE_HELP; `message` says which."""


def generate_join_code() -> str:
    """Return a new random code in canonical form: 8 characters, about 39 bits."""
    return "".join(secrets.choice(ALPHABET) for _ in range(GENERATED_LENGTH))


def normalize_join_code(text: str) -> str:
    """Return the canonical form of a code as typed: separators gone, upper case.

    Never raises: text that is no code at all comes back as something no
    stored code equals.
    """
    return "".join(
        # Per character, because str.upper() turns some non-ASCII letters
        # into ASCII ones ("ı" -> "I").
        character.upper() if character in string.ascii_letters else character
        for character in crockford.without_separators(text or "")
    )


def check_join_code(text: str) -> str:
    """Return the canonical form of a trainer's code, or raise InvalidJoinCode."""
    code = normalize_join_code(text)
    wrong = sorted({character for character in code if character not in _ALLOWED})
    if wrong:
        raise InvalidJoinCode(
            _(
                "Use only the letters A to Z and digits in a join code, "
                "not “%(characters)s”."
            )
            % {"characters": "".join(wrong)}
        )
    if not MIN_LENGTH <= len(code) <= MAX_LENGTH:
        raise InvalidJoinCode(
            _(
                "A join code has %(min)d to %(max)d letters and digits (spaces "
                "and dashes do not count); this one has %(count)d. Leave it "
                "empty for a strong code made for you."
            )
            % {"min": MIN_LENGTH, "max": MAX_LENGTH, "count": len(code)}
        )
    return code


def format_join_code(code: str) -> str:
    """Return a code for display in groups of four: ABCD-EFGH."""
    canonical = normalize_join_code(code)
    return "-".join(
        canonical[start : start + _GROUP] for start in range(0, len(canonical), _GROUP)
    )
