"""Helpers for the certificate tests: a finished course and its certificate."""

from django.test import TestCase
from wagtail.models import Page

from certificates.models import Certificate, CertificatePolicy
from courses.outline import course_outline
from courses.services import complete_step, enrol
from tests.factories import CourseFactory, UserFactory

PRINTED_NAME = "Amara Okafor"


def make_course(course_index, *, offers_certificate=True, **kwargs):
    """A live course of one module with two lessons, offering a certificate."""
    kwargs.setdefault("title", "Listening well")
    kwargs.setdefault("slug", "listening")
    course = CourseFactory(parent=course_index, modules=1, steps=2, **kwargs)
    if not offers_certificate:
        CertificatePolicy.objects.create(course=course, offers_certificate=False)
    return course


def finish_course(learner, course):
    """Enrol and complete every step, running what waits for the commit.

    In a test transaction nothing commits, so on_commit work (the
    course_completed signal, the PDF task) is run when the block ends.
    """
    enrol(learner=learner, course=course)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for entry in course_outline(course).steps:
            complete_step(learner=learner, step=Page.objects.get(pk=entry.id).specific)


def certified(course, *, username="quiet-heron", name=PRINTED_NAME) -> Certificate:
    """A learner with a printed name who finished course: their certificate."""
    learner = UserFactory(username=username, certificate_name=name)
    finish_course(learner, course)
    return Certificate.objects.get(learner=learner, course=course)
