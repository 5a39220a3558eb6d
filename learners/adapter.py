"""How accounts behave beyond allauth's defaults: login limits and username checks.

Failed logins count per username and client address together, so someone
guessing a learner's password from elsewhere never locks the learner out of
their own account; refusals are a 429 saying when to try again. A new
username is compared as a reader sees it (circles/normalise.py), so
"trаiner" with a Cyrillic "а" cannot pass for "trainer".
"""

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from circles.normalise import skeleton

LOOKS_LIKE_ANOTHER = _(
    "This name looks too much like a name already in use here. Please choose "
    "another, so that nobody can be mistaken for someone else."
)


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        """Refuse, besides allauth's checks, a look-alike of a taken or kept name."""
        username = super().clean_username(username, shallow=shallow)
        if not shallow and _looks_like_another(username):
            raise forms.ValidationError(LOOKS_LIKE_ANOTHER, code="look_alike")
        return username

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


def _looks_like_another(username: str) -> bool:
    """Whether the name reads the same as a reserved name or another account's.

    Each existing name's skeleton is computed here, one pass over the names;
    fine for the thousands of accounts a training site holds.
    """
    wanted = skeleton(username)
    if any(skeleton(name) == wanted for name in app_settings.USERNAME_BLACKLIST):
        return True
    names = get_user_model().objects.values_list("username", flat=True)
    return any(skeleton(name) == wanted for name in names.iterator())
