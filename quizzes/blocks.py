"""Question blocks. A block id is a question's stable id; a list item id, a choice's."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .grading import Question


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(label=_("This answer is correct"), required=False)
    feedback = blocks.TextBlock(
        label=_("Feedback for this answer"),
        required=False,
        help_text=_("Shown after the learner submits, if they chose this answer."),
    )

    class Meta:
        icon = "radio-full"
        label = _("Answer")


class ChoiceQuestionBlock(blocks.StructBlock):
    """A question with choices; subclasses say whether one or several are right."""

    question = blocks.TextBlock(label=_("Question"))
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Answers"), min_num=2)
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        required=False,
        help_text=_("Why the right answer is right, in a supportive tone."),
    )

    multiple = False

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if not self.allows_multiple(value) and correct != 1:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(_("Mark exactly one answer as correct."))
                }
            )
        if correct == 0:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("Mark at least one answer as correct.")
                    )
                }
            )
        return value

    def allows_multiple(self, value) -> bool:
        return self.multiple

    def choices_of(self, value) -> list[dict]:
        """(id, text, correct, feedback) for each choice, in the trainer's order."""
        return [
            {
                "id": str(item.id),
                "text": item.value["text"],
                "correct": bool(item.value["correct"]),
                "feedback": item.value["feedback"],
            }
            for item in value["choices"].bound_blocks
        ]

    def as_question(self, block_id: str, value) -> Question:
        choices = self.choices_of(value)
        return Question(
            id=block_id,
            choice_ids=tuple(c["id"] for c in choices),
            correct=frozenset(c["id"] for c in choices if c["correct"]),
            multiple=self.allows_multiple(value),
        )


class SingleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "radio-empty"
        label = _("Single choice")
        help_text = _("One right answer.")


class MultipleChoiceBlock(ChoiceQuestionBlock):
    multiple = True

    class Meta:
        icon = "list-ul"
        label = _("Multiple choice (choose all that apply)")
        help_text = _("Several right answers; the learner must choose exactly those.")


class ScenarioBlock(ChoiceQuestionBlock):
    scenario = blocks.TextBlock(
        label=_("Situation"),
        help_text=_("A short, realistic situation, then the question about it."),
    )
    choose_several = blocks.BooleanBlock(
        label=_("Choose all that apply"),
        required=False,
        help_text=_("Tick if more than one answer is right."),
    )

    class Meta:
        icon = "user"
        label = _("Scenario")
        help_text = _("A situation, then a single- or multiple-choice question.")
        form_layout = [
            "scenario",
            "question",
            "choose_several",
            "choices",
            "explanation",
        ]

    def allows_multiple(self, value) -> bool:
        return bool(value.get("choose_several"))


class TrueFalseBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Statement"))
    answer = blocks.ChoiceBlock(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False"))],
        default="true",
    )
    feedback_true = blocks.TextBlock(
        label=_("Feedback if they answer True"), required=False
    )
    feedback_false = blocks.TextBlock(
        label=_("Feedback if they answer False"), required=False
    )
    explanation = blocks.TextBlock(label=_("Explanation"), required=False)

    class Meta:
        icon = "tick"
        label = _("True or false")
        help_text = _("A statement the learner marks true or false.")

    def choices_of(self, value) -> list[dict]:
        return [
            {
                "id": "true",
                "text": str(_("True")),
                "correct": value["answer"] == "true",
                "feedback": value["feedback_true"],
            },
            {
                "id": "false",
                "text": str(_("False")),
                "correct": value["answer"] == "false",
                "feedback": value["feedback_false"],
            },
        ]

    def allows_multiple(self, value) -> bool:
        return False

    def as_question(self, block_id: str, value) -> Question:
        return Question(
            id=block_id,
            choice_ids=("true", "false"),
            correct=frozenset({value["answer"]}),
            multiple=False,
        )


class QuestionsBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    scenario = ScenarioBlock()
