"""A quiz started in one language is finished, graded and reviewed in another."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from courses.models import StepCompletion
from quizzes.models import QuizAttempt
from tests.courses.test_languages import in_language, translate_tree

from .conftest import form_data, right_answers


@pytest.fixture
def spanish_quiz(quiz_course, quiz):
    translate_tree(quiz_course, "es")
    spanish = quiz.get_translation(Locale.objects.get(language_code="es")).specific
    # The translator words each question and choice anew; the ids stay.
    for block in spanish.questions:
        block.value["question"] = "[es] " + block.value["question"]
        for item in block.value.get("choices", []):
            item["text"] = "[es] " + item["text"]
    spanish.save_revision().publish()
    return spanish


def test_started_in_english_submitted_in_spanish_graded_the_same(
    learner_client, learner, enrolled, quiz, spanish_quiz
):
    learner_client.post(f"{quiz.url}start/")
    attempt = QuizAttempt.objects.get()
    assert attempt.quiz_id == quiz.pk

    client = in_language(learner_client, "es")
    form = BeautifulSoup(client.get(quiz.url).content, "html.parser")
    text = form.get_text(" ", strip=True)
    assert "[es] What helps most?" in text and "[es] Reflect what you heard." in text

    response = client.post(
        f"{quiz.url}attempts/{attempt.pk}/",
        form_data(right_answers(quiz)),
        follow=True,
    )
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (100, True)
    review = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "[es] What helps most?" in review
    assert StepCompletion.objects.filter(learner=learner, step_id=quiz.pk).exists()

    # The same attempt, reviewed in English, in English words.
    review = in_language(learner_client, "en").get(f"{quiz.url}attempts/{attempt.pk}/")
    assert "[es]" not in review.content.decode()
    assert "What helps most?" in review.content.decode()
