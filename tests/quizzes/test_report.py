"""The trainers' quiz report: totals, per-answer picks, CSV and XLSX, guarded."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from courses.services import enrol
from quizzes.models import QuizPage
from quizzes.services import start_attempt, submit_attempt
from tests.factories import UserFactory

from .conftest import QUESTIONS, right_answers


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def graded(quiz_course, quiz):
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    for user in (ana, ben):
        enrol(learner=user, course=quiz_course)
    submit_attempt(
        attempt=start_attempt(learner=ana, quiz=quiz), answers=right_answers(quiz)
    )
    wrong = {
        q.id: [q.choice_ids[-1]] if q.id != "q-rest" else ["false"]
        for q in quiz.grading_questions()
    }
    wrong["q-boundaries"] = [quiz.grading_questions()[1].choice_ids[1]]
    submit_attempt(attempt=start_attempt(learner=ben, quiz=quiz), answers=wrong)
    return quiz


def _download(response):
    return b"".join(response.streaming_content)


def test_report_shows_tries_passes_average_and_answer_picks(trainer_client, graded):
    html = trainer_client.get(f"/admin/quiz-reports/{graded.pk}/").content.decode()
    assert "1 of 2 who tried" in html
    assert "50%" in html  # average of 100 and 0
    assert "1. What helps most?" in html
    assert "Reflect what you heard." in html


def test_the_quiz_list_names_course_and_module(trainer_client, graded):
    html = trainer_client.get("/admin/quiz-reports/").content.decode()
    assert f'href="/admin/quiz-reports/{graded.pk}/"' in html
    assert "Listening well · Module 1" in html


def test_report_downloads_as_csv(trainer_client, graded):
    response = trainer_client.get(f"/admin/quiz-reports/{graded.pk}/?export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(_download(response).decode())))
    assert rows[0][:2] == ["Question", "Question text"]
    rest_rows = [r for r in rows[1:] if r[1] == "Mentors need rest too."]
    assert {r[4]: r[6] for r in rest_rows} == {"True": "1", "False": "1"}


def test_report_downloads_as_xlsx(trainer_client, graded):
    response = trainer_client.get(f"/admin/quiz-reports/{graded.pk}/?export=xlsx")
    sheet = load_workbook(io.BytesIO(_download(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Question", "Question text")
    assert len(rows) == 1 + 3 + 3 + 2


def test_answer_texts_that_look_like_formulas_download_as_text(
    trainer_client, quiz_course, quiz
):
    questions = json.loads(json.dumps(QUESTIONS))
    questions[0]["value"]["choices"][0]["value"]["text"] = "=HYPERLINK(1)"
    questions[0]["value"]["question"] = "@sum of what you heard?"
    quiz.questions = json.dumps(questions)
    quiz.save_revision().publish()
    quiz = QuizPage.objects.get(pk=quiz.pk)

    response = trainer_client.get(f"/admin/quiz-reports/{quiz.pk}/?export=csv")
    rows = list(csv.reader(io.StringIO(_download(response).decode())))
    assert rows[1][1] == "'@sum of what you heard?"
    assert rows[1][4] == "'=HYPERLINK(1)"

    response = trainer_client.get(f"/admin/quiz-reports/{quiz.pk}/?export=xlsx")
    sheet = load_workbook(io.BytesIO(_download(response))).active
    assert sheet.cell(row=2, column=5).value == "'=HYPERLINK(1)"


def test_learners_cannot_read_reports(learner_client, graded):
    response = learner_client.get(f"/admin/quiz-reports/{graded.pk}/")
    assert response.status_code == 302
