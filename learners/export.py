"""Everything Circles holds about one learner, as plain tables.

``learner_data(learner)`` returns a ``LearnerData``: one list of rows per
table, each row a dict with the keys below. The "Your data" page shows it,
and the download writes it as ``data.json`` (every table under its name) and
one CSV file per table. Nothing here reads another learner's rows.

Tables and their keys (the documented keys of the download):

``account`` (one row)
    username, email, email_addresses, joined, last_sign_in, language,
    wants_email_updates, certificate_name, warned_of_erasure_at (when we
    e-mailed that an unused account would be erased)
``enrolments``
    course, cohort, enrolled_at, completed_at, last_step
``steps_done``
    course, step, completed_at, marked_by_trainer, trainer_reason
``steps_skipped``
    course, step, skipped_at
``quiz_attempts``
    attempt, quiz, course, started_at, submitted_at, score, passed,
    reset_at, reset_reason; in data.json also ``answers``
``quiz_answers``
    attempt, question_number, question, chosen (the text of each choice)
``certificates``
    code, printed_name, course, hours, status, completed_at, issued_at,
    expires_at, revoked_at, public_reason, replaced_at, times_checked,
    last_checked_at (every certificate, current and replaced)
``certificate_checks``
    code, checked_at, channel
``announcements_hidden``
    course, cohort, posted_at, hidden_at

Dates and times are ISO 8601 with their time zone.

The download is a ZIP named ``circles-data-<date>.zip`` holding
``data.json``, ``<table>.csv`` for each table and ``about.txt`` (this text).
A small history is built on request; a large one by a background task into
private storage, downloadable only by its owner.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.utils import timezone
from wagtail.models import Page
from wagtail.users.models import UserProfile

from certificates.models import Certificate, Verification
from circles.spreadsheets import guard_cell
from courses.models import (
    AnnouncementDismissal,
    CoursePage,
    Enrolment,
    StepCompletion,
    StepSkip,
)
from quizzes.models import QuizAttempt, QuizPage

from .models import DataExport

#: Every table, in the order the page and the download show them.
TABLES = (
    "account",
    "enrolments",
    "steps_done",
    "steps_skipped",
    "quiz_attempts",
    "quiz_answers",
    "certificates",
    "certificate_checks",
    "announcements_hidden",
)

#: The columns of each table's CSV file, in order.
COLUMNS = {
    "account": (
        "username",
        "email",
        "email_addresses",
        "joined",
        "last_sign_in",
        "language",
        "wants_email_updates",
        "certificate_name",
        "warned_of_erasure_at",
    ),
    "enrolments": ("course", "cohort", "enrolled_at", "completed_at", "last_step"),
    "steps_done": (
        "course",
        "step",
        "completed_at",
        "marked_by_trainer",
        "trainer_reason",
    ),
    "steps_skipped": ("course", "step", "skipped_at"),
    "quiz_attempts": (
        "attempt",
        "quiz",
        "course",
        "started_at",
        "submitted_at",
        "score",
        "passed",
        "reset_at",
        "reset_reason",
    ),
    "quiz_answers": ("attempt", "question_number", "question", "chosen"),
    "certificates": (
        "code",
        "printed_name",
        "course",
        "hours",
        "status",
        "completed_at",
        "issued_at",
        "expires_at",
        "revoked_at",
        "public_reason",
        "replaced_at",
        "times_checked",
        "last_checked_at",
    ),
    "certificate_checks": ("code", "checked_at", "channel"),
    "announcements_hidden": ("course", "cohort", "posted_at", "hidden_at"),
}


@dataclass(frozen=True)
class LearnerData:
    """One learner's rows, table by table (see the module docstring for keys)."""

    tables: dict[str, list[dict]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> list[dict]:
        return self.tables[name]

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def history_size(*, learner) -> int:
    """Roughly how many rows the learner's data has: a few counting queries."""
    return (
        Enrolment.objects.filter(learner=learner).count()
        + StepCompletion.objects.filter(learner=learner).count()
        + StepSkip.objects.filter(learner=learner).count()
        + QuizAttempt.objects.filter(learner=learner).count() * 10
        + Certificate.objects.filter(learner=learner).count()
        + Verification.objects.filter(certificate__learner=learner).count()
    )


def learner_data(*, learner) -> LearnerData:
    """Return everything held about the learner; one or two queries per table."""
    courses = _CourseFinder()
    attempts, answers = _quiz_attempts(learner, courses)
    certificates, checks = _certificates(learner)
    tables = {
        "account": [_account(learner)],
        "enrolments": _enrolments(learner),
        "steps_done": _steps_done(learner, courses),
        "steps_skipped": _steps_skipped(learner, courses),
        "quiz_attempts": attempts,
        "quiz_answers": answers,
        "certificates": certificates,
        "certificate_checks": checks,
        "announcements_hidden": _announcements_hidden(learner),
    }
    return LearnerData(tables=tables)


# --- Tables -----------------------------------------------------------------


def _account(learner) -> dict:
    profile = UserProfile.objects.filter(user=learner).first()
    return {
        "username": learner.get_username(),
        "email": learner.email,
        "email_addresses": sorted(
            EmailAddress.objects.filter(user=learner).values_list("email", flat=True)
        ),
        "joined": learner.date_joined,
        "last_sign_in": learner.last_login,
        "language": profile.preferred_language if profile else "",
        "wants_email_updates": learner.wants_email_updates,
        "certificate_name": learner.certificate_name,
        "warned_of_erasure_at": learner.inactivity_warned_at,
    }


def _enrolments(learner) -> list[dict]:
    enrolments = (
        Enrolment.objects.filter(learner=learner)
        .select_related("course", "cohort", "last_step")
        .order_by("enrolled_at", "pk")
    )
    return [
        {
            "course": e.course.title,
            "cohort": e.cohort.name if e.cohort else "",
            "enrolled_at": e.enrolled_at,
            "completed_at": e.completed_at,
            "last_step": e.last_step.title if e.last_step else "",
        }
        for e in enrolments
    ]


def _steps_done(learner, courses: "_CourseFinder") -> list[dict]:
    completions = list(
        StepCompletion.objects.filter(learner=learner)
        .select_related("step")
        .order_by("completed_at", "pk")
    )
    return [
        {
            "course": courses.title_for(c.step),
            "step": c.step.title,
            "completed_at": c.completed_at,
            "marked_by_trainer": c.marked_by_id is not None,
            "trainer_reason": c.reason,
        }
        for c in completions
    ]


def _steps_skipped(learner, courses: "_CourseFinder") -> list[dict]:
    skips = list(
        StepSkip.objects.filter(learner=learner)
        .select_related("step")
        .order_by("skipped_at", "pk")
    )
    return [
        {
            "course": courses.title_for(s.step),
            "step": s.step.title,
            "skipped_at": s.skipped_at,
        }
        for s in skips
    ]


def _quiz_attempts(learner, courses: "_CourseFinder") -> tuple[list, list]:
    attempts = list(
        QuizAttempt.objects.filter(learner=learner)
        .select_related("quiz", "revision")
        .order_by("started_at", "pk")
    )
    attempt_rows, answer_rows = [], []
    for number, attempt in enumerate(attempts, start=1):
        answered = _answers_as_text(attempt)
        attempt_rows.append(
            {
                "attempt": number,
                "quiz": attempt.quiz.title,
                "course": courses.title_for(attempt.quiz),
                "started_at": attempt.started_at,
                "submitted_at": attempt.submitted_at,
                "score": attempt.score,
                "passed": attempt.passed,
                "reset_at": attempt.reset_at,
                "reset_reason": attempt.reset_reason,
                "answers": answered,
            }
        )
        answer_rows.extend({"attempt": number, **row} for row in answered)
    return attempt_rows, answer_rows


def _answers_as_text(attempt: QuizAttempt) -> list[dict]:
    """The learner's answers as the words of the questions and the choices."""
    quiz: QuizPage = attempt.quiz_as_attempted()
    rows = []
    views = quiz.question_views(attempt.question_ids)
    for number, view in enumerate(views, start=1):
        chosen = set(attempt.answers.get(view["id"], []))
        rows.append(
            {
                "question_number": number,
                "question": view["text"],
                "chosen": [c["text"] for c in view["choices"] if c["id"] in chosen],
            }
        )
    return rows


def _certificates(learner) -> tuple[list, list]:
    certificates = list(
        Certificate.objects.filter(learner=learner)
        .annotate(
            times_checked=Count("verifications"),
            last_checked_at=Max("verifications__verified_at"),
        )
        .order_by("issued_at", "pk")
    )
    now = timezone.now()
    rows = [
        {
            "code": c.display_code,
            "printed_name": c.printed_name,
            "course": c.course_title,
            "hours": c.course_hours,
            "status": str(c.status_at(now).value),
            "completed_at": c.completed_at,
            "issued_at": c.issued_at,
            "expires_at": c.expires_at,
            "revoked_at": c.revoked_at,
            "public_reason": c.revocation_reason,
            "replaced_at": c.replaced_at,
            "times_checked": c.times_checked,
            "last_checked_at": c.last_checked_at,
        }
        for c in certificates
    ]
    codes = {c.pk: c.display_code for c in certificates}
    checks = [
        {"code": codes[certificate_id], "checked_at": when, "channel": channel}
        for certificate_id, when, channel in Verification.objects.filter(
            certificate__in=list(codes)
        )
        .order_by("verified_at", "pk")
        .values_list("certificate_id", "verified_at", "channel")
    ]
    return rows, checks


def _announcements_hidden(learner) -> list[dict]:
    dismissals = (
        AnnouncementDismissal.objects.filter(learner=learner)
        .select_related("announcement__cohort__course")
        .order_by("dismissed_at", "pk")
    )
    return [
        {
            "course": d.announcement.cohort.course.title,
            "cohort": d.announcement.cohort.name,
            "posted_at": d.announcement.created_at,
            "hidden_at": d.dismissed_at,
        }
        for d in dismissals
    ]


class _CourseFinder:
    """The course title above a page, from the tree paths: one query in all."""

    def __init__(self):
        self._titles: dict[str, str] | None = None

    def title_for(self, page: Page) -> str:
        if self._titles is None:
            self._titles = dict(CoursePage.objects.values_list("path", "title"))
        for length in range(Page.steplen, len(page.path), Page.steplen):
            title = self._titles.get(page.path[:length])
            if title is not None:
                return title
        return ""


def download_name(day: date | None = None) -> str:
    """The ZIP's file name: the site and the date, never the username."""
    day = day or timezone.localdate()
    return f"circles-data-{day.isoformat()}.zip"


def build_zip(data: LearnerData) -> bytes:
    """Return the download: data.json, one CSV per table, and about.txt."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(
                data.tables, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
            ),
        )
        for table in TABLES:
            archive.writestr(f"{table}.csv", _csv(table, data[table]))
        archive.writestr("about.txt", __doc__)
    return buffer.getvalue()


def _csv(table: str, rows: list[dict]) -> str:
    """One table as CSV; every cell through the one formula guard."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns = COLUMNS[table]
    writer.writerow([guard_cell(c) for c in columns])
    for row in rows:
        writer.writerow([guard_cell(as_plain(row.get(c))) for c in columns])
    return out.getvalue()


#: Histories up to this many rows are zipped on request; larger ones in the
#: background, so a long history never holds up a web worker.
DIRECT_DOWNLOAD_MAX_ROWS = 500


def is_large(*, learner) -> bool:
    return history_size(learner=learner) > DIRECT_DOWNLOAD_MAX_ROWS


def request_data_export(*, learner) -> DataExport:
    """Queue a download of the learner's data; an earlier one is replaced."""
    from .tasks import build_data_export_task

    discard_data_exports(learner=learner)
    export = DataExport.objects.create(learner=learner)
    build_data_export_task.enqueue(export.pk)
    return export


def build_data_export(*, export: DataExport) -> DataExport:
    """Build and store the ZIP for a queued download; safe to run twice.

    When the download was discarded meanwhile (a newer one, or the account
    erased), the file just written is deleted again, so none is left behind.
    """
    if export.file:
        return export
    content = build_zip(learner_data(learner=export.learner))
    export.file.save("data.zip", ContentFile(content), save=False)
    export.finished_at = timezone.now()
    stored = DataExport.objects.filter(pk=export.pk, file="").update(
        file=export.file.name, finished_at=export.finished_at
    )
    if not stored:
        export.file.delete(save=False)
    return export


def discard_data_exports(*, learner) -> int:
    """Delete the learner's stored downloads, files first; return how many."""
    exports = list(DataExport.objects.filter(learner=learner))
    for export in exports:
        if export.file:
            export.file.delete(save=False)
    DataExport.objects.filter(pk__in=[e.pk for e in exports]).delete()
    return len(exports)


def as_plain(value):
    """Return a value as CSV or JSON holds it: ISO dates, joined lists, plain text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value
