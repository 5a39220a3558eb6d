"""Page throughput against a bare Django view on the same stack (DESIGN.md).

Targets from "Performance by design": a logged-in lesson page at 35% of the
throughput of a bare Django view, an anonymous page at 60%. Requests go
through the whole middleware stack in-process (Django's test client) against
the demo site in a fresh SQLite database, so the ratio, not the absolute
number, is what carries over to a real server.
"""

import statistics
import time

REQUESTS = 200
LOGGED_IN_SHARE = 0.35
ANONYMOUS_SHARE = 0.60


def run(count: int | None) -> list[tuple[str, float, float | None]]:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.urls import clear_url_caches

    setup_test_environment()
    settings.ROOT_URLCONF = "bench.urls"
    clear_url_caches()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("seed_demo", stdout=_Null())
        return _measure(Client, count or REQUESTS)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        # The next benchmark in the same run sets it up again.
        teardown_test_environment()


def _measure(Client, requests: int):
    from django.contrib.auth import get_user_model

    from courses.locales import originals
    from courses.models import CoursePage
    from courses.outline import course_outline
    from courses.services import enrol

    learner = get_user_model().objects.get(username="learner")
    course = originals(CoursePage.objects.all()).get(slug="foundations")
    enrol(learner=learner, course=course)
    lesson = course_outline(course).steps[1].url

    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(learner)

    bare_anonymous = _per_request(anonymous, "/bench/bare/", requests)
    bare_signed_in = _per_request(signed_in, "/bench/bare/", requests)
    home = _per_request(anonymous, "/", requests)
    overview = _per_request(anonymous, course.url, requests)
    lesson_page = _per_request(signed_in, lesson, requests)
    return [
        ("bare Django view, anonymous", bare_anonymous, None),
        ("bare Django view, signed in", bare_signed_in, None),
        ("home page, anonymous (60% of bare)", home, bare_anonymous / ANONYMOUS_SHARE),
        (
            "course page, anonymous (60% of bare)",
            overview,
            bare_anonymous / ANONYMOUS_SHARE,
        ),
        (
            "lesson page, signed in (35% of bare)",
            lesson_page,
            bare_signed_in / LOGGED_IN_SHARE,
        ),
    ]


def _per_request(client, path: str, requests: int) -> float:
    """The median seconds per request over `requests` GETs, after warming up."""
    for _warm in range(10):
        assert client.get(path).status_code == 200, path
    samples = []
    for _request in range(requests):
        started = time.perf_counter()
        client.get(path)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
