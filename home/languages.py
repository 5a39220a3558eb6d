"""The learner's language: a cookie on this browser, remembered on their account.

Choosing a language (home.views.choose_language) sets the language cookie,
and, for a signed-in person, keeps the choice on their account (Wagtail's
user profile, which the data export already includes). Signing in on another
browser brings it back: the sign-in answer sets the cookie. The quick exit
and /exit/ delete the cookie with everything else.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import check_for_language
from wagtail.users.models import UserProfile


def set_language_cookie(response, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def delete_language_cookie(response) -> None:
    response.delete_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def is_site_language(code: str) -> bool:
    return code in dict(settings.LANGUAGES) and check_for_language(code)


def remember_language(user, code: str) -> None:
    """Keep the choice on the account, for the next sign-in on any browser."""
    profile = UserProfile.get_for_user(user)
    if profile.preferred_language != code:
        profile.preferred_language = code
        profile.save(update_fields=["preferred_language"])


@receiver(user_logged_in)
def _bring_back_language(sender, request, user, **kwargs):
    """Note the account's language, for AccountLanguageMiddleware to set."""
    if request is None:
        return
    code = (
        UserProfile.objects.filter(user=user)
        .values_list("preferred_language", flat=True)
        .first()
    )
    if code and is_site_language(code):
        request.account_language = code


class AccountLanguageMiddleware:
    """After a sign-in, set the language cookie to the account's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        code = getattr(request, "account_language", None)
        if code and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            set_language_cookie(response, code)
        return response
