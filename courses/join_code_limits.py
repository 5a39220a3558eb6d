"""How many wrong join codes a course takes before it pauses, and counting them.

Wrong join codes are allowed before a pause per account, per address (shared
by everyone behind it: a classroom, a shelter's wifi) and per course: enough
for typos, far too few to guess a code. Only wrong codes count, so a room of
learners joining with the right code is never held up.
"""

from django_ratelimit.core import get_usage

from .locales import original_id

#: Allowance name -> (what it is counted by, rate). "course" counts by the
#: course the code is tried for; the others are django-ratelimit keys.
JOIN_CODE_RATES = {
    "account": ("user", "10/10m"),
    "address": ("ip", "30/10m"),
    "course": ("course", "100/10m"),
}


def join_code_limited(request, course) -> bool:
    """Whether any allowance of wrong join codes is spent; counts nothing."""
    for name in JOIN_CODE_RATES:
        usage = _usage(request, course, name, increment=False)
        if usage and usage["count"] >= usage["limit"]:
            return True
    return False


def count_wrong_join_code(request, course) -> None:
    """Count one wrong join code against every allowance."""
    for name in JOIN_CODE_RATES:
        _usage(request, course, name, increment=True)


def _usage(request, course, name: str, *, increment: bool) -> dict | None:
    key, rate = JOIN_CODE_RATES[name]
    if key == "course":
        key = _course_key(course)
    return get_usage(
        request,
        group=f"courses:join-code:{name}",
        key=key,
        rate=rate,
        increment=increment,
    )


def _course_key(course):
    """A django-ratelimit key function that counts by `course`, in any language.

    A translation counts with its original, so switching language gives no
    fresh tries.
    """

    def key(group, request) -> str:
        return str(original_id(course))

    return key
