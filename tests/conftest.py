import socket
import urllib.request

import pytest
from django.core.cache import cache
from django.utils import translation

from home.site_setup import (
    ensure_course_index,
    ensure_home_page,
    ensure_support_settings,
    ensure_trainers_group,
)

from .factories import PASSWORD, UserFactory
from .shared_data import SharedData, group_by_shared_data, seed_demo, wanted_by

_SHARED = pytest.StashKey[SharedData]()
_WANTED = pytest.StashKey[tuple[str, ...]]()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    group_by_shared_data(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture: switch the shared data to what this test starts from."""
    wanted = wanted_by(item)
    item.config.stash[_WANTED] = wanted
    shared = item.config.stash.get(_SHARED, None)
    if shared is not None:
        shared.provide(wanted)


@pytest.fixture(scope="session")
def shared_data(request, django_db_setup, django_db_blocker):
    """The data tests share (tests/shared_data.py); built before the test's own.

    Session fixtures are set up before function ones, so the first test that
    asks for shared data has it built before its transaction opens.
    """
    shared = SharedData(django_db_blocker)
    request.config.stash[_SHARED] = shared
    shared.provide(request.config.stash[_WANTED])
    yield shared
    shared.provide(())
    del request.config.stash[_SHARED]


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active; the next test is in English."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything tries to open a URL or a socket."""

    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    # PyLD's own loader fetches contexts over HTTP; Circles must never reach it.
    monkeypatch.setattr("pyld.jsonld._default_document_loader", refuse)


@pytest.fixture
def demo(shared_data, db):
    """The demo site as `manage.py seed_demo` builds it."""
    if "demo" not in shared_data.names:
        # A transactional test builds its own, flushed after it.
        seed_demo()


@pytest.fixture
def home(shared_data, db):
    return ensure_home_page()


@pytest.fixture
def course_index(home):
    return ensure_course_index(home)


@pytest.fixture
def support_settings(shared_data, db):
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
