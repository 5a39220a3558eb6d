"""Build QuizPages from the demo course files (see courses/demo/FORMAT.md)."""

import json
import uuid

from courses.content_check import estimate_minutes
from courses.models import ModulePage

from .models import QuizPage


def _choice_items(choices: list[dict]) -> list[dict]:
    return [
        {
            "type": "item",
            "id": str(uuid.uuid4()),
            "value": {
                "text": choice["text"],
                "correct": bool(choice.get("correct", False)),
                "feedback": choice.get("feedback", ""),
            },
        }
        for choice in choices
    ]


def question_block(question: dict) -> dict:
    """Turn one [[question]] table into raw StreamField data for QuestionsBlock."""
    kind = question["type"]
    explanation = question.get("explanation", "")
    choices = question.get("choice", [])
    if kind == "true_false":
        by_text = {c["text"].strip().lower(): c for c in choices}
        answer = "true" if by_text["true"].get("correct") else "false"
        value = {
            "question": question["text"],
            "answer": answer,
            "feedback_true": by_text["true"].get("feedback", ""),
            "feedback_false": by_text["false"].get("feedback", ""),
            "explanation": explanation,
        }
    elif kind in ("single", "multiple"):
        value = {
            "question": question["text"],
            "choices": _choice_items(choices),
            "explanation": explanation,
        }
    elif kind == "scenario":
        value = {
            "scenario": question["scenario"],
            "question": question["text"],
            "choose_several": bool(question.get("multiple", False)),
            "choices": _choice_items(choices),
            "explanation": explanation,
        }
    else:
        raise ValueError(f"Unknown question type {kind!r}.")
    return {"type": kind, "id": str(uuid.uuid4()), "value": value}


def build_quiz(module: ModulePage, step: dict) -> QuizPage:
    questions = [question_block(q) for q in step.get("question", [])]
    quiz = QuizPage(
        title=step["title"],
        slug=step["slug"],
        intro=f"<p>{step.get('intro', '')}</p>" if step.get("intro") else "",
        estimated_minutes=step.get("minutes") or estimate_minutes(questions, quiz=True),
        content_note=step.get("content_note", ""),
        questions=json.dumps(questions),
    )
    module.add_child(instance=quiz)
    quiz.save_revision().publish()
    return quiz
