"""Logs carry no personal data: a filter for every handler that writes them.

A log line can be read by people who must not learn who studies here. Before
a record is written, its message and traceback lose query strings, e-mail
addresses and certificate codes, and, when the record carries the request
(Django's `django.request` records do), the signed-in person's username,
printed name and e-mail address.
"""

import logging
import re

from .crockford import ALPHABET

_QUERY_STRING = re.compile(r"\?[^\s\"'<>]+")
_EMAIL = re.compile(r"[^\s@\"'<>/:]+@[^\s@\"'<>/]+\.[^\s@\"'<>/]+")
_CODE_PART = f"[{ALPHABET}{ALPHABET.lower()}]{{4}}"
_CODE = re.compile(rf"(?<![\w-]){_CODE_PART}-?{_CODE_PART}-?{_CODE_PART}(?![\w-])")


class WithoutPersonalData(logging.Filter):
    """Rewrite each record without query strings, e-mails, codes or the user's names."""

    def filter(self, record: logging.LogRecord) -> bool:
        personal = _personal_values(getattr(record, "request", None))
        record.msg = scrub(record.getMessage(), personal)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, personal)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, personal)
        return True


def scrub(text: str, personal: tuple[str, ...] = ()) -> str:
    """Return text with query strings, e-mails, codes and the given values hidden."""
    for value in personal:
        text = text.replace(value, "[personal]")
    text = _QUERY_STRING.sub("?[query]", text)
    text = _EMAIL.sub("[e-mail]", text)
    return _CODE.sub("[code]", text)


def _personal_values(request) -> tuple[str, ...]:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    values = (
        user.get_username(),
        getattr(user, "certificate_name", ""),
        getattr(user, "email", ""),
    )
    # Longest first, so a name inside another is hidden whole.
    return tuple(sorted({v for v in values if len(v) >= 3}, key=len, reverse=True))
