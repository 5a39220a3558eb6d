"""What a trainer writing a quiz is told: draws that fit, the pass mark in questions,
and a preview of the review a learner gets."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from quizzes.grading import questions_needed


@pytest.mark.parametrize(
    ("mark", "asked", "needed"),
    [(80, 3, 3), (80, 5, 4), (80, 10, 8), (50, 3, 2), (100, 4, 4), (1, 7, 1)],
)
def test_questions_needed_matches_the_rounded_down_score(mark, asked, needed):
    assert questions_needed(mark, asked) == needed


def test_a_draw_larger_than_the_pool_is_refused_with_the_pool_size(quiz):
    quiz.draw_count = 5
    with pytest.raises(ValidationError) as refused:
        quiz.full_clean()
    assert "The quiz has 3 questions, so an attempt cannot draw 5" in str(
        refused.value.message_dict["draw_count"]
    )
    quiz.draw_count = 3
    quiz.full_clean()


def test_the_editor_says_what_the_pass_mark_means_in_questions(admin_client, quiz):
    html = admin_client.get(f"/admin/pages/{quiz.pk}/edit/").content.decode()
    assert "a pass mark of 80% means 3 of 3 questions right" in html


def test_the_pass_mark_line_follows_the_draw(admin_client, quiz):
    quiz.draw_count = 2
    quiz.pass_mark = 50
    quiz.save_revision().publish()
    html = admin_client.get(f"/admin/pages/{quiz.pk}/edit/").content.decode()
    assert "a pass mark of 50% means 1 of 2 questions right" in html


def _preview(rf, trainer, quiz, mode, query=""):
    original = rf.get(f"/admin/pages/{quiz.pk}/edit/preview/{query}")
    original.user = trainer
    response = quiz.make_preview_request(original_request=original, preview_mode=mode)
    return BeautifulSoup(response.content, "html.parser")


def test_the_questions_preview_is_a_form_that_asks_for_the_review(rf, trainer, quiz):
    page = _preview(rf, trainer, quiz, "")
    form = page.select_one("form.quiz-form")
    assert form["method"] == "get"
    assert form["action"] == f"/admin/pages/{quiz.pk}/edit/preview/"
    assert form.select_one("input[name=mode]")["value"] == "review"
    assert len(form.select("input[name=q-q-listen]")) == 3
    assert "Yes: they feel heard." not in page.get_text()


def test_the_review_preview_shows_feedback_for_the_answers_ticked(rf, trainer, quiz):
    wrong = next(
        c["id"]
        for c in quiz.question_views()[0]["choices"]
        if c["text"] == "Change the subject."
    )
    page = _preview(rf, trainer, quiz, "review", f"?q-q-listen={wrong}")
    text = page.get_text(" ", strip=True)
    assert "This can feel dismissive." in text
    assert "Worth another look" in text
    assert "You scored 0%" in text
    assert "the answers you ticked" in text
    assert not page.select(".quiz-result form")


def test_the_review_preview_without_answers_shows_every_right_answer(rf, trainer, quiz):
    text = _preview(rf, trainer, quiz, "review").get_text(" ", strip=True)
    assert "You passed with 100%" in text
    assert "Yes: they feel heard." in text
    assert "every right answer" in text


def test_the_quiz_editor_says_how_minutes_are_estimated(admin_client, quiz):
    html = admin_client.get(f"/admin/pages/{quiz.pk}/edit/").content.decode()
    assert "about 60 words a minute" in html
