"""Learners with browsers, over real HTTP: sign up, enrol, study, take quizzes, finish.

Each learner is a thread with a cookie jar of its own (a `requests` session),
an address of its own (sent in X-Real-IP, which the one trusted hop in front
of Circles passes on, so limits count per learner as they would in the
field), and the pages a person reads before each form they send. Every
request is timed and kept as a `Sample`; a learner stops at the first answer
a person would not expect, and says which.

Nothing here touches the database: what the servers recorded is checked
afterwards, from the outside in (tests/load/checks.py).
"""

import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

# Each learner's password: long enough for the validators, never reused elsewhere.
PASSWORD = "a-long-and-quiet-load-test-password"
PRINTED_NAME_PATH = "/learn/certificates/name/"
REQUEST_TIMEOUT = 90

# Kinds of request, for the figures.
COMPLETE = "complete step"
COMPLETE_SECOND_TAB = "complete step, second tab"
QUIZ_FAILED = "submit quiz, not yet passed"
QUIZ_PASSED = "submit quiz, passed"
SIGN_UP = "sign up"


@dataclass(frozen=True)
class QuizPlan:
    """A quiz step and the answers a learner gives: wrong first, then right."""

    id: int
    wrong: dict[str, list[str]]
    right: dict[str, list[str]]


@dataclass(frozen=True)
class StepPlan:
    id: int
    url: str
    quiz: QuizPlan | None = None


@dataclass(frozen=True)
class CoursePlan:
    """What a learner needs to know about the course: its page and steps in order."""

    id: int
    url: str
    steps: tuple[StepPlan, ...]

    @property
    def quizzes(self) -> tuple[QuizPlan, ...]:
        return tuple(step.quiz for step in self.steps if step.quiz)


@dataclass(frozen=True)
class Sample:
    """One request: what it was for, the status that came back, how long it took."""

    kind: str
    path: str
    status: int
    seconds: float


# The first octets after 10. of the learners' addresses, and of the verifiers'.
LEARNER_ADDRESSES = 0
VERIFIER_ADDRESSES = 1


def client_address(block: int, number: int) -> str:
    """A distinct private address for each number: 10.<block>.0.1, 10.<block>.0.2…"""
    return f"10.{block}.{number // 250}.{number % 250 + 1}"


class UnexpectedAnswer(Exception):
    """A server answered as no learner should see; the message says where."""


@dataclass
class LearnerRun:
    """Everything the learners did: every request, who they were, what went wrong."""

    learners: int
    usernames: list[str] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def of_kind(self, *kinds: str) -> list[Sample]:
        return [sample for sample in self.samples if sample.kind in kinds]


class Learner:
    """One person at their own browser, taking the whole course."""

    def __init__(
        self,
        *,
        number: int,
        run_tag: str,
        base_url: str,
        plan: CoursePlan,
        tls_certificate: Path,
        record,
    ):
        self.number = number
        self.username = f"{run_tag}-{number:02d}"
        self.base_url = base_url
        self.plan = plan
        self.record = record
        # Given with each request: a session's own `verify` loses to
        # REQUESTS_CA_BUNDLE in the environment.
        self.tls_certificate = str(tls_certificate)
        self.session = requests.Session()
        self.session.headers["X-Real-IP"] = client_address(LEARNER_ADDRESSES, number)

    # --- the journey ---

    def take_the_course(self, *, two_tabs: bool) -> None:
        """Sign up, name the certificate, enrol, do every step, see the certificate."""
        self.sign_up()
        self.choose_printed_name()
        self.enrol()
        *steps, last = self.plan.steps
        for step in steps:
            self.do_step(step)
        if two_tabs and last.quiz is None:
            self.finish_in_two_tabs(last)
        else:
            self.do_step(last)
        # Finishing issued the certificate: the course page shows it, valid.
        self.get(self.plan.url, expect_text='data-status="valid"')

    def sign_up(self) -> None:
        self.get("/accounts/signup/", expect_text='name="password2"')
        self.post(
            SIGN_UP,
            "/accounts/signup/",
            {
                "username": self.username,
                "email": "",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    def choose_printed_name(self) -> None:
        """Choose the name for certificates first, so finishing issues one."""
        self.get(PRINTED_NAME_PATH, expect_text='name="printed_name"')
        self.post(
            "choose printed name",
            PRINTED_NAME_PATH,
            {"printed_name": f"Learner {self.number}"},
        )

    def enrol(self) -> None:
        action = f"{self.plan.url}enrol/"
        self.get(self.plan.url, expect_text=f'action="{action}"')
        response = self.post("enrol", action, {"join_code": ""}, referer=self.plan.url)
        self.get(response.headers["Location"])

    def do_step(self, step: StepPlan) -> None:
        if step.quiz is not None:
            self.take_quiz(step, step.quiz)
            return
        action = f"{step.url}complete/"
        self.get(step.url, expect_text=f'action="{action}"')
        self.post(COMPLETE, action, {}, referer=step.url)

    def take_quiz(self, step: StepPlan, quiz: QuizPlan) -> None:
        """Answer wrongly, read the feedback, retake the quiz and pass."""
        start = f"{step.url}start/"
        self.get(step.url, expect_text=f'action="{start}"')
        for answers, kind in ((quiz.wrong, QUIZ_FAILED), (quiz.right, QUIZ_PASSED)):
            self.post("start quiz", start, {}, referer=step.url)
            page = self.get(step.url)
            found = re.search(
                rf'action="({re.escape(step.url)}attempts/\d+/)"', page.text
            )
            if found is None:
                raise UnexpectedAnswer(f"{step.url}: no open attempt to answer")
            data = {"action": "submit"}
            data.update({f"q-{qid}": chosen for qid, chosen in answers.items()})
            response = self.post(kind, found.group(1), data, referer=step.url)
            self.get(response.headers["Location"])

    def finish_in_two_tabs(self, step: StepPlan) -> None:
        """Send the last step's completion from two tabs at the same moment."""
        action = f"{step.url}complete/"
        self.get(step.url, expect_text=f'action="{action}"')
        second_tab = requests.Session()
        second_tab.headers.update(self.session.headers)
        second_tab.cookies.update(self.session.cookies)
        together = threading.Barrier(2)

        def send(session: requests.Session, kind: str) -> None:
            together.wait()
            self.post(kind, action, {}, referer=step.url, session=session)

        with ThreadPoolExecutor(max_workers=2) as tabs:
            sent = [
                tabs.submit(send, self.session, COMPLETE),
                tabs.submit(send, second_tab, COMPLETE_SECOND_TAB),
            ]
            for tab in sent:
                tab.result()

    # --- HTTP, timed ---

    def get(self, path: str, *, expect_text: str = "") -> requests.Response:
        response = self._timed("read page", path, self.session.get, {})
        if response.status_code != 200:
            raise UnexpectedAnswer(f"GET {path}: {response.status_code}")
        if expect_text and expect_text not in response.text:
            raise UnexpectedAnswer(f"GET {path}: the page has no {expect_text}")
        return response

    def post(
        self,
        kind: str,
        path: str,
        data: dict,
        *,
        referer: str | None = None,
        session: requests.Session | None = None,
    ) -> requests.Response:
        """Send a form as a browser does (CSRF token, Referer); expect a redirect."""
        session = session or self.session
        form = {**data, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
        headers = {"Referer": self.base_url + (referer or path)}
        response = self._timed(
            kind, path, session.post, {"data": form, "headers": headers}
        )
        if response.status_code != 302:
            raise UnexpectedAnswer(f"POST {path} ({kind}): {response.status_code}")
        return response

    def _timed(self, kind, path, send, options) -> requests.Response:
        path = urlsplit(path).path
        started = time.perf_counter()
        response = send(
            self.base_url + path,
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
            verify=self.tls_certificate,
            **options,
        )
        self.record(
            Sample(kind, path, response.status_code, time.perf_counter() - started)
        )
        return response


def run_learners(
    *,
    base_url: str,
    plan: CoursePlan,
    tls_certificate: Path,
    learners: int,
    run_tag: str,
) -> LearnerRun:
    """Start every learner at the same moment; return once the last has finished.

    Every second learner finishes the last step in two tabs at once.
    """
    run = LearnerRun(learners=learners)
    lock = threading.Lock()

    def record(sample: Sample) -> None:
        with lock:
            run.samples.append(sample)

    people = [
        Learner(
            number=number,
            run_tag=run_tag,
            base_url=base_url,
            plan=plan,
            tls_certificate=tls_certificate,
            record=record,
        )
        for number in range(1, learners + 1)
    ]
    run.usernames = [person.username for person in people]
    start_together = threading.Barrier(learners)

    def journey(person: Learner) -> None:
        start_together.wait()
        try:
            person.take_the_course(two_tabs=person.number % 2 == 0)
        except (UnexpectedAnswer, requests.RequestException) as error:
            with lock:
                run.failures.append(f"learner {person.number}: {error}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=learners) as pool:
        list(pool.map(journey, people))
    run.seconds = time.perf_counter() - started
    return run


# --- figures --------------------------------------------------------------------


def figures(run: LearnerRun) -> dict[str, float]:
    """Throughput and latency of a run: completions per second and 95th percentiles.

    A completion is a step recorded as done: a lesson marked complete (the
    first of two tabs) or a quiz passed.
    """
    completions = len(run.of_kind(COMPLETE, QUIZ_PASSED))
    return {
        "learners": run.learners,
        "requests": len(run.samples),
        "seconds": run.seconds,
        "completions": completions,
        "completions_per_second": completions / run.seconds if run.seconds else 0.0,
        "requests_per_second": len(run.samples) / run.seconds if run.seconds else 0.0,
        "p50_all": _percentile(run.samples, 50),
        "p95_all": _percentile(run.samples, 95),
        "p95_completion": _percentile(
            run.of_kind(COMPLETE, COMPLETE_SECOND_TAB, QUIZ_FAILED, QUIZ_PASSED), 95
        ),
        "p95_sign_up": _percentile(run.of_kind(SIGN_UP), 95),
    }


def _percentile(samples: list[Sample], percent: int) -> float:
    """The latency below which `percent`% of the samples fall (seconds)."""
    if len(samples) < 2:
        return samples[0].seconds if samples else 0.0
    cuts = statistics.quantiles([s.seconds for s in samples], n=100, method="inclusive")
    return cuts[percent - 1]
