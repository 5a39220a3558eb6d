"""A cohort with a practice circle, and learners in it under circle names."""

import pytest

from courses.models import Cohort
from courses.services import add_learners_to_cohort
from peers import services
from tests.factories import CourseFactory, UserFactory


@pytest.fixture
def course(course_index):
    return CourseFactory(
        parent=course_index, title="Listening well", modules=1, steps=2
    )


@pytest.fixture
def cohort(course):
    return Cohort.objects.create(course=course, name="Spring group", join_code="SPRING")


@pytest.fixture
def circle(cohort):
    return services.circle_for(cohort)


@pytest.fixture
def make_member(circle):
    """A learner enrolled through the cohort who joined its circle as `name`."""

    def make(name: str, *, username: str | None = None, **user_fields):
        user = UserFactory(username=username or f"user-{name.lower()}", **user_fields)
        add_learners_to_cohort(cohort=circle.cohort, usernames=[user.username])
        return services.join_circle(circle=circle, learner=user, circle_name=name)

    return make


@pytest.fixture
def robin(make_member):
    return make_member("Robin")


@pytest.fixture
def sam(make_member):
    return make_member("Sam")


@pytest.fixture
def outsider(course_index):
    """A learner of another course's cohort: in no circle of these tests."""
    return UserFactory(username="outsider")
