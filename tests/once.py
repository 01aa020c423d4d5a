"""Test data built once for a whole module instead of once per test.

``built_once(django_db_blocker, build)`` is the body of a module-scoped fixture: it opens a
transaction, runs ``build()`` in it and yields what it returns; after the module's last test
the transaction is rolled back. Each test (``django_db``, not transactional) runs in its own
savepoint inside it, as Django's ``TestCase.setUpTestData`` does, so every test meets the same
database as if it had built the data itself. The objects are shared: the module's
function-scoped fixture hands each test ``copy.deepcopy`` of them, so a test that changes an
instance in memory does not change it for the next test.

Only for modules whose tests use the ``db`` fixture (``pytest.mark.django_db`` without
``transaction=True``): a transactional test would empty the tables under the open
transaction. ``fresh_copy`` refuses such a test.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def fresh_copy(request, data: T) -> T:
    """``data`` for one test: a deep copy (model instances and all), checked to be used by a
    test that runs in a savepoint of the module's transaction."""
    marker = request.node.get_closest_marker("django_db")
    assert marker is not None and not marker.kwargs.get("transaction"), (
        f"{request.node.nodeid}: data built once per module needs a non-transactional "
        "django_db test (tests/once.py)"
    )
    request.getfixturevalue("db")
    return copy.deepcopy(data)
