"""Reads about cohorts that views share: members with progress, announcements, dates.

Every function here costs a fixed number of queries however many learners,
announcements or dates there are. Parsing of pasted or uploaded usernames
is pure and needs no database.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import (
    Cohort,
    CohortAnnouncement,
    CohortSuggestedDate,
    Enrolment,
    StepCompletion,
)
from .outline import course_outline
from .selectors import LearnerProgressRow, Progress

# Commas, semicolons and any white space (spaces, tabs, new lines).
_USERNAME_SEPARATORS = re.compile(r"[,;\s]+")


def parse_usernames(text: str) -> list[str]:
    """The usernames in pasted text, in order, each once (ignoring case)."""
    return _unique(_USERNAME_SEPARATORS.split(text or ""))


def usernames_from_csv(data: bytes) -> list[str]:
    """The usernames in a CSV file: its "username" column, or else every cell.

    Raises UnicodeDecodeError when the file is not text.
    """
    text = data.decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
    if not rows:
        return []
    header = [cell.strip().casefold() for cell in rows[0]]
    if "username" in header:
        column = header.index("username")
        cells = [row[column] for row in rows[1:] if len(row) > column]
    else:
        cells = [cell for row in rows for cell in row]
    return _unique(cell.strip() for cell in cells)


def _unique(names) -> list[str]:
    seen = set()
    unique = []
    for name in names:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            unique.append(name)
    return unique


@dataclass(frozen=True)
class CohortLearner:
    learner_id: int
    username: str
    joined_at: datetime
    completed_at: datetime | None
    progress: Progress

    @property
    def progress_row(self) -> LearnerProgressRow:
        """The same words as the reports: a finished learner reads 100%."""
        return LearnerProgressRow(
            username=self.username,
            cohort="",
            enrolled_at=self.joined_at,
            completed_at=self.completed_at,
            done=self.progress.done,
            total=self.progress.total,
        )


def cohort_learners(cohort: Cohort) -> list[CohortLearner]:
    """The cohort's learners by username, with progress: two queries, outline cached."""
    outline = course_outline(cohort.course)
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("learner")
        .order_by("learner__username")
    )
    completed: dict[int, set[int]] = {e.learner_id: set() for e in enrolments}
    if enrolments and outline.required_step_ids:
        for learner_id, step_id in StepCompletion.objects.filter(
            learner_id__in=completed, step_id__in=outline.required_step_ids
        ).values_list("learner_id", "step_id"):
            completed[learner_id].add(step_id)
    return [
        CohortLearner(
            learner_id=e.learner_id,
            username=e.learner.get_username(),
            joined_at=e.enrolled_at,
            completed_at=e.completed_at,
            progress=Progress(
                outline=outline, completed_ids=frozenset(completed[e.learner_id])
            ),
        )
        for e in enrolments
    ]


def announcement_recipients(cohort: Cohort) -> QuerySet:
    """Members who gave an e-mail address and asked to be told of announcements."""
    return (
        get_user_model()
        .objects.filter(
            enrolments__cohort=cohort,
            is_active=True,
            wants_email_updates=True,
        )
        .exclude(email="")
        .distinct()
    )


def open_announcements(*, learner) -> list[CohortAnnouncement]:
    """Announcements to the learner's cohorts not yet dismissed: one query."""
    if not learner.is_authenticated:
        return []
    return list(
        CohortAnnouncement.objects.filter(
            cohort__enrolments__learner=learner, cohort__course__live=True
        )
        .exclude(dismissals__learner=learner)
        .select_related("cohort__course")
        .order_by("-created_at", "-pk")
    )


def announcement_for_learner(*, learner, announcement_id: int):
    """The announcement if it was sent to one of the learner's cohorts, else None."""
    return CohortAnnouncement.objects.filter(
        pk=announcement_id, cohort__enrolments__learner=learner
    ).first()


@dataclass(frozen=True)
class SuggestedTarget:
    """A gentle target: the module, the date to aim for, and whether it is done."""

    module_title: str
    module_url: str
    finish_by: date
    done: bool


def suggested_dates_by_cohort(cohort_ids) -> dict[int, list[CohortSuggestedDate]]:
    """Each cohort's suggested dates in date order: one query for all of them."""
    cohort_ids = [pk for pk in set(cohort_ids) if pk]
    by_cohort: dict[int, list[CohortSuggestedDate]] = {pk: [] for pk in cohort_ids}
    if cohort_ids:
        for suggested in CohortSuggestedDate.objects.filter(
            cohort_id__in=cohort_ids
        ).order_by("finish_by", "pk"):
            by_cohort[suggested.cohort_id].append(suggested)
    return by_cohort


def suggested_targets(suggested_dates, progress: Progress) -> list[SuggestedTarget]:
    """The dates as a learner sees them, for live modules only; no queries."""
    targets = []
    for suggested in suggested_dates:
        module = progress.outline.module(suggested.module_id)
        if module is None or not module.steps:
            continue
        targets.append(
            SuggestedTarget(
                module_title=module.title,
                module_url=module.url,
                finish_by=suggested.finish_by,
                done=progress.module_done(module) == len(module.steps),
            )
        )
    return targets
