"""The one error a person is shown: a request that cannot be done, and why.

Services raise a Refusal (or a subclass naming the case) with a translated
message written for the person who asked; views, forms and the admin show
that message as it is. Anything else that goes wrong is a bug, not a refusal.
"""

__all__ = ["Refusal"]


class Refusal(Exception):
    """A request that cannot be done, with a message for the person who asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
