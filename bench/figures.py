"""What a benchmark's run() returns: the figures bench/__main__.py prints.

In a module of its own because `python -m bench` loads bench/__main__.py as
`__main__`: a benchmark importing a class from `bench.__main__` would get a
second copy of it.
"""

from dataclasses import dataclass
from typing import Literal

# A label, the measured seconds, and the target (seconds, or None for a figure
# printed for context only). A measurement hits its target when it is under it.
# A rate has a fourth item, its unit "/s", and no target.
Timing = tuple[str, float, float | None] | tuple[str, float, None, Literal["/s"]]


@dataclass(frozen=True)
class Ratio:
    """A share of a yardstick measured in the same run, and the least it should be.

    value is None when the figure could not be measured; detail then says why,
    and otherwise gives the figures the share was worked out from.
    """

    label: str
    value: float | None
    target: float
    detail: str = ""


Measurement = Timing | Ratio
