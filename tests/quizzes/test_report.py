"""The trainers' quiz report: totals, per-question shares, CSV and XLSX."""

import csv
import io

import pytest
from openpyxl import load_workbook

from courses.services import enrol
from quizzes.services import start_attempt, submit_attempt
from tests.factories import UserFactory

from .conftest import right_answers


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


def test_report_shows_attempts_passes_average_and_question_shares(admin_client, graded):
    html = admin_client.get(f"/admin/quiz-reports/{graded.pk}/").content.decode()
    assert "1 / 2" in html  # learners passed of learners who tried
    assert "50%" in html  # average of 100 and 0
    assert "50% answered right, of 2 times asked." in html


def test_report_downloads_as_csv(admin_client, graded):
    response = admin_client.get(f"/admin/quiz-reports/{graded.pk}/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Question"
    rest_rows = [r for r in rows[1:] if r[1] == "Mentors need rest too."]
    assert {r[4]: r[6] for r in rest_rows} == {"True": "1", "False": "1"}


def test_report_downloads_as_xlsx(admin_client, graded):
    response = admin_client.get(f"/admin/quiz-reports/{graded.pk}/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Question", "Question text")
    assert len(rows) == 1 + 3 + 3 + 2


def test_learners_cannot_read_reports(learner_client, graded):
    response = learner_client.get(f"/admin/quiz-reports/{graded.pk}/")
    assert response.status_code == 302
