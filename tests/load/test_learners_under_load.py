"""Thirty-two learners at once, on real servers: nothing lost, nothing twice, no errors.

The learners sign up, choose the name for their certificate, enrol, read
every lesson, fail each quiz and pass it on a retake, and finish; half of
them finish the last step in two tabs at the same moment. Afterwards every
completion and attempt they sent is recorded exactly once, each has exactly
one certificate with its PDF in storage, and every web server verifies every
certificate. Bounded: 32 learners, a six-step course, loopback only.

The scaled-out shape runs in `make test-postgres` (it needs the servers
scripts/stack.sh starts); the embedded shape runs in `make test`.
"""

import pytest
from django.db import connection

from .scenario import run_scenario
from .shapes import stack_available

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.load]


def test_thirty_two_learners_on_the_scaled_out_stack(course_index, tmp_path):
    """nginx, two gunicorns, PostgreSQL, Redis, S3 and a task worker."""
    why_not = stack_available()
    if why_not or connection.vendor != "postgresql":
        pytest.skip(why_not or "the scaled-out shape runs on PostgreSQL")

    outcome = run_scenario("stack", folder=tmp_path, course_index=course_index)

    assert not outcome.problems, "\n".join(outcome.problems)


def test_thirty_two_learners_on_the_embedded_default(course_index, tmp_path):
    """One gunicorn on the SQLite file, PDFs on the local disk, tasks in-process."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded shape runs on SQLite, in make test")

    outcome = run_scenario("embedded", folder=tmp_path, course_index=course_index)

    assert not outcome.problems, "\n".join(outcome.problems)
