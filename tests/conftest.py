import pytest
from django.core.cache import cache

from home.site_setup import (
    ensure_course_index,
    ensure_home_page,
    ensure_support_settings,
    ensure_trainers_group,
)

from .factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return ensure_home_page()


@pytest.fixture
def course_index(home):
    return ensure_course_index(home)


@pytest.fixture
def support_settings(db):
    return ensure_support_settings()


@pytest.fixture
def trainers_group(home):
    return ensure_trainers_group(home)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def learner(db):
    return UserFactory(username="pseudonym")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def trainer(trainers_group):
    user = UserFactory(username="trainer", is_staff=True)
    user.groups.add(trainers_group)
    return user
