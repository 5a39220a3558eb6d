"""Reads that views share: a learner's progress, computed from a few indexed queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, ngettext
from wagtail.models import Page

from .locales import localized_all, original, original_id, originals
from .models import CoursePage, Enrolment, StepCompletion, StepSkip
from .outline import (
    Outline,
    StepEntry,
    course_outline,
    course_outlines,
)


def percent_of(done: int, total: int) -> int:
    """A whole percentage, halves rounded up, as `progress_rows` computes it in SQL."""
    return (200 * done + total) // (2 * total) if total else 0


@dataclass(frozen=True)
class Progress:
    """Arithmetic over an outline and the steps a learner has done; no queries."""

    outline: Outline
    completed_ids: frozenset[int]
    skipped_ids: frozenset[int] = frozenset()

    @property
    def total(self) -> int:
        return len(self.outline.steps)

    @property
    def done(self) -> int:
        return len(self.outline.required_step_ids & self.completed_ids)

    @property
    def percent(self) -> int:
        return percent_of(self.done, self.total)

    @property
    def is_complete(self) -> bool:
        return self.outline.required_step_ids <= self.completed_ids

    @property
    def minutes_left(self) -> int:
        return sum(
            s.minutes for s in self.outline.steps if s.id not in self.completed_ids
        )

    @property
    def next_step(self) -> StepEntry | None:
        """The first step neither done nor skipped; then the first skipped one."""
        open_steps = [s for s in self.outline.steps if s.id not in self.completed_ids]
        return next(
            (s for s in open_steps if s.id not in self.skipped_ids),
            open_steps[0] if open_steps else None,
        )

    def is_done(self, step_id: int) -> bool:
        return step_id in self.completed_ids

    def is_skipped(self, step_id: int) -> bool:
        return step_id in self.skipped_ids and step_id not in self.completed_ids

    def module_done(self, module) -> int:
        return sum(1 for s in module.steps if s.id in self.completed_ids)

    def module_percent(self, module) -> int:
        total = len(module.steps)
        return round(100 * self.module_done(module) / total) if total else 0


def course_for_page(page: Page) -> CoursePage | None:
    """The course a module or step belongs to, in one query."""
    return CoursePage.objects.ancestor_of(page, inclusive=True).first()


def is_live_step(page: Page) -> bool:
    """Whether learners can reach the step now: live, in a live module and course."""
    if not page.live:
        return False
    course = course_for_page(page)
    return (
        course is not None
        and course_outline(course).step(original_id(page)) is not None
    )


def completed_step_ids(*, learner, course: Page) -> frozenset[int]:
    """Every step of the course the learner has completed, in one query.

    In any language: completions are of the original course's steps.
    """
    return frozenset(
        StepCompletion.objects.filter(
            learner=learner, step__path__startswith=original(course).path
        ).values_list("step_id", flat=True)
    )


def skipped_step_ids(*, learner, course: Page) -> frozenset[int]:
    return frozenset(
        StepSkip.objects.filter(
            learner=learner, step__path__startswith=original(course).path
        ).values_list("step_id", flat=True)
    )


def learner_progress(*, learner, course: CoursePage) -> Progress:
    """The learner's progress in one course: two queries when the outline is cached."""
    outline = course_outline(course)
    if not learner.is_authenticated:
        return Progress(outline=outline, completed_ids=frozenset())
    return Progress(
        outline=outline,
        completed_ids=completed_step_ids(learner=learner, course=course),
        skipped_ids=skipped_step_ids(learner=learner, course=course),
    )


def enrolment_for(*, learner, course: Page) -> Enrolment | None:
    """The learner's enrolment in the course, whichever language it is read in."""
    if not learner.is_authenticated:
        return None
    return Enrolment.objects.filter(
        learner=learner, course_id=original_id(course)
    ).first()


@dataclass(frozen=True)
class DashboardRow:
    enrolment: Enrolment
    course: CoursePage
    progress: Progress


def dashboard_rows(*, learner) -> list[DashboardRow]:
    """Every course the learner enrolled in, with progress: three queries in all."""
    enrolments = list(
        Enrolment.objects.filter(learner=learner, course__live=True)
        .select_related("course", "last_step")
        .order_by("-enrolled_at")
    )
    # Each course as the learner reads it now; progress is the original's.
    courses = localized_all([e.course for e in enrolments])
    outlines = course_outlines(courses.values())
    completed = frozenset(
        StepCompletion.objects.filter(learner=learner).values_list("step_id", flat=True)
    )
    skipped = frozenset(
        StepSkip.objects.filter(learner=learner).values_list("step_id", flat=True)
    )
    return [
        DashboardRow(
            enrolment=e,
            course=courses[e.course_id],
            progress=Progress(
                outline=outlines[courses[e.course_id].pk],
                completed_ids=completed,
                skipped_ids=skipped,
            ),
        )
        for e in enrolments
    ]


def missing_prerequisites(*, learner, course: CoursePage) -> list[CoursePage]:
    """Prerequisites the learner has not completed yet, in the trainer's order."""
    required = [
        p.required_course
        for p in course.prerequisites.select_related("required_course").all()
        if p.required_course.live
    ]
    if not required:
        return []
    if not learner.is_authenticated:
        return required
    done = set(
        Enrolment.objects.filter(
            learner=learner,
            course__in=[c.pk for c in required],
            completed_at__isnull=False,
        ).values_list("course_id", flat=True)
    )
    return [c for c in required if c.pk not in done]


def course_for_path(path: str) -> CoursePage | None:
    """The course whose tree holds the page at `path` (the page may be gone)."""
    # ancestor_of reads only the path, so a stand-in serves for a deleted page.
    return course_for_page(Page(path=path))


def may_view(request, page: Page) -> bool:
    """Whether the page's privacy settings (password, login, groups) admit this request.

    Views reached by a page id, not through Wagtail's routing, must ask this
    themselves, or a private course could be entered by its number.
    """
    return all(r.accept_request(request) for r in page.get_view_restrictions())


def viewable_page_or_404(request, pages, page_id: int) -> Page:
    """Return the page with this id if its privacy admits the request; else 404."""
    page = get_object_or_404(pages, pk=page_id)
    if not may_view(request, page):
        raise Http404
    return page


@dataclass(frozen=True)
class LearnerProgressRow:
    """One learner's progress in a course, counted over the steps live now."""

    username: str
    cohort: str
    enrolled_at: datetime
    completed_at: datetime | None
    done: int
    total: int

    @classmethod
    def of(cls, row: Enrolment) -> "LearnerProgressRow":
        """The words for one enrolment of `progress_rows`."""
        return cls(
            username=row.username,
            cohort=row.cohort_name or "",
            enrolled_at=row.enrolled_at,
            completed_at=row.completed_at,
            done=row.done,
            total=row.total,
        )

    @property
    def finished(self) -> bool:
        return self.completed_at is not None

    @property
    def percent(self) -> int:
        """A finished course stays at 100%, even when steps are added or removed."""
        if self.finished:
            return 100
        return percent_of(self.done, self.total)

    @property
    def summary(self) -> str:
        """The progress in words; a finished course always reads 100%."""
        if self.finished:
            if self.new_steps:
                return ngettext(
                    "Finished (100%%), %(count)d new step since",
                    "Finished (100%%), %(count)d new steps since",
                    self.new_steps,
                ) % {"count": self.new_steps}
            return gettext("Finished (100%)")
        return gettext("%(done)d / %(total)d (%(percent)d%%)") % {
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
        }

    @property
    def new_steps(self) -> int:
        """Steps live now that a learner who finished has not done: added since."""
        return self.total - self.done if self.finished else 0


def progress_rows(course: CoursePage) -> QuerySet[Enrolment]:
    """A course's enrolments as progress rows, computed by the database.

    Each enrolment carries `username`, `cohort_name` (None without a cohort),
    `done` (live required steps done), `total` and `percent` (100 once
    finished), so a report sorts, counts and pages them in SQL and a download
    streams them: the first page of 10,000 learners reads one page of rows.
    `LearnerProgressRow.of` turns one into the words trainers read.
    """
    required = sorted(course_outline(course).required_step_ids)
    total = len(required)
    if required:
        done = Coalesce(
            Subquery(
                StepCompletion.objects.filter(
                    learner_id=OuterRef("learner_id"), step_id__in=required
                )
                .order_by()
                .values("learner_id")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            0,
        )
        # percent_of, in integer arithmetic every database does alike
        unfinished = (200 * F("done") + total) / (2 * total)
    else:
        done, unfinished = Value(0), Value(0)
    return Enrolment.objects.filter(course=course).annotate(
        username=F("learner__username"),
        cohort_name=F("cohort__name"),
        done=done,
        total=Value(total, output_field=IntegerField()),
        percent=Case(
            When(completed_at__isnull=False, then=Value(100)),
            default=unfinished,
            output_field=IntegerField(),
        ),
    )


#: Sort keys of the progress report, as database orderings; every one ends
#: with the username, and empty values go last either way.
PROGRESS_ORDERINGS = {
    "username": Lower("username"),
    "cohort": F("cohort_name"),
    "enrolled_at": F("enrolled_at"),
    "percent": F("percent"),
    "completed_at": F("completed_at"),
}


def order_progress_rows(rows: QuerySet, ordering: str) -> QuerySet:
    """Sort `progress_rows` by a report sort key, "-" in front for descending."""
    expression = PROGRESS_ORDERINGS[ordering.lstrip("-")]
    if ordering.startswith("-"):
        first = expression.desc(nulls_last=True)
    else:
        first = expression.asc(nulls_last=True)
    return rows.order_by(first, Lower("username"), "pk")


def with_learner_counts(courses: QuerySet) -> QuerySet:
    """The original courses among `courses` in tree order, each with how many
    learners enrolled (`learners`) and finished (`finished`): one query."""
    return (
        originals(courses)
        .annotate(
            learners=Count("enrolments"),
            finished=Count(
                "enrolments", filter=Q(enrolments__completed_at__isnull=False)
            ),
        )
        .order_by("path")
    )


def cohort_totals(rows: QuerySet) -> list[dict]:
    """Learners, finished and average progress per cohort of `progress_rows`.

    One grouped query; the learners without a cohort come last, named "".
    """
    grouped = (
        rows.order_by()
        .values("cohort_name")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            average=Avg("percent"),
        )
        .order_by(F("cohort_name").asc(nulls_last=True))
    )
    return [
        {
            "name": group["cohort_name"] or "",
            "enrolled": group["enrolled"],
            "completed": group["completed"],
            "average_percent": round(group["average"]),
        }
        for group in grouped
    ]
