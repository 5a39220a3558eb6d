"""A trainer's course progress report over 10,000 learners.

Targets (issue 13): the report's first page in under 300 ms, and its CSV
download streamed with flat memory. Builds a fresh SQLite test database with
one course of 20 lessons, three cohorts and 10,000 enrolled learners who have
done between none and all of the lessons, then, as a trainer:

- times the first page of the report (median of 5, after one warm-up);
- downloads the CSV for one cohort (a quarter of the learners) and for all,
  measuring the Python memory each download peaks at (tracemalloc). Flat
  memory means the whole course costs about what one cohort costs: the
  figure printed is the ratio, with a target under 1.5.
"""

import random
import statistics
import time
import tracemalloc

LEARNERS = 10_000
LESSONS = 20
COHORTS = ("Spring group", "Summer group", "Autumn group")
FIRST_PAGE_TARGET_S = 0.300
MEMORY_RATIO_TARGET = 1.5


def run(count: int | None) -> list:
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return _measure(count or LEARNERS)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        # The next benchmark in the same run sets it up again.
        teardown_test_environment()


def _measure(learners: int) -> list:
    from django.test import Client

    course, cohort = _course_with_learners(learners)
    client = Client()
    client.force_login(_trainer())
    url = f"/admin/course-progress/{course.pk}/"

    _get(client, url)  # warm up: templates, translations, the outline cache
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        _get(client, url)
        samples.append(time.perf_counter() - started)

    started = time.perf_counter()
    rows_all, peak_all = _csv_peak(client, f"{url}?export=csv")
    csv_seconds = time.perf_counter() - started
    rows_cohort, peak_cohort = _csv_peak(client, f"{url}?export=csv&cohort={cohort.pk}")
    assert rows_all == learners + 1, f"CSV has {rows_all} lines for {learners}"
    ratio = peak_all / peak_cohort
    return [
        (
            f"first page, {learners:,} learners, median",
            statistics.median(samples),
            FIRST_PAGE_TARGET_S,
        ),
        (f"CSV, {learners:,} learners, total", csv_seconds, None),
        ("CSV peak memory, all learners", peak_all / 2**20, None, " MiB"),
        (
            f"CSV peak memory, one cohort of {rows_cohort - 1:,}",
            peak_cohort / 2**20,
            None,
            " MiB",
        ),
        ("CSV peak memory, all / one cohort", ratio, MEMORY_RATIO_TARGET, "x"),
    ]


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def _csv_peak(client, url) -> tuple[int, int]:
    """Download a CSV; return its line count and the memory Python peaked at."""
    tracemalloc.start()
    try:
        response = _get(client, url)
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        return lines, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _trainer():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username="bench-trainer", password=None
    )


def _course_with_learners(count: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.utils import timezone

    from courses.models import (
        Cohort,
        CoursePage,
        Enrolment,
        LessonPage,
        ModulePage,
        StepCompletion,
    )
    from home.site_setup import ensure_course_index, ensure_home_page

    index = ensure_course_index(ensure_home_page())
    course = CoursePage(
        title="Peer mentoring foundations",
        slug="bench-report",
        summary="Listening, boundaries and referral.",
    )
    index.add_child(instance=course)
    lessons = []
    for m in range(LESSONS // 5):
        module = ModulePage(title=f"Module {m + 1}", slug=f"module-{m + 1}")
        course.add_child(instance=module)
        for n in range(5):
            lesson = LessonPage(
                title=f"Lesson {n + 1}", slug=f"lesson-{n + 1}", body="[]"
            )
            module.add_child(instance=lesson)
            lessons.append(lesson)
    cohorts = [
        Cohort.objects.create(course=course, name=name, join_code=f"BENCH{i}")
        for i, name in enumerate(COHORTS)
    ]
    User = get_user_model()
    User.objects.bulk_create(
        (
            User(username=f"learner-{n:05d}", password=UNUSABLE_PASSWORD_PREFIX)
            for n in range(count)
        ),
        batch_size=2000,
    )
    users = list(User.objects.filter(username__startswith="learner-").order_by("pk"))
    rng = random.Random(13)
    now = timezone.now()
    enrolments, completions = [], []
    for n, user in enumerate(users):
        done = rng.randint(0, LESSONS)
        enrolments.append(
            Enrolment(
                learner=user,
                course=course,
                # a quarter in the first cohort, the rest spread or self-enrolled
                cohort=cohorts[0] if n % 4 == 0 else rng.choice([*cohorts[1:], None]),
                completed_at=now if done == LESSONS else None,
            )
        )
        completions.extend(
            StepCompletion(learner=user, step=lesson) for lesson in lessons[:done]
        )
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    StepCompletion.objects.bulk_create(completions, batch_size=5000)
    return course, cohorts[0]
