"""The PDF/UA-1 checker the tests hold every generated PDF to: the ``pdfua`` package.

``problems(data)`` lists every finding (error, warning or info) and every rule the checker
could not evaluate, so an empty list means all of its checks ran and found nothing.

One workaround: pdfua 0.1.3's ``as_integer`` asks ``getattr(value, "is_integer", False)``,
which pikepdf 10 answers for an array (a heading's ``/K``) with a ValueError instead of an
AttributeError; the rule "no empty headings" (UA-14-001) then stops on every tagged PDF and
is reported as not evaluated. ``problems`` runs the rules with ``as_integer`` answering
None for such a value (an array is not an integer), which is what the rule means.
``test_the_pdfua_workaround_is_still_needed`` fails once pdfua no longer needs it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from pdfua import validate
from pdfua.model import Report
from pdfua.rules import structure


def _as_integer(value: object) -> int | None:
    try:
        return _UPSTREAM_AS_INTEGER(value)
    except ValueError:  # pikepdf: "not a Dictionary or Stream: cannot get key '/is_integer'"
        return None


_UPSTREAM_AS_INTEGER = structure.as_integer


@contextmanager
def _integers_answered() -> Iterator[None]:
    with mock.patch.object(structure, "as_integer", _as_integer):
        yield


def report(data: bytes, *, workaround: bool = True) -> Report:
    """pdfua's report on the PDF ``data`` (with the workaround above unless told not to)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        if not workaround:
            return validate(file.name)
        with _integers_answered():
            return validate(file.name)


def problems(data: bytes) -> list[str]:
    """Every finding and every rule not evaluated, one line each ("" if none)."""
    checked = report(data)
    found = [
        f"{f.rule_id} {f.severity.name} {f.location.describe()}: {f.message}"
        for f in checked.findings
    ]
    skipped = [f"{o.rule_id} not evaluated: {o.skipped_reason}" for o in checked.skipped]
    return found + skipped
