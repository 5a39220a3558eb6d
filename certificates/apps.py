from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from courses.signals import course_completed

        from .signals import issue_on_course_completion

        course_completed.connect(
            issue_on_course_completion,
            dispatch_uid="certificates.issue_on_course_completion",
        )
        checks.register(check_signing_key, checks.Tags.security)


def check_signing_key(app_configs=None, **kwargs):
    """Refuse to run (migrate, runserver, check) without a key or a usable SITE_URL."""
    from django.conf import settings

    from .credentials import did_web_for
    from .keys import signing_key_problem

    errors = []
    problem = signing_key_problem()
    if problem:
        errors.append(
            checks.Error(
                problem,
                hint="Set SIGNING_KEY_FILE or SIGNING_KEY_PEM in the environment.",
                id="certificates.E001",
            )
        )
    try:
        did_web_for(settings.SITE_URL)
    except ValueError as error:
        errors.append(
            checks.Error(
                f"SITE_URL cannot name the certificate issuer: {error}",
                hint="Set SITE_URL to the site's root, like https://circles.example.org",
                id="certificates.E002",
            )
        )
    return errors
