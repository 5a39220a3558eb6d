"""What the servers recorded after the learners' run, checked from the outside in.

Each check returns the problems it found, in words, so that one failed run
shows everything that went wrong at once: answers, completions, attempts,
certificates, their PDFs, who rendered them, and whether every web server
can verify every certificate.
"""

import time
from collections import Counter, defaultdict

import requests
from botocore.exceptions import ClientError
from django.contrib.auth import get_user_model
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from certificates.tasks import render_certificate_pdf_task
from courses.models import Enrolment, StepCompletion
from quizzes.models import QuizAttempt

from .learners import (
    QUIZ_FAILED,
    QUIZ_PASSED,
    VERIFIER_ADDRESSES,
    CoursePlan,
    LearnerRun,
    client_address,
)
from .shapes import Site, s3_client

# How long the worker may take to render every PDF after the last learner.
PDF_WAIT_SECONDS = 120


def problems_after(*, run: LearnerRun, plan: CoursePlan, site: Site) -> list[str]:
    """Everything that is not as the learners' requests say it should be."""
    learners = get_user_model().objects.filter(username__in=run.usernames)
    problems = answer_problems(run)
    if learners.count() != run.learners:
        problems.append(f"{learners.count()} of {run.learners} accounts exist")
    problems += completion_problems(run, plan, learners)
    problems += attempt_problems(run, plan, learners)
    certificates = list(Certificate.objects.filter(learner__in=learners))
    problems += certificate_problems(run, certificates)
    certificates = wait_for_pdfs(certificates)
    problems += pdf_problems(site, certificates)
    if site.worker_id is not None:
        problems += worker_problems(site, certificates)
    if site.balancer_log is not None:
        problems += balancing_problems(run, site)
    problems += verification_problems(site, certificates)
    return problems


def answer_problems(run: LearnerRun) -> list[str]:
    """Server errors, and learners who met an answer they should not have."""
    problems = list(run.failures)
    errors = [s for s in run.samples if s.status >= 500]
    if errors:
        shown = ", ".join(f"{s.status} on {s.path}" for s in errors[:10])
        problems.append(f"{len(errors)} server errors (5xx): {shown}")
    return problems


def completion_problems(run: LearnerRun, plan: CoursePlan, learners) -> list[str]:
    """Every step done by every learner is one row; every course complete once."""
    problems = []
    step_ids = {step.id for step in plan.steps}
    rows = StepCompletion.objects.filter(learner__in=learners)
    expected = run.learners * len(step_ids)
    pairs = Counter(rows.values_list("learner_id", "step_id"))
    if rows.count() != expected or len(pairs) != expected:
        problems.append(
            f"{rows.count()} step completions recorded ({len(pairs)} distinct), "
            f"{expected} sent"
        )
    strays = {step for _learner, step in pairs} - step_ids
    if strays:
        problems.append(f"completions of steps outside the course: {sorted(strays)}")
    finished = Enrolment.objects.filter(
        learner__in=learners, course_id=plan.id, completed_at__isnull=False
    ).count()
    if finished != run.learners:
        problems.append(f"{finished} of {run.learners} enrolments are complete")
    return problems


def attempt_problems(run: LearnerRun, plan: CoursePlan, learners) -> list[str]:
    """Every attempt sent is one graded attempt: not passed first, passed second."""
    problems = []
    sent = len(run.of_kind(QUIZ_FAILED, QUIZ_PASSED))
    attempts = QuizAttempt.objects.filter(learner__in=learners)
    if attempts.count() != sent:
        problems.append(f"{attempts.count()} quiz attempts recorded, {sent} sent")
    if attempts.filter(submitted_at__isnull=True).exists():
        problems.append("some quiz attempts were started but never graded")
    outcomes: dict[tuple[int, int], list[bool]] = {}
    for learner_id, quiz_id, passed in attempts.order_by("submitted_at").values_list(
        "learner_id", "quiz_id", "passed"
    ):
        outcomes.setdefault((learner_id, quiz_id), []).append(passed)
    wrong = [key for key, seen in outcomes.items() if seen != [False, True]]
    if wrong or len(outcomes) != run.learners * len(plan.quizzes):
        problems.append(
            f"{len(wrong)} learner-quiz pairs are not 'not yet, then passed'; "
            f"{len(outcomes)} pairs of {run.learners * len(plan.quizzes)}"
        )
    return problems


def certificate_problems(run: LearnerRun, certificates) -> list[str]:
    """Exactly one current certificate per learner."""
    per_learner = Counter(c.learner_id for c in certificates)
    problems = []
    if len(per_learner) != run.learners or set(per_learner.values()) != {1}:
        problems.append(
            f"{len(certificates)} certificates for {len(per_learner)} learners; "
            f"expected exactly one each for {run.learners}"
        )
    if any(c.status != Certificate.Status.VALID for c in certificates):
        problems.append("some certificates are not valid")
    return problems


def wait_for_pdfs(certificates, *, timeout: float = PDF_WAIT_SECONDS) -> list:
    """The certificates again once every PDF is rendered, or when time is up."""
    ids = [c.pk for c in certificates]
    deadline = time.monotonic() + timeout
    while True:
        fresh = list(Certificate.objects.filter(pk__in=ids).order_by("pk"))
        if all(c.pdf_rendered_at for c in fresh) or time.monotonic() > deadline:
            return fresh
        time.sleep(0.5)


def pdf_problems(site: Site, certificates) -> list[str]:
    """Each certificate's PDF is in the shape's private storage, and is a PDF."""
    missing = [c for c in certificates if not c.pdf_rendered_at or not c.pdf]
    if missing:
        return [f"{len(missing)} certificates have no PDF after {PDF_WAIT_SECONDS} s"]
    not_pdf = [c.pk for c in certificates if not _stored_pdf(site, c.pdf.name)]
    if not_pdf:
        return [f"{len(not_pdf)} PDFs are missing from storage or are not PDFs"]
    return []


def _stored_pdf(site: Site, name: str) -> bool:
    if site.private_bucket is not None:
        try:
            stored = s3_client().get_object(Bucket=site.private_bucket, Key=name)
        except ClientError:
            return False
        return stored["Body"].read(5) == b"%PDF-"
    path = site.private_root / name
    return path.is_file() and path.read_bytes()[:5] == b"%PDF-"


def worker_problems(site: Site, certificates) -> list[str]:
    """Each PDF was rendered by the task worker, not by a web process.

    The worker writes its id into each task result it claims, and the PDF's
    rendering time falls inside the run of the task that made it.
    """
    runs = defaultdict(list)
    for result in DBTaskResult.objects.filter(
        task_path=render_certificate_pdf_task.module_path
    ):
        runs[result.args_kwargs["args"][0]].append(result)
    problems = []
    for certificate in certificates:
        if not any(
            _rendered_by(result, certificate, site.worker_id)
            for result in runs[certificate.pk]
        ):
            problems.append(
                f"certificate {certificate.pk}: PDF not rendered by the worker "
                f"(tasks: {[(r.status, r.worker_ids) for r in runs[certificate.pk]]})"
            )
    return problems


def _rendered_by(result: DBTaskResult, certificate, worker_id: str) -> bool:
    return (
        result.status == TaskResultStatus.SUCCESSFUL
        and set(result.worker_ids) == {worker_id}
        and result.started_at <= certificate.pdf_rendered_at <= result.finished_at
    )


def balancing_problems(run: LearnerRun, site: Site) -> list[str]:
    """The balancer shared the learners' requests between every web server."""
    served = Counter(
        line.rsplit(" ", 1)[-1] for line in site.balancer_log.read_text().splitlines()
    )
    fair_share = len(run.samples) / len(site.server_urls)
    problems = []
    for url in site.server_urls:
        address = url.removeprefix("http://")
        if served[address] < fair_share / 2:
            problems.append(
                f"{address} served {served[address]} requests, "
                f"under half its share of {len(run.samples)}"
            )
    return problems


def verification_problems(site: Site, certificates) -> list[str]:
    """Every certificate checks out as valid on every web server, page and API.

    Each certificate is checked from its own address, as different
    organisations would, so the checks stay within the per-address limits.
    """
    problems = []
    for n, certificate in enumerate(certificates):
        headers = {
            "X-Real-IP": client_address(VERIFIER_ADDRESSES, n),
            # Direct to a gunicorn, as the balancer in front would say it.
            "X-Forwarded-Proto": "https",
        }
        for server in site.server_urls:
            page = _get(f"{server}/verify/{certificate.display_code}/", site, headers)
            api = _get(
                f"{server}/api/v1/certificates/{certificate.display_code}",
                site,
                headers,
            )
            if (
                page.status_code != 200
                or 'data-status="valid"' not in page.text
                or api.status_code != 200
                or api.json().get("status") != "valid"
            ):
                problems.append(
                    f"certificate {certificate.pk} does not verify on {server}: "
                    f"page {page.status_code}, API {api.status_code}"
                )
    return problems


def _get(url: str, site: Site, headers: dict) -> requests.Response:
    return requests.get(
        url,
        headers=headers,
        verify=str(site.tls.certificate),
        allow_redirects=False,
        timeout=30,
    )
