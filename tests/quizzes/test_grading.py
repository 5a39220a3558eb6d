"""grade() is a pure function: properties that must hold for any quiz and answers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.grading import InvalidAnswers, Question, check_answers, grade

ids = st.text(alphabet="abcdefgh", min_size=1, max_size=4)


@st.composite
def quizzes(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    questions = []
    for n in range(count):
        choices = tuple(f"q{n}c{i}" for i in range(draw(st.integers(2, 5))))
        multiple = draw(st.booleans())
        if multiple:
            correct = draw(st.sets(st.sampled_from(choices), min_size=1))
        else:
            correct = {draw(st.sampled_from(choices))}
        questions.append(
            Question(
                id=f"q{n}",
                choice_ids=choices,
                correct=frozenset(correct),
                multiple=multiple,
            )
        )
    return questions


@st.composite
def quiz_and_answers(draw):
    questions = draw(quizzes())
    answers = {}
    for q in questions:
        if draw(st.booleans()):
            answers[q.id] = draw(st.sets(st.sampled_from(q.choice_ids)))
    return questions, answers


@given(quiz_and_answers())
def test_score_is_a_percentage_between_0_and_100(case):
    questions, answers = case
    result = grade(questions, answers)
    assert 0 <= result.score <= 100
    assert result.score == (100 * result.right) // len(questions)


@given(quiz_and_answers(), st.randoms())
def test_grading_does_not_depend_on_question_or_choice_order(case, rnd):
    questions, answers = case
    shuffled = list(questions)
    rnd.shuffle(shuffled)
    reordered = {k: list(v)[::-1] for k, v in reversed(list(answers.items()))}
    assert grade(questions, answers).score == grade(shuffled, reordered).score


@given(quizzes())
def test_choosing_exactly_the_correct_answers_scores_100(questions):
    result = grade(questions, {q.id: q.correct for q in questions})
    assert result.score == 100
    assert result.passed(100)


@given(quizzes(), st.data())
def test_a_multiple_choice_question_is_right_only_for_the_exact_set(questions, data):
    q = questions[0]
    chosen = data.draw(st.sets(st.sampled_from(q.choice_ids)))
    result = grade([q], {q.id: chosen})
    assert result.questions[0].is_right == (chosen == q.correct)


def test_a_superset_of_the_right_answers_is_not_right():
    q = Question(
        id="q", choice_ids=("a", "b", "c"), correct=frozenset("ab"), multiple=True
    )
    assert grade([q], {"q": {"a", "b", "c"}}).score == 0
    assert grade([q], {"q": {"a"}}).score == 0
    assert grade([q], {"q": {"b", "a"}}).score == 100


def test_unanswered_questions_count_as_not_right():
    qs = [
        Question(id=str(n), choice_ids=("a", "b"), correct=frozenset("a"))
        for n in range(3)
    ]
    result = grade(qs, {"0": {"a"}})
    assert result.score == 33
    assert not result.passed(80)


def test_rounding_never_grants_a_pass():
    qs = [
        Question(id=str(n), choice_ids=("a", "b"), correct=frozenset("a"))
        for n in range(6)
    ]
    answers = {str(n): {"a"} for n in range(4)}  # 4 of 6 = 66.67 %
    assert grade(qs, answers).score == 66
    assert not grade(qs, answers).passed(67)


@pytest.mark.parametrize(
    "answers, problem",
    [
        ({"x": ["a"], "1": ["a"]}, "not part of the quiz"),
        ({"1": ["z"]}, "does not offer"),
        ({"1": ["a", "b"]}, "Choose one answer"),
        ({}, "Please choose an answer"),
    ],
)
def test_check_answers_names_each_problem(answers, problem):
    qs = [Question(id="1", choice_ids=("a", "b"), correct=frozenset("a"))]
    with pytest.raises(InvalidAnswers) as error:
        check_answers(qs, answers)
    assert any(problem in str(message) for message in error.value.problems.values())
