"""What a step page needs to know about the learner before it renders."""

from dataclasses import dataclass

from .content_notes import pending_notes
from .locales import original_id
from .models import CoursePage, Enrolment
from .outline import ModuleEntry, Outline, StepEntry, course_outline
from .selectors import Progress, course_for_page, enrolment_for, learner_progress


@dataclass
class StepState:
    course: CoursePage
    enrolment: Enrolment | None
    outline: Outline
    progress: Progress
    step: StepEntry | None
    module: ModuleEntry | None
    previous: StepEntry | None
    next: StepEntry | None
    notes: list[tuple[int, str]]

    @property
    def is_done(self) -> bool:
        return self.step is not None and self.progress.is_done(self.step.id)


def can_preview(user) -> bool:
    """Trainers may open any step without enrolling, to check it as learners see it."""
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def step_state(request, page) -> StepState:
    """Where the learner stands in the course around this step."""
    course = course_for_page(page)
    return _state_around(
        page,
        course=course,
        progress=learner_progress(learner=request.user, course=course),
        enrolment=enrolment_for(learner=request.user, course=course),
        request=request,
    )


def _state_around(page, *, course, progress, enrolment, request) -> StepState:
    outline = progress.outline
    step_id = original_id(page)  # the outline names steps by their originals
    step = outline.step(step_id)
    module = outline.module(step.module_id) if step else None
    previous, following = outline.neighbours(step_id)
    return StepState(
        course=course,
        enrolment=enrolment,
        outline=outline,
        progress=progress,
        step=step,
        module=module,
        previous=previous,
        next=following,
        notes=pending_notes(request, module=module, step=step) if request else [],
    )


def preview_state(request, page) -> StepState | None:
    """The state a trainer's preview shows: the course around the step, no progress."""
    if not page.pk or not page.path:
        return None
    course = course_for_page(page)
    if course is None:
        return None
    progress = Progress(outline=course_outline(course), completed_ids=frozenset())
    return _state_around(
        page, course=course, progress=progress, enrolment=None, request=None
    )
