"""Codes people copy from paper and type: Crockford's base32 and its separators.

Certificate codes and cohort join codes are read aloud and typed on phones,
so both are written in Crockford's alphabet (no I, L, O or U, which look like
other characters) and both ignore the spaces and dashes people put between
groups. The log filter uses the same alphabet to hide codes.
"""

__all__ = ["ALPHABET", "SEPARATORS", "without_separators"]

#: Crockford's base32 alphabet: no I, L, O (look like 1 and 0) and no U.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Separators people type or paste between groups: every kind of dash.
SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


def without_separators(text: str) -> str:
    """Return text without the spaces and dashes people type between groups."""
    return "".join(c for c in text if not (c.isspace() or c in SEPARATORS))
