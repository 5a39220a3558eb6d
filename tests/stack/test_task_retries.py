"""A failed background task is tried again after a pause, then listed for operators."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from courses.models import Cohort, CoursePage
from courses.services import enrol, post_announcement
from tests.certificates.issuing import certified, make_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

RENDER_TASK = "certificates.tasks.render_certificate_pdf_task"
EMAIL_TASK = "courses.tasks.email_announcement_to_learner_task"
BACKGROUND_TASKS = "/admin/background-tasks/"


def run_worker():
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )


def pause_passes():
    """Every task waiting to be tried again is due now, as if its pause were over."""
    due = timezone.now() - timedelta(seconds=1)
    DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, run_after__lt=timezone.now() + timedelta(days=1)
    ).update(run_after=due)


def pdf_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path=RENDER_TASK)


def tries(result: DBTaskResult) -> int:
    return len(result.worker_ids)


@pytest.fixture
def broken_pdf(monkeypatch):
    """Rendering fails the given number of times, then works again."""
    from certificates import services

    render = services.render_certificate_file

    def break_for(failures: int, message: str = "fonts missing"):
        left = {"failures": failures}

        def flaky(**kwargs):
            if left["failures"]:
                left["failures"] -= 1
                raise RuntimeError(message)
            return render(**kwargs)

        monkeypatch.setattr(services, "render_certificate_file", flaky)

    return break_for


@pytest.fixture
def operator():
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(soup.get_text(" ").split())


def try_again_links(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        a["href"] for a in soup.find_all("a", href=True) if "/try-again/" in a["href"]
    ]


def admin_user_with(*codenames: str):
    user = UserFactory(username="night-shift", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=codenames),
    )
    return user


def refused(response) -> bool:
    """Wagtail answers a missing permission with 403, or back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == "/admin/"
    )


def test_a_failed_pdf_is_tried_again_after_a_pause_and_then_made(
    course_index, queued_tasks, broken_pdf
):
    broken_pdf(failures=1)
    certificate = certified(make_course(course_index))

    before = timezone.now()
    run_worker()

    waiting = pdf_task()
    assert waiting.status == TaskResultStatus.READY
    assert tries(waiting) == 1
    assert "fonts missing" in waiting.traceback
    assert before + timedelta(seconds=59) <= waiting.run_after
    assert waiting.run_after <= timezone.now() + timedelta(seconds=61)

    run_worker()  # within the pause: the worker leaves it alone
    assert pdf_task().status == TaskResultStatus.READY
    assert tries(pdf_task()) == 1

    pause_passes()
    run_worker()

    done = pdf_task()
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert tries(done) == 2
    assert done.traceback == ""
    assert Certificate.objects.get(pk=certificate.pk).pdf_rendered_at is not None


def test_the_pauses_grow_and_after_the_last_try_the_task_is_failed_for_good(
    course_index, queued_tasks, broken_pdf
):
    broken_pdf(failures=10)
    certified(make_course(course_index))

    pauses = []
    for _ in range(3):
        run_worker()
        waiting = pdf_task()
        assert waiting.status == TaskResultStatus.READY
        pauses.append(waiting.run_after - waiting.finished_at)
        pause_passes()
    run_worker()

    assert [round(pause.total_seconds() / 60) for pause in pauses] == [1, 5, 25]
    failed = pdf_task()
    assert failed.status == TaskResultStatus.FAILED
    assert tries(failed) == 4
    pause_passes()
    run_worker()
    assert tries(pdf_task()) == 4  # no fifth try by itself


def test_a_task_out_of_tries_is_listed_for_operators_with_its_error(
    settings, course_index, queued_tasks, broken_pdf, operator
):
    settings.TASK_RETRY_DELAYS = [0, 0]  # every try at once
    broken_pdf(failures=10, message="fonts missing for heron@example.org")
    certified(make_course(course_index))
    run_worker()
    assert tries(pdf_task()) == 3

    client = client_for(operator)
    listing = text(client.get(BACKGROUND_TASKS))

    assert "Make a certificate's PDF" in listing
    assert "RuntimeError: fonts missing for [e-mail]" in listing
    assert "Failed 1" in listing  # the count above the list
    assert "heron@example.org" not in listing
    assert try_again_links(client.get(BACKGROUND_TASKS)) == [
        f"{BACKGROUND_TASKS}{pdf_task().pk}/try-again/"
    ]

    error = text(client.get(f"{BACKGROUND_TASKS}{pdf_task().pk}/"))
    assert "Traceback (most recent call last)" in error
    assert "render_certificate_pdf_task" in error
    assert "heron@example.org" not in error


def test_only_operators_see_background_tasks_and_only_some_may_try_again(
    settings, course_index, queued_tasks, broken_pdf, trainer
):
    settings.TASK_RETRY_DELAYS = []
    broken_pdf(failures=1)
    certified(make_course(course_index))
    run_worker()
    try_again = f"{BACKGROUND_TASKS}{pdf_task().pk}/try-again/"

    trainers = client_for(trainer)
    assert refused(trainers.get(BACKGROUND_TASKS))
    assert refused(trainers.get(f"{BACKGROUND_TASKS}{pdf_task().pk}/"))
    assert refused(trainers.post(try_again))
    assert "Background tasks" not in trainers.get("/admin/").content.decode()

    watcher = client_for(admin_user_with("view_dbtaskresult"))
    listing = watcher.get(BACKGROUND_TASKS)
    assert "Make a certificate's PDF" in text(listing)
    assert try_again_links(listing) == []
    assert try_again_links(watcher.get(f"{BACKGROUND_TASKS}{pdf_task().pk}/")) == []
    assert refused(watcher.post(try_again))
    assert pdf_task().status == TaskResultStatus.FAILED


def test_try_again_queues_a_failed_task_once_and_the_worker_makes_it(
    settings, course_index, queued_tasks, broken_pdf
):
    settings.TASK_RETRY_DELAYS = []
    broken_pdf(failures=1)
    certificate = certified(make_course(course_index))
    run_worker()
    assert pdf_task().status == TaskResultStatus.FAILED
    operator = admin_user_with("view_dbtaskresult", "change_dbtaskresult")
    client = client_for(operator, enforce_csrf_checks=True)
    try_again = f"{BACKGROUND_TASKS}{pdf_task().pk}/try-again/"

    form = BeautifulSoup(client.get(try_again).content, "html.parser").find(
        "form", method="post"
    )
    token = form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert client.post(try_again).status_code == 403  # no CSRF token, no action
    first = client.post(try_again, {"csrfmiddlewaretoken": token}, follow=True)
    second = client.post(try_again, {"csrfmiddlewaretoken": token}, follow=True)

    assert "is queued again" in text(first)
    assert "already queued again" in text(second)
    queued = pdf_task()
    assert queued.status == TaskResultStatus.READY
    assert tries(queued) == 1
    assert DBTaskResult.objects.filter(task_path=RENDER_TASK).count() == 1

    run_worker()

    assert pdf_task().status == TaskResultStatus.SUCCESSFUL
    assert tries(pdf_task()) == 2
    assert Certificate.objects.get(pk=certificate.pk).pdf_rendered_at is not None
    assert "Make a certificate's PDF" not in text(client.get(BACKGROUND_TASKS))


def test_an_announcement_email_that_failed_is_sent_again_to_that_learner_only(
    course_index, queued_tasks, trainer, monkeypatch
):
    course = make_course(course_index)
    course.enrolment_policy = CoursePage.Enrolment.COHORT
    course.save_revision().publish()
    cohort = Cohort.objects.create(
        course=CoursePage.objects.get(pk=course.pk), name="Spring", join_code="LISTEN24"
    )
    for name in ("sparrow", "heron"):
        learner = UserFactory(username=name, email=f"{name}@example.org")
        learner.wants_email_updates = True
        learner.save()
        enrol(learner=learner, course=cohort.course, join_code="LISTEN24")

    send = EmailBackend.send_messages
    refusals = {"heron@example.org": 1}

    def flaky_server(self, messages):
        for message in messages:
            if refusals.get(message.to[0]):
                refusals[message.to[0]] -= 1
                raise SMTPServerDisconnected("Connection unexpectedly closed")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky_server)

    post_announcement(cohort=cohort, text="Call on Thursday.", author=trainer)
    run_worker()

    assert [m.to for m in mail.outbox] == [["sparrow@example.org"]]
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.task_path == EMAIL_TASK

    pause_passes()
    run_worker()

    assert sorted(m.to[0] for m in mail.outbox) == [
        "heron@example.org",
        "sparrow@example.org",
    ]
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL)
    for task in DBTaskResult.objects.filter(task_path__startswith="courses."):
        assert all(isinstance(arg, int) for arg in task.args_kwargs["args"])


def test_a_task_whose_worker_died_is_listed_as_stalled_and_can_be_tried_again(
    course_index, queued_tasks
):
    certificate = certified(make_course(course_index))
    # A worker took it two hours ago and was killed before it finished.
    DBTaskResult.objects.filter(task_path=RENDER_TASK).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
        worker_ids=["killed-worker"],
    )
    client = client_for(admin_user_with("view_dbtaskresult", "change_dbtaskresult"))

    listed = client.get(BACKGROUND_TASKS)
    assert "its worker may have stopped" in text(listed)
    assert "Stalled 1" in text(listed)
    [try_again] = try_again_links(listed)
    client.post(try_again)

    run_worker()

    assert pdf_task().status == TaskResultStatus.SUCCESSFUL
    assert Certificate.objects.get(pk=certificate.pk).pdf_rendered_at is not None


def test_a_task_running_for_a_short_while_is_left_to_its_worker(
    course_index, queued_tasks
):
    certified(make_course(course_index))
    DBTaskResult.objects.filter(task_path=RENDER_TASK).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=2),
        worker_ids=["busy-worker"],
    )
    client = client_for(admin_user_with("view_dbtaskresult", "change_dbtaskresult"))

    assert try_again_links(client.get(BACKGROUND_TASKS)) == []
    assert (
        client.post(f"{BACKGROUND_TASKS}{pdf_task().pk}/try-again/").status_code == 302
    )
    assert pdf_task().status == TaskResultStatus.RUNNING
