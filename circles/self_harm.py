"""Words that may mean a person is thinking of hurting themselves.

Before a member's post or reply is sent to their circle, `mentions_self_harm`
is asked of its text. When it answers yes, the writer sees the support panel
(helplines and crisis contacts) first, with their words kept, and chooses to
send, change or keep them. Nothing is blocked and nothing is reported to
anyone: the point is that the person who wrote it sees help at once.

Matching is done on skeletons (circles/normalise.py), so an accent, a soft
hyphen or a look-alike letter does not hide a word, and only at the start of
a word ("overdose", not "dose"). The list errs on the side of showing help.
"""

import re

from .normalise import skeleton

SELF_HARM_PHRASES = (
    # English
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "end it all",
    "take my own life",
    "want to die",
    "wanted to die",
    "wish i was dead",
    "wish i were dead",
    "better off dead",
    "self harm",
    "self-harm",
    "selfharm",
    "hurt myself",
    "hurting myself",
    "cut myself",
    "cutting myself",
    "overdose",
    "no reason to live",
    "not want to live",
    "don't want to live",
    "dont want to live",
    "don't want to be here anymore",
    # Spanish
    "suicidio",
    "suicida",
    "suicidarme",
    "matarme",
    "quitarme la vida",
    "acabar con mi vida",
    "quiero morir",
    "quiero morirme",
    "hacerme daño",
    "autolesion",
    "cortarme",
    "sobredosis",
    "no quiero vivir",
    # Arabic
    "انتحار",
    "الانتحار",
    "أنتحر",
    "انتحر",
    "أقتل نفسي",
    "اقتل نفسي",
    "أؤذي نفسي",
    "أريد أن أموت",
    "اريد ان اموت",
    "إيذاء النفس",
    "ايذاء النفس",
    "جرعة زائدة",
)

_PHRASES = sorted({skeleton(p) for p in SELF_HARM_PHRASES}, key=len, reverse=True)
# Spaces and hyphens in a phrase match any run of spaces or hyphens.
_PATTERN = re.compile(
    r"(?<!\w)("
    + "|".join(re.sub(r"\\[ \-]", r"[\\s\\-]+", re.escape(p)) for p in _PHRASES)
    + r")"
)


def mentions_self_harm(text: str) -> bool:
    """True when the text has a word or phrase from the list."""
    return _PATTERN.search(skeleton(text).replace("\u2019", "'")) is not None
