"""Everything Circles holds about one learner, as plain tables.

``learner_data(learner)`` returns a ``LearnerData``: one list of rows per
table, each row a dict with the keys below. The "Your data" page shows it,
and the download writes it as ``data.json`` (every table under its name) and
one CSV file per table. Of another learner, only two things are here: the
circle name of someone you practised with, and the feedback they wrote for you.

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

Practice circles: only what you wrote, gave or were given there. Other
members appear by their circle name only, and their posts are not here.

``circle_memberships``
    course, cohort, circle_name, joined_at, removed_at (when a trainer took
    you out of the circle), wants_email (a short note when there is
    something new)
``circle_posts``
    post (its id number), cohort, text, content_note, prompt (the
    reflection prompt it answers), lesson, status (waiting: for a trainer;
    published: shared; hidden: by a trainer), created_at, edited_at,
    published_at, trainer_note (a trainer's private note to you when hiding it)
``circle_replies``
    reply (its id number), cohort, post (the id of the post it answers),
    text, status, created_at, edited_at, published_at, trainer_note
``circle_acknowledgements``
    cohort, post (the id of the post), kind (hear_you: "I hear you";
    helped: "This helped me"; me_too: "Me too"), given_at
``circle_reports``
    cohort, post or reply (the id of what you reported), reason (unkind,
    unsafe, private, other), details, reported_at, looked_at (when a trainer
    dealt with it)
``practice_pairs``
    pair (its id number), cohort, other_member (their circle name),
    scenario, scenario_step (the lesson or quiz it comes from), made_at,
    you_share_with_trainers (your yes to trainers reading the pair's
    feedback; they read it only when both of you said yes)
``practice_feedback``
    pair, direction (given: by you; received: for you), other_member (their
    circle name), what_helped, one_thing_to_try, written_at, changed_at
``private_reflections``
    course, lesson, block_id (the prompt within the lesson), text,
    written_at, changed_at (answers you kept for yourself: never shown to
    trainers)

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
from django.db.models import Count, Max, Q
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
from peers.models import (
    Acknowledgement,
    Member,
    Post,
    PracticeFeedback,
    PracticePair,
    PrivateReflection,
    Reply,
    Report,
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
    "circle_memberships",
    "circle_posts",
    "circle_replies",
    "circle_acknowledgements",
    "circle_reports",
    "practice_pairs",
    "practice_feedback",
    "private_reflections",
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
    "circle_memberships": (
        "course",
        "cohort",
        "circle_name",
        "joined_at",
        "removed_at",
        "wants_email",
    ),
    "circle_posts": (
        "post",
        "cohort",
        "text",
        "content_note",
        "prompt",
        "lesson",
        "status",
        "created_at",
        "edited_at",
        "published_at",
        "trainer_note",
    ),
    "circle_replies": (
        "reply",
        "cohort",
        "post",
        "text",
        "status",
        "created_at",
        "edited_at",
        "published_at",
        "trainer_note",
    ),
    "circle_acknowledgements": ("cohort", "post", "kind", "given_at"),
    "circle_reports": (
        "cohort",
        "post",
        "reply",
        "reason",
        "details",
        "reported_at",
        "looked_at",
    ),
    "practice_pairs": (
        "pair",
        "cohort",
        "other_member",
        "scenario",
        "scenario_step",
        "made_at",
        "you_share_with_trainers",
    ),
    "practice_feedback": (
        "pair",
        "direction",
        "other_member",
        "what_helped",
        "one_thing_to_try",
        "written_at",
        "changed_at",
    ),
    "private_reflections": (
        "course",
        "lesson",
        "block_id",
        "text",
        "written_at",
        "changed_at",
    ),
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
        + Post.objects.filter(author__learner=learner).count()
        + Reply.objects.filter(author__learner=learner).count()
        + PrivateReflection.objects.filter(learner=learner).count()
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
        **_circles(learner),
        "private_reflections": _private_reflections(learner, courses),
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


def _circles(learner) -> dict[str, list[dict]]:
    """The learner's practice circle tables: one query per table."""
    memberships = (
        Member.objects.filter(learner=learner)
        .select_related("circle__cohort__course")
        .order_by("joined_at", "pk")
    )
    posts = (
        Post.objects.filter(author__learner=learner)
        .select_related("circle__cohort", "lesson")
        .order_by("created_at", "pk")
    )
    replies = (
        Reply.objects.filter(author__learner=learner)
        .select_related("author__circle__cohort")
        .order_by("created_at", "pk")
    )
    acknowledgements = (
        Acknowledgement.objects.filter(member__learner=learner)
        .select_related("member__circle__cohort")
        .order_by("created_at", "pk")
    )
    reports = (
        Report.objects.filter(reporter__learner=learner)
        .select_related("reporter__circle__cohort")
        .order_by("created_at", "pk")
    )
    pairs, feedback = _practice(learner)
    return {
        "circle_memberships": [
            {
                "course": m.circle.cohort.course.title,
                "cohort": m.circle.cohort.name,
                "circle_name": m.circle_name,
                "joined_at": m.joined_at,
                "removed_at": m.removed_at,
                "wants_email": m.wants_email,
            }
            for m in memberships
        ],
        "circle_posts": [
            {
                "post": p.pk,
                "cohort": p.circle.cohort.name,
                "text": p.text,
                "content_note": p.content_note,
                "prompt": p.prompt,
                "lesson": p.lesson.title if p.lesson else "",
                "status": p.status,
                "created_at": p.created_at,
                "edited_at": p.edited_at,
                "published_at": p.published_at,
                "trainer_note": p.hidden_note,
            }
            for p in posts
        ],
        "circle_replies": [
            {
                "reply": r.pk,
                "cohort": r.author.circle.cohort.name,
                "post": r.post_id,
                "text": r.text,
                "status": r.status,
                "created_at": r.created_at,
                "edited_at": r.edited_at,
                "published_at": r.published_at,
                "trainer_note": r.hidden_note,
            }
            for r in replies
        ],
        "circle_acknowledgements": [
            {
                "cohort": a.member.circle.cohort.name,
                "post": a.post_id,
                "kind": a.kind,
                "given_at": a.created_at,
            }
            for a in acknowledgements
        ],
        "circle_reports": [
            {
                "cohort": r.reporter.circle.cohort.name,
                "post": r.post_id,
                "reply": r.reply_id,
                "reason": r.reason,
                "details": r.details,
                "reported_at": r.created_at,
                "looked_at": r.resolved_at,
            }
            for r in reports
        ],
        "practice_pairs": pairs,
        "practice_feedback": feedback,
    }


def _practice(learner) -> tuple[list, list]:
    """The learner's pairs, and the feedback they gave and were given in them."""
    pairs = list(
        PracticePair.objects.filter(
            Q(first__learner=learner) | Q(second__learner=learner)
        )
        .select_related("first", "second", "circle__cohort", "scenario_page")
        .order_by("created_at", "pk")
    )
    pair_rows, others = [], {}
    for pair in pairs:
        mine_first = pair.first.learner_id == learner.pk
        other = pair.second if mine_first else pair.first
        others[pair.pk] = other.circle_name
        pair_rows.append(
            {
                "pair": pair.pk,
                "cohort": pair.circle.cohort.name,
                "other_member": other.circle_name,
                "scenario": pair.scenario,
                "scenario_step": pair.scenario_page.title if pair.scenario_page else "",
                "made_at": pair.created_at,
                "you_share_with_trainers": (
                    pair.first_shares_with_trainers
                    if mine_first
                    else pair.second_shares_with_trainers
                ),
            }
        )
    feedback = (
        PracticeFeedback.objects.filter(pair__in=pairs)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    feedback_rows = [
        {
            "pair": f.pair_id,
            "direction": "given" if f.author.learner_id == learner.pk else "received",
            "other_member": others[f.pair_id],
            "what_helped": f.what_helped,
            "one_thing_to_try": f.one_thing_to_try,
            "written_at": f.created_at,
            "changed_at": f.updated_at,
        }
        for f in feedback
    ]
    return pair_rows, feedback_rows


def _private_reflections(learner, courses: "_CourseFinder") -> list[dict]:
    reflections = (
        PrivateReflection.objects.filter(learner=learner)
        .select_related("lesson")
        .order_by("created_at", "pk")
    )
    return [
        {
            "course": courses.title_for(r.lesson),
            "lesson": r.lesson.title,
            "block_id": r.block_id,
            "text": r.text,
            "written_at": r.created_at,
            "changed_at": r.updated_at,
        }
        for r in reflections
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
