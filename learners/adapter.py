"""How accounts behave beyond allauth's defaults: login limits and username checks.

Failed logins count per username and client address together, so someone
guessing a learner's password from elsewhere never locks the learner out of
their own account; refusals are a 429 saying when to try again.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Key failed logins to the name tried and the address trying it."""
        name_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{name_key}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        """Refuse with a 429 and Retry-After once this name and address are spent."""
        self._login_failed_rl_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            key=self._get_login_attempts_cache_key(request, **credentials),
        )
        if not self._login_failed_rl_usage:
            response = ratelimit.respond_429(request)
            response["Retry-After"] = str(_longest_login_window())
            raise ImmediateHttpResponse(response)


def _longest_login_window() -> int:
    """Seconds until every failed-login window has passed: an honest upper bound."""
    rates = ratelimit.get_rates(app="allauth.account", action="login_failed")
    return int(max((rate.duration for rate in rates), default=60))
