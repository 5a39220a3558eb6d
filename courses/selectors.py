"""Reads that views share: a learner's progress, computed from a few indexed queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, ngettext
from wagtail.models import Page

from .models import CoursePage, Enrolment, StepCompletion, StepSkip
from .outline import (
    Outline,
    StepEntry,
    course_outline,
    course_outlines,
)


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
        return round(100 * self.done / self.total) if self.total else 0

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
    return course is not None and course_outline(course).step(page.pk) is not None


def completed_step_ids(*, learner, course: Page) -> frozenset[int]:
    """Every step of the course the learner has completed, in one query."""
    return frozenset(
        StepCompletion.objects.filter(
            learner=learner, step__path__startswith=course.path
        ).values_list("step_id", flat=True)
    )


def skipped_step_ids(*, learner, course: Page) -> frozenset[int]:
    return frozenset(
        StepSkip.objects.filter(
            learner=learner, step__path__startswith=course.path
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
    if not learner.is_authenticated:
        return None
    return Enrolment.objects.filter(learner=learner, course_id=course.pk).first()


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
    outlines = course_outlines(e.course for e in enrolments)
    completed = frozenset(
        StepCompletion.objects.filter(learner=learner).values_list("step_id", flat=True)
    )
    skipped = frozenset(
        StepSkip.objects.filter(learner=learner).values_list("step_id", flat=True)
    )
    return [
        DashboardRow(
            enrolment=e,
            course=e.course,
            progress=Progress(
                outline=outlines[e.course_id],
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

    @property
    def finished(self) -> bool:
        return self.completed_at is not None

    @property
    def percent(self) -> int:
        """A finished course stays at 100%, even when steps are added or removed."""
        if self.finished:
            return 100
        return round(100 * self.done / self.total) if self.total else 0

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


def course_progress_report(course: CoursePage, *, enrolments=None) -> dict:
    """Every enrolment in a course (or those given) with progress, and cohort totals.

    Two queries however many learners and steps: enrolments, then completions
    counted per learner over the course's live steps.
    """
    if enrolments is None:
        enrolments = Enrolment.objects.filter(course=course)
    enrolments = enrolments.select_related("learner", "cohort").order_by(
        "cohort__name", "learner__username"
    )
    required = course_outline(course).required_step_ids
    done_by_learner = dict(
        StepCompletion.objects.filter(
            step_id__in=required, learner_id__in=enrolments.values("learner_id")
        )
        .values("learner_id")
        .annotate(done=Count("id"))
        .values_list("learner_id", "done")
    )
    rows = [
        LearnerProgressRow(
            username=e.learner.username,
            cohort=e.cohort.name if e.cohort else "",
            enrolled_at=e.enrolled_at,
            completed_at=e.completed_at,
            done=done_by_learner.get(e.learner_id, 0),
            total=len(required),
        )
        for e in enrolments
    ]
    groups: dict[str, list[LearnerProgressRow]] = {}
    for row in rows:
        groups.setdefault(row.cohort, []).append(row)
    cohorts = [
        {
            "name": name,
            "enrolled": len(members),
            "completed": sum(1 for m in members if m.finished),
            "average_percent": round(sum(m.percent for m in members) / len(members)),
        }
        for name, members in groups.items()
    ]
    return {"rows": rows, "cohorts": cohorts, "total_steps": len(required)}
