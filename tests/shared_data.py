"""Data many tests start from, built once and shared by the tests that follow.

Building the site's skeleton (home page, course catalogue, support settings,
the Trainers group) takes about half a second and the demo site several; most
tests start from one or the other. So each is built once, inside a
transaction that stays open while consecutive tests that want the same data
run. Each test's own transaction is a savepoint inside it and rolls back, so
every test starts from the same data. When a test wants other data, or none,
the transaction rolls back and the database is again as migrations left it:
a test sees exactly what its fixtures would have built.

Transactional tests (`django_db(transaction=True)`, `live_server`) commit and
then flush the database, so they share nothing: their fixtures build what
they need, as before.
"""

import io
import sys
from collections.abc import Callable, Sequence

import pytest
from django.core.management import call_command
from django.db import transaction

from home.site_setup import (
    ensure_course_index,
    ensure_home_page,
    ensure_support_settings,
    ensure_trainers_group,
)


def seed_demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())


# The fixtures whose data is shared, in the order their data is built. Each
# builder is the fixture's own `ensure_*` call, which does nothing when the
# data is already there; seed_demo builds the skeleton too.
BUILDERS: dict[str, Callable[[], object]] = {
    "demo": seed_demo,
    "home": ensure_home_page,
    "course_index": lambda: ensure_course_index(ensure_home_page()),
    "support_settings": ensure_support_settings,
    "trainers_group": lambda: ensure_trainers_group(ensure_home_page()),
}

_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
}


def _commits(transaction=False, reset_sequences=False, *args, **kwargs) -> bool:
    """Read `django_db`'s arguments as pytest-django does."""
    return transaction or reset_sequences


def is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs the test in a TransactionTestCase."""
    marker = item.get_closest_marker("django_db")
    if marker and _commits(*marker.args, **marker.kwargs):
        return True
    return bool(_TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def wanted_by(item: pytest.Item) -> tuple[str, ...]:
    """The shared data a test starts from: none for a transactional test."""
    if is_transactional(item):
        return ()
    names = set(getattr(item, "fixturenames", ()))
    return tuple(name for name in BUILDERS if name in names)


def group_by_shared_data(items: list[pytest.Item]) -> None:
    """Run the tests that want the same data one after another.

    pytest-django has already put the non-transactional tests first; the tests
    that share data are all among them, so they move together to where the
    first of them stood, sorted by what they want and otherwise in order.
    """
    sharing = [item for item in items if wanted_by(item)]
    if not sharing:
        return
    first = items.index(sharing[0])
    others = [item for item in items if not wanted_by(item)]
    order = list(BUILDERS)
    sharing.sort(key=lambda item: [order.index(name) for name in wanted_by(item)])
    items[:] = others[:first] + sharing + others[first:]


class SharedData:
    """The data the running tests share, held in a transaction never committed."""

    def __init__(self, django_db_blocker) -> None:
        self._blocker = django_db_blocker
        self._atomic: transaction.Atomic | None = None
        self.names: tuple[str, ...] = ()

    def provide(self, names: Sequence[str]) -> None:
        """Make the database hold what `names` build, on top of the migrations.

        Call it between tests, never inside one: the test's own transaction
        must be a savepoint inside this one.
        """
        names = tuple(names)
        if names == self.names:
            return
        with self._blocker.unblock():
            self._discard()
            if names:
                self._build(names)

    def _build(self, names: tuple[str, ...]) -> None:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for name in names:
                BUILDERS[name]()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
        self._atomic, self.names = atomic, names

    def _discard(self) -> None:
        if self._atomic is None:
            return
        atomic, self._atomic, self.names = self._atomic, None, ()
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
