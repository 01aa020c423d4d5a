"""Each distinct text of a CSV file's columns judged once: what both set-based CSV paths
(``pgcsv`` on the raw rows in PostgreSQL, ``columnar`` on the rows read by Arrow) and the
file's fingerprint (``fingerprints``) share.

A verdict is ``(raw, result, flag, code, message)``: the text as written, what it stands for
(a definition or organisation id, a period, a kön, a status, a source), the indicator's
"per kön" flag, and the problem's code and Swedish message (``None`` when valid). The same
functions (``validation._Validator``) judge them as the row-by-row path judges each row.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .rows import _text, read_value
from .validation import _Validator

# The columns judged by their distinct texts (the value column is judged by its pattern).
LOOKED_UP = ("indicator", "organisation", "period", "gender", "status", "source")
# ``rows._PLAIN_NUMBER`` for PostgreSQL and Arrow ($ is the end of the text in both, as \Z
# in Python).
PLAIN_NUMBER = "^-?[0-9]{1,12}(,[0-9]{1,4})?$"


def verdict(validator: _Validator, name: str, raw: str | None) -> tuple:
    """(raw, result, flag, code, message) for one distinct text of one column."""
    if name == "source":
        source = (_text(raw) if raw is not None else "") or ""
        if len(source) > 200:
            return (raw, None, None, "too_long", _("Källan är längre än 200 tecken."))
        return (raw, source, None, None, None)
    result, problem = validator._field(name, raw)
    if problem is not None:
        return (raw, None, None, problem[1], problem[2])
    if name == "indicator":
        return (raw, result[0], result[1], None, None)
    return (raw, result, None, None, None)


def number(raw: str) -> tuple:
    """The verdict on a value that is not a plain number (``PLAIN_NUMBER``)."""
    if not raw.strip():
        return (raw, None, None, "missing", _("Värde saknas."))
    try:
        return (raw, read_value(raw), None, None, None)
    except ValueError as error:
        return (raw, None, None, "bad_number", str(error))


def for_fingerprint(validator: _Validator, verdicts: dict[str, list]) -> dict[str, list]:
    """Every column's verdicts as the fingerprint keeps them (JSON lists); a column the file
    lacks has the verdict on "no value"."""
    return {
        name: [list(v) for v in verdicts.get(name, [verdict(validator, name, None)])]
        for name in LOOKED_UP
    }


def same(validator: _Validator, verdicts: dict) -> bool:
    """Whether every distinct text of an earlier import gets the same verdict today."""
    return all(
        list(verdict(validator, name, judged[0])) == judged
        for name, texts in verdicts.items()
        for judged in texts
    )
