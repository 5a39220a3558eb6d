"""Many learners writing at once: SQLite in WAL mode queues them, nobody sees an error.

Bounded traffic to the live test server on loopback only: a fixed number of
learners, each marking a fixed number of steps complete from two "tabs".
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from courses.models import Enrolment, StepCompletion
from courses.outline import course_outline
from courses.services import enrol
from tests.factories import PASSWORD, CourseFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.load]

LEARNERS = 6


def signed_in_session(base_url: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"login": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/accounts/login/"},
        timeout=30,
    )
    assert response.ok
    return session


def test_learners_completing_steps_at_once_all_succeed(live_server, course_index):
    course = CourseFactory(parent=course_index, slug="busy", modules=2, steps=3)
    steps = course_outline(course).steps
    users = [UserFactory(username=f"busy-{n}") for n in range(LEARNERS)]
    for user in users:
        enrol(learner=user, course=course)
    base = live_server.url

    def walk(username: str) -> list[int]:
        session = signed_in_session(base, username)
        token = session.cookies["csrftoken"]
        statuses = []
        for step in steps:
            # Two tabs submit the same step: one completion, no error.
            for _tab in range(2):
                response = session.post(
                    f"{base}/learn/steps/{step.id}/complete/",
                    data={"csrfmiddlewaretoken": token},
                    headers={"Referer": base + step.url},
                    allow_redirects=False,
                    timeout=60,
                )
                statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=LEARNERS) as pool:
        results = list(pool.map(walk, [u.username for u in users]))

    assert all(status == 302 for statuses in results for status in statuses), results
    assert StepCompletion.objects.count() == LEARNERS * len(steps)
    assert Enrolment.objects.filter(completed_at__isnull=False).count() == LEARNERS
