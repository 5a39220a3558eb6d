import pytest

from courses.models import CoursePrerequisite
from courses.services import enrol
from tests.factories import CourseFactory, LessonFactory, ModuleFactory


@pytest.fixture
def course(course_index):
    """Two modules of two lessons each: four steps in all."""
    return CourseFactory(
        parent=course_index,
        title="Listening well",
        slug="listening",
        modules=2,
        steps=2,
    )


@pytest.fixture
def steps(course):
    from courses.outline import course_outline

    return list(course_outline(course).steps)


@pytest.fixture
def enrolled(learner, course):
    return enrol(learner=learner, course=course)


@pytest.fixture
def make_course(course_index):
    def make(**kwargs):
        return CourseFactory(parent=course_index, **kwargs)

    return make


__all__ = ["CoursePrerequisite", "LessonFactory", "ModuleFactory"]
