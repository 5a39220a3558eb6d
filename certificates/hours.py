"""A certificate's hours: one rule for the PDF and the credential alike."""

from decimal import Decimal

__all__ = ["certified_hours"]


def certified_hours(hours: Decimal | float | int) -> Decimal:
    """Return hours as a Decimal; raise ValueError unless a finite number above zero.

    Certificates state the hours, so a course of no hours is refused in its
    form and in the database (courses' course_hours_above_zero); nothing
    printed or signed may say otherwise.
    """
    if isinstance(hours, bool) or not isinstance(hours, Decimal | float | int):
        raise ValueError(f"hours must be a number, got {hours!r}.")
    # str() first so 1.1 stays 1.1 instead of 1.100000000000000088817841970012523.
    value = Decimal(str(hours)) if isinstance(hours, float) else Decimal(hours)
    if not value.is_finite() or value <= 0:
        raise ValueError(f"hours must be more than zero, got {hours!r}.")
    return value
