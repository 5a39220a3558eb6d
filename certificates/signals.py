"""Issue a certificate when `courses` announces a completed course."""

import logging

from circles.refusals import Refusal

from .keys import SigningKeyMissing
from .selectors import certificate_policy
from .services import PrintedNameNeeded, issue_certificate

logger = logging.getLogger(__name__)


def issue_on_course_completion(sender, *, enrolment, learner, course, **kwargs):
    """Issue the certificate for a completed course; idempotent.

    Before the learner has chosen a printed name nothing is issued: the
    course page asks for the name, and choosing it issues the certificate.
    A failure here never undoes the completion, which is already committed.
    """
    if not certificate_policy(course).offers_certificate:
        return
    try:
        issue_certificate(learner=learner, course=course)
    except PrintedNameNeeded:
        return
    except SigningKeyMissing:
        logger.error("No signing key: a certificate was not issued.", exc_info=True)
    except Refusal as error:
        logger.warning("A certificate was not issued: %s", error.message)
