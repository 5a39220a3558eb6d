"""Build course pages from the TOML files in courses/demo (see FORMAT.md there)."""

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from wagtail.models import Page

from .content_check import estimate_minutes, hours_from_minutes
from .models import CourseIndexPage, CoursePage, LessonPage, ModulePage

DEMO_DIR = Path(__file__).resolve().parent / "demo"

# Builders for step kinds other apps add (the quizzes app registers "quiz").
STEP_BUILDERS: dict[str, Callable[[ModulePage, dict], Page]] = {}


def lesson_block(block: dict) -> dict:
    """Turn one [[block]] table into raw StreamField data for LessonBlock."""
    kind = block["type"]
    if kind == "rich_text":
        return {"type": kind, "value": block["value"]}
    if kind == "heading":
        return {"type": kind, "value": block["text"]}
    if kind == "callout":
        value = {
            "kind": block["kind"],
            "title": block.get("title", ""),
            "text": block["text"],
        }
    elif kind == "content_note":
        value = {"text": block["text"]}
    elif kind == "reflection":
        value = {"prompt": block["prompt"], "guidance": block.get("guidance", "")}
    elif kind == "grounding":
        value = {
            "title": block["title"],
            "intro": block.get("intro", ""),
            "steps": list(block["steps"]),
        }
    elif kind == "key_takeaways":
        value = {"items": list(block["items"])}
    elif kind == "resources":
        value = {
            "links": [
                {
                    "title": link["title"],
                    "url": link["url"],
                    "description": link.get("description", ""),
                }
                for link in block["link"]
            ]
        }
    elif kind == "quote":
        value = {
            "text": block["text"],
            "attribution": block.get("attribution", ""),
            "lived_experience": bool(block.get("lived_experience", False)),
        }
    else:
        raise ValueError(f"Unknown lesson block type {kind!r}.")
    return {"type": kind, "value": value}


def build_lesson(module: ModulePage, step: dict) -> LessonPage:
    blocks = [lesson_block(block) for block in step.get("block", [])]
    lesson = LessonPage(
        title=step["title"],
        slug=step["slug"],
        summary=step.get("summary", ""),
        estimated_minutes=step.get("minutes") or estimate_minutes(blocks),
        content_note=step.get("content_note", ""),
        body=json.dumps(blocks),
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


STEP_BUILDERS["lesson"] = build_lesson


def read_course_file(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@transaction.atomic
def build_course(index: CourseIndexPage, data: dict) -> CoursePage:
    """Create and publish a course with its modules and steps; reuse it if present.

    A step's minutes and the course's hours are estimated from the text
    (courses/content_check.py) unless the file states them.
    """
    existing = CoursePage.objects.child_of(index).filter(slug=data["slug"]).first()
    if existing:
        return existing
    if "hours" in data and not data.get("hours_reason", "").strip():
        raise ValueError(
            f"{data['slug']}: hours are computed from the steps; "
            "set hours only with an hours_reason."
        )
    course = CoursePage(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        estimated_hours=data.get("hours", 1),
        hours_reason=data.get("hours_reason", ""),
        audience=data.get("audience", ""),
        level=data.get("level", CoursePage.Level.INTRODUCTORY),
        content_note=data.get("content_note", ""),
        learning_outcomes=json.dumps(
            [{"type": "outcome", "value": text} for text in data.get("outcomes", [])]
        ),
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    minutes = []
    for module_data in data.get("module", []):
        module = ModulePage(
            title=module_data["title"],
            slug=module_data["slug"],
            intro=module_data.get("intro", ""),
            content_note=module_data.get("content_note", ""),
        )
        course.add_child(instance=module)
        module.save_revision().publish()
        for step in module_data.get("step", []):
            builder = STEP_BUILDERS.get(step["kind"])
            if builder is not None:
                minutes.append(builder(module, step).estimated_minutes)
    if "hours" not in data:
        course.estimated_hours = hours_from_minutes(minutes)
        course.save_revision().publish()
    return course


DEMO_COURSE_FILES = ("foundations.toml", "boundaries.toml")


def demo_course_files() -> list[Path]:
    return [DEMO_DIR / name for name in DEMO_COURSE_FILES]
