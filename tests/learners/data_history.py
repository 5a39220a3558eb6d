"""A learner with a bit of everything the site keeps, for the "Your data" tests."""

from dataclasses import dataclass

from django.test import TestCase
from wagtail.models import Page

from certificates.models import Certificate, Verification
from certificates.services import change_printed_name, record_verification
from courses.models import (
    Cohort,
    CohortAnnouncement,
    CoursePage,
    Enrolment,
    LessonPage,
)
from courses.services import dismiss_announcement, enrol, mark_step_complete, skip_step
from peers import services as circles
from quizzes.models import QuizPage
from quizzes.services import reset_attempts, start_attempt, submit_attempt
from tests.certificates.issuing import finish_course
from tests.factories import CourseFactory, UserFactory
from tests.quizzes.conftest import course_with_quiz

FIRST_NAME = "Amara Okafor"
SECOND_NAME = "Amara O. Lindqvist"


@dataclass
class History:
    learner: object
    listening: CoursePage
    boundaries: CoursePage
    quiz: QuizPage
    cohort: Cohort
    replaced: Certificate
    current: Certificate


def build_history(course_index, *, username="quiet-heron", trainer=None) -> History:
    """Two courses: one finished with a certificate renamed once, one part done.

    The learner is in a cohort, hid one announcement, skipped a step, took a
    quiz (a trainer reset the try), and had a step marked done by a trainer;
    the current certificate was checked twice. In the cohort's circle they
    did one of each thing a member can do (see `_circle_history`).
    """
    trainer = trainer or UserFactory(username="trainer-on-duty", is_staff=True)
    learner = UserFactory(
        username=username, certificate_name=FIRST_NAME, email=f"{username}@example.org"
    )
    listening = CoursePage.objects.filter(slug="listening").first() or CourseFactory(
        parent=course_index, title="Listening well", slug="listening", steps=2
    )
    cohort = Cohort.objects.filter(course=listening).first() or Cohort.objects.create(
        course=listening, name="Spring group"
    )
    finish_course(learner, listening)
    Enrolment.objects.filter(learner=learner, course=listening).update(cohort=cohort)
    announcement = CohortAnnouncement.objects.create(
        cohort=cohort, text="Welcome, everyone.", created_by=trainer
    )
    dismiss_announcement(learner=learner, announcement=announcement)
    _circle_history(learner, cohort, trainer)

    boundaries = CoursePage.objects.filter(slug="boundaries").first()
    if boundaries is None:
        boundaries = course_with_quiz(
            course_index, title="Boundaries", slug="boundaries", steps=2, pass_mark=80
        )
    quiz = QuizPage.objects.descendant_of(boundaries).get()
    enrol(learner=learner, course=boundaries)
    lessons = list(LessonPage.objects.descendant_of(boundaries).order_by("path"))
    skip_step(learner=learner, step=lessons[1])
    mark_step_complete(
        learner=learner, step=lessons[0], marked_by=trainer, reason="Did it in class"
    )
    attempt = start_attempt(learner=learner, quiz=quiz)
    views = {v["id"]: v for v in quiz.question_views()}
    answers = {}
    for question_id in attempt.question_ids:
        choices = views[question_id]["choices"]
        answers[question_id] = [choices[0]["id"]]
    submit_attempt(attempt=attempt, answers=answers)
    reset_attempts(learner=learner, quiz=quiz, reset_by=trainer, reason="Phone died")

    with TestCase.captureOnCommitCallbacks(execute=True):
        change_printed_name(learner=learner, printed_name=SECOND_NAME)
    replaced = Certificate.objects.get(learner=learner, replaced_at__isnull=False)
    current = Certificate.objects.get(learner=learner, replaced_at__isnull=True)
    for _check in range(2):
        record_verification(certificate=current, channel=Verification.Channel.PAGE)
    learner.refresh_from_db()
    return History(
        learner=learner,
        listening=listening,
        boundaries=boundaries,
        quiz=quiz,
        cohort=cohort,
        replaced=replaced,
        current=current,
    )


def _circle_history(learner, cohort: Cohort, trainer) -> None:
    """A post hidden with a note, a reply, a response, a report, a pair with
    feedback both ways, and a reflection kept private.

    The other member ("Kit", shared by every history) has no username like
    the learner's, so tests that look for the learner's name find only theirs.
    """
    circle = circles.circle_for(cohort)
    me = circles.join_circle(
        circle=circle,
        learner=learner,
        circle_name=learner.get_username().split("-")[-1].title(),
    )
    kit = circles.join_circle(
        circle=circle,
        learner=UserFactory(username="circle-friend"),
        circle_name="Kit",
    )
    lesson = LessonPage.objects.descendant_of(cohort.course).order_by("path").first()
    theirs = circles.share_post(
        member=kit, text="What helped me this week."
    ).contribution
    circles.approve(contribution=theirs, trainer=trainer)
    mine = circles.share_post(
        member=me,
        text="Saying no kindly felt strange at first.",
        content_note="Mentions a hard week",
        lesson=lesson,
        prompt="What would you say?",
    ).contribution
    circles.hide(contribution=mine, trainer=trainer, note="Please leave out the town.")
    circles.reply_to(post=theirs, member=me, text="Thank you for this.")
    circles.set_acknowledgement(post=theirs, member=me, kind="helped", on=True)
    circles.report(member=me, post=theirs, reason="other", details="Just checking.")
    pair = circles.make_pair(
        circle=circle,
        first=me,
        second=kit,
        scenario="Practise the privacy script",
        scenario_page=lesson,
        trainer=trainer,
    )
    circles.give_feedback(
        pair=pair, member=me, what_helped="Calm voice.", one_thing_to_try="Pause."
    )
    circles.give_feedback(
        pair=pair, member=kit, what_helped="Clear words.", one_thing_to_try="Smile."
    )
    circles.share_pair_with_trainers(pair=pair, member=me, agree=True)
    circles.save_private_reflection(
        learner=learner, lesson=lesson, block_id="prompt-1", text="Only for me."
    )


def first_choice_texts(quiz: QuizPage) -> list[str]:
    """The text of the first choice of each question: what build_history answers."""
    return [view["choices"][0]["text"] for view in quiz.question_views()]


def page_step(page_id: int) -> Page:
    return Page.objects.get(pk=page_id).specific
