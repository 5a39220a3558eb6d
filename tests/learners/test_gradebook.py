"""The gradebook as a trainer reads it: scores, tries, who may need a hand, actions."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Cohort, Enrolment, LessonPage, StepCompletion
from courses.outline import course_outline
from courses.services import complete_step, enrol
from learners.selectors import gradebook, trainer_home
from quizzes.models import QuizAttempt, QuizPage
from quizzes.selectors import attempts_left
from quizzes.services import start_attempt, submit_attempt
from tests.factories import CourseFactory, UserFactory
from tests.quizzes.conftest import course_with_quiz, right_answers


@pytest.fixture
def course(course_index):
    """One module: two lessons, then a quiz that allows three tries."""
    return course_with_quiz(course_index, steps=2, pass_mark=80, attempts_allowed=3)


@pytest.fixture
def quiz(course):
    return QuizPage.objects.get()


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def wrong_answers(quiz):
    return {
        q.id: [q.choice_ids[0]] if q.id != "q-rest" else ["false"]
        for q in quiz.grading_questions()
    }


def take(learner, quiz, answers):
    return submit_attempt(
        attempt=start_attempt(learner=learner, quiz=quiz), answers=answers
    )


def learner_in(course, username, *, cohort=None):
    user = UserFactory(username=username)
    enrol(learner=user, course=course)
    if cohort:
        Enrolment.objects.filter(learner=user).update(cohort=cohort)
    return user


def row_of(page, username):
    link = page.find("a", string=lambda s: s and s.strip() == username)
    assert link is not None, f"{username} is not in the gradebook"
    return link.find_parent("tr")


def gradebook_url(course, query=""):
    return reverse("gradebook_course", args=[course.pk]) + query


@pytest.fixture
def class_of_three(course, quiz):
    """ana passed at once; ben tried three times without passing; cal went quiet."""
    ana = learner_in(course, "ana")
    ben = learner_in(course, "ben")
    cal = learner_in(course, "cal")
    take(ana, quiz, right_answers(quiz))
    for _ in range(3):
        take(ben, quiz, wrong_answers(quiz))
    Enrolment.objects.filter(learner=cal).update(
        enrolled_at=timezone.now() - timedelta(days=20)
    )
    return ana, ben, cal


def test_the_gradebook_shows_each_learners_best_score_and_tries(
    trainer_client, course, class_of_three
):
    page = soup(trainer_client.get(gradebook_url(course)))
    ana = row_of(page, "ana").get_text(" ", strip=True)
    ben = row_of(page, "ben").get_text(" ", strip=True)
    cal = row_of(page, "cal").get_text(" ", strip=True)
    assert "100% ✓ passed 1 try" in ana
    assert "1 of 3" in ana  # the quiz step is done; two lessons are not
    assert "0% 3 tries" in ben and "passed" not in ben
    assert "Not tried" in cal and "0 of 3" in cal


def test_who_may_need_a_hand_is_flagged_with_the_reason(
    trainer_client, course, class_of_three
):
    page = soup(trainer_client.get(gradebook_url(course)))
    assert "May need a hand" not in row_of(page, "ana").get_text()
    ben = row_of(page, "ben").get_text(" ", strip=True)
    assert "3 tries at “Check your understanding” without passing" in ben
    cal = row_of(page, "cal").get_text(" ", strip=True)
    assert "No activity for 14 days or more" in cal

    only = soup(trainer_client.get(gradebook_url(course, "?needs_a_hand=true")))
    names = {a.get_text(strip=True) for a in only.select("td.title a")}
    assert names == {"ben", "cal"}


def test_a_finished_learner_is_not_quiet_and_shows_as_finished(
    trainer_client, course, quiz
):
    done = learner_in(course, "done")
    for step in course_outline(course).steps[:2]:
        complete_step(learner=done, step=LessonPage.objects.get(pk=step.id))
    take(done, quiz, right_answers(quiz))
    Enrolment.objects.filter(learner=done).update(
        enrolled_at=timezone.now() - timedelta(days=60)
    )
    StepCompletion.objects.filter(learner=done).update(
        completed_at=timezone.now() - timedelta(days=30)
    )
    QuizAttempt.objects.filter(learner=done).update(
        started_at=timezone.now() - timedelta(days=30),
        submitted_at=timezone.now() - timedelta(days=30),
    )
    row = row_of(soup(trainer_client.get(gradebook_url(course))), "done")
    assert "Finished" in row.get_text() and "May need a hand" not in row.get_text()


def test_the_cohort_filter_and_sorting_by_a_quiz_score(trainer_client, course, quiz):
    spring = Cohort.objects.create(course=course, name="Spring", join_code="SPRING1")
    low = learner_in(course, "aaron", cohort=spring)
    high = learner_in(course, "zoe", cohort=spring)
    learner_in(course, "outside")
    take(low, quiz, wrong_answers(quiz))
    take(high, quiz, right_answers(quiz))

    page = soup(trainer_client.get(gradebook_url(course, f"?cohort={spring.pk}")))
    names = [a.get_text(strip=True) for a in page.select("td.title a")]
    assert names == ["aaron", "zoe"]

    page = soup(
        trainer_client.get(
            gradebook_url(course, f"?cohort={spring.pk}&ordering=-quiz-{quiz.pk}")
        )
    )
    names = [a.get_text(strip=True) for a in page.select("td.title a")]
    assert names == ["zoe", "aaron"]


def test_certificate_status_shows_for_learners_who_have_one(
    trainer_client, course, quiz
):
    from certificates.models import Certificate

    ana = learner_in(course, "ana")
    learner_in(course, "ben")
    Certificate.objects.create(
        code="ABCDEFGHJKMN",
        learner=ana,
        course=course,
        printed_name="Ana",
        course_title=course.title,
        course_url="/courses/listening/",
        course_hours=2,
        completed_at=timezone.now(),
        issuer_name="Circles",
        credential={},
        status_list_index=7,
        revoked_at=timezone.now(),
    )
    page = soup(trainer_client.get(gradebook_url(course)))
    assert "Revoked" in row_of(page, "ana").get_text()
    assert "Revoked" not in row_of(page, "ben").get_text()


@pytest.mark.parametrize("name", ["=1+1", "+1+1", "@sum", "-2"])
def test_exports_show_formula_like_usernames_as_text(trainer_client, course, name):
    learner_in(course, name)
    response = trainer_client.get(gradebook_url(course, "?export=csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["Learner", "Cohort"]
    assert "Check your understanding: best score (%)" in rows[0]
    assert rows[1][0] == "'" + name

    response = trainer_client.get(gradebook_url(course, "?export=xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=2, column=1).value == "'" + name


def test_the_export_carries_scores_tries_and_why(
    trainer_client, course, class_of_three
):
    response = trainer_client.get(gradebook_url(course, "?export=csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    heading = rows[0]
    by_name = {row[0]: dict(zip(heading, row, strict=True)) for row in rows[1:]}
    assert by_name["ana"]["Check your understanding: best score (%)"] == "100"
    assert by_name["ben"]["Check your understanding: tries"] == "3"
    assert "without passing" in by_name["ben"]["Why"]
    assert by_name["cal"]["May need a hand"] == "yes"


def test_the_gradebook_costs_four_queries_however_many_learners(
    course, quiz, django_assert_num_queries
):
    first = learner_in(course, "first")
    take(first, quiz, right_answers(quiz))
    course_outline(course)  # the outline is cached, as on every page
    with django_assert_num_queries(4):
        gradebook(course=course)
    for n in range(20):
        learner = learner_in(course, f"more-{n}")
        take(learner, quiz, wrong_answers(quiz))
    with django_assert_num_queries(4):
        book = gradebook(course=course)
    assert len(book.rows) == 21


def test_the_gradebook_page_costs_the_same_for_one_or_twenty_learners(
    trainer_client, course, quiz
):
    def count():
        trainer_client.get(gradebook_url(course))
        with CaptureQueriesContext(connection) as queries:
            assert trainer_client.get(gradebook_url(course)).status_code == 200
        return len(queries)

    # The trainer, their and their groups' permissions, their admin profile;
    # the course, its learners' steps done, quiz attempts and certificates,
    # the enrolments with their learners, the cohorts for the filter; the
    # admin menu's locales, page and collection permissions and home page.
    take(learner_in(course, "first"), quiz, right_answers(quiz))
    assert count() == 14
    for n in range(20):
        take(learner_in(course, f"more-{n}"), quiz, wrong_answers(quiz))
    assert count() == 14


def learner_url(course, user):
    return reverse("gradebook_learner", args=[course.pk, user.pk])


def test_a_learners_page_shows_their_answers_and_the_review_they_saw(
    trainer_client, course, quiz, class_of_three
):
    ana, _ben, _cal = class_of_three
    page = soup(trainer_client.get(learner_url(course, ana)))
    text = page.get_text(" ", strip=True)
    assert "Best score 100%." in text
    review = page.find(id=f"quiz-{quiz.pk}").find("details").get_text(" ", strip=True)
    assert "Reflect what you heard. ● Their answer ✓ Correct answer" in review
    assert "Feedback they saw: Yes: they feel heard." in review
    assert "ana" not in page.title.get_text()


def test_a_learner_is_found_by_username_without_it_entering_a_url(
    trainer_client, course, class_of_three
):
    ana = class_of_three[0]
    response = trainer_client.post(
        reverse("gradebook_find_learner", args=[course.pk]), {"username": "ANA"}
    )
    assert response.status_code == 302
    assert response.url == learner_url(course, ana)
    assert "ana" not in response.url.lower().replace("gradebook", "")

    response = trainer_client.post(
        reverse("gradebook_find_learner", args=[course.pk]), {"username": "nobody"}
    )
    assert response.url == gradebook_url(course)


def reset_url(course, user, quiz):
    return reverse("gradebook_reset_attempts", args=[course.pk, user.pk, quiz.pk])


def test_resetting_tries_lets_the_learner_start_afresh_and_keeps_the_reason(
    trainer_client, trainer, course, quiz, class_of_three
):
    _ana, ben, _cal = class_of_three
    assert attempts_left(learner=ben, quiz=quiz) == 0

    refused = trainer_client.post(reset_url(course, ben, quiz), {"reason": "  "})
    assert refused.status_code == 302
    assert attempts_left(learner=ben, quiz=quiz) == 0

    trainer_client.post(
        reset_url(course, ben, quiz), {"reason": "Ben was unwell during the tries."}
    )
    assert attempts_left(learner=ben, quiz=quiz) == 3
    assert not QuizAttempt.objects.filter(learner=ben, submitted_at__isnull=True)
    assert start_attempt(learner=ben, quiz=quiz).is_open

    page = soup(trainer_client.get(learner_url(course, ben)))
    text = page.get_text(" ", strip=True)
    assert "Reset by trainer on" in text
    assert "Why: Ben was unwell during the tries." in text
    assert "0 tries count." in text

    book = soup(trainer_client.get(gradebook_url(course)))
    assert "May need a hand" not in row_of(book, "ben").get_text()


def test_resetting_removes_an_open_try(trainer_client, course, quiz):
    dee = learner_in(course, "dee")
    take(dee, quiz, wrong_answers(quiz))
    start_attempt(learner=dee, quiz=quiz)
    trainer_client.post(reset_url(course, dee, quiz), {"reason": "Fresh start."})
    assert QuizAttempt.objects.filter(learner=dee).count() == 1
    assert QuizAttempt.objects.get(learner=dee).reset_reason == "Fresh start."


def mark_url(course, user, step_id):
    return reverse("gradebook_mark_complete", args=[course.pk, user.pk, step_id])


def test_marking_the_last_step_complete_finishes_the_course_with_the_reason(
    trainer_client, trainer, course, quiz
):
    eve = learner_in(course, "eve")
    lessons = course_outline(course).steps[:2]
    complete_step(learner=eve, step=LessonPage.objects.get(pk=lessons[0].id))
    take(eve, quiz, right_answers(quiz))

    refused = trainer_client.post(mark_url(course, eve, lessons[1].id), {"reason": ""})
    assert refused.status_code == 302
    assert not StepCompletion.objects.filter(learner=eve, step_id=lessons[1].id)

    trainer_client.post(
        mark_url(course, eve, lessons[1].id),
        {"reason": "Eve did this lesson with me in person."},
    )
    completion = StepCompletion.objects.get(learner=eve, step_id=lessons[1].id)
    assert completion.marked_by == trainer
    assert completion.reason == "Eve did this lesson with me in person."
    assert Enrolment.objects.get(learner=eve).completed_at is not None

    text = soup(trainer_client.get(learner_url(course, eve))).get_text(" ", strip=True)
    assert "Marked complete by trainer on" in text
    assert "Why: Eve did this lesson with me in person." in text


def test_reading_without_the_change_permission_offers_no_actions(
    client, trainers_group, course, quiz, class_of_three
):
    reader = UserFactory(username="reader", is_staff=True)
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_learner_progress"),
    )
    client.force_login(reader)
    ben = class_of_three[1]
    page = soup(client.get(learner_url(course, ben)))
    assert page.find("textarea") is None

    response = client.post(reset_url(course, ben, quiz), {"reason": "Trying."})
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")
    assert attempts_left(learner=ben, quiz=quiz) == 0


def test_the_trainers_home_counts_each_course_as_the_gradebook_does(
    trainer_client, course, quiz, class_of_three
):
    (summary,) = trainer_home()
    assert (summary.learners, summary.finished, summary.need_a_hand) == (3, 0, 2)
    assert summary.active_this_week == 2  # ana and ben; cal went quiet
    flagged = [r.username for r in gradebook(course=course).rows if r.needs_a_hand]
    assert len(flagged) == summary.need_a_hand

    page = soup(trainer_client.get(reverse("wagtailadmin_home")))
    panel = page.find(id=f"course-{course.pk}-section")
    text = panel.get_text(" ", strip=True)
    assert "2 learners active this week" in text
    assert "0 finished, of 3 enrolled" in text
    assert "2 may need a hand" in text
    assert panel.find("a", href=gradebook_url(course)) is not None
    assert panel.find("a", href=gradebook_url(course, "?needs_a_hand=true"))


def test_the_trainers_home_reads_a_fixed_number_of_queries(
    course_index, course, quiz, class_of_three, django_assert_num_queries
):
    for n in range(3):
        other = CourseFactory(
            parent=course_index, slug=f"other-{n}", title=f"Other {n}"
        )
        learner_in(other, f"other-learner-{n}")
    trainer_home()
    with django_assert_num_queries(6):
        summaries = trainer_home()
    assert len(summaries) == 4
