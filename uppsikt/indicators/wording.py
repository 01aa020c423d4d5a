"""The words of an assessment's reasons: periods, organisations and the gender flag.

Reasons read as plain Swedish: an organisation by its name ("riket" inside a sentence,
"Riket" at its start, "Region Örebro län"), never by its code; a period in words ("2022",
"tertial 1 2023", "juli 2023"); a value kept apart from its period by parentheses when a
reason compares periods ("22 326 (2022) mot 22 054 (2021)").
"""

from collections.abc import Iterable

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .periods import Period, parse_period

RIKET = "0000"
WOMEN, MEN = "K", "M"


def period_words(period: Period | str) -> str:
    """A period in a sentence: "2022", "tertial 1 2023", "juli 2023"."""
    parsed = parse_period(period) if isinstance(period, str) else period
    if parsed.kind == "month":
        return _("%(month)s %(year)s") % {"month": MONTHS[parsed.number], "year": parsed.year}
    return parsed.label


def periods_words(periods: Iterable[Period | str]) -> str:
    """Several periods: "2022, 2023 och juli 2023"."""
    words = [period_words(period) for period in periods]
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s och %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def organisation_words(code: str, name: str = "", *, start: bool = False) -> str:
    """An organisation in a sentence: its name, never its code.

    Riket is "riket" inside a sentence and "Riket" at its start; another organisation is its
    name ("Region Örebro län"), or "jämförelseorganisationen" when the name is not known.
    """
    words = _("riket") if code == RIKET else name or _("jämförelseorganisationen")
    return words[:1].upper() + words[1:] if start else words


def gender_flag_text(lagging: Iterable[str] | None = ()) -> str:
    """The flag shown beside an indicator's assessment when the total meets the target but
    kvinnor (K) or män (M) do not: "Kvinnor når inte målet (totalen gör det)".

    Without ``lagging`` (a result stored before the groups were kept) it names neither."""
    groups = set(lagging or ())
    if groups == {WOMEN}:
        return _("Kvinnor når inte målet (totalen gör det)")
    if groups == {MEN}:
        return _("Män når inte målet (totalen gör det)")
    if groups == {WOMEN, MEN}:
        return _("Varken kvinnor eller män når målet (totalen gör det)")
    return _("Kvinnor eller män når inte målet (totalen gör det)")


def goal_gender_flag_text(rows: Iterable[dict]) -> str:
    """The flag shown beside a goal's assessment when one or more of its indicators carry a
    gender flag (``rows``: the results as stored, ``IndicatorResult.to_data``); "" when none.

    "1 indikator är uppfylld totalt men inte för kvinnor"."""
    flagged = [row for row in rows if row.get("gender_flag")]
    if not flagged:
        return ""
    groups = {group for row in flagged for group in row.get("gender_lagging") or ()}
    if any(not row.get("gender_lagging") for row in flagged) or groups == {WOMEN, MEN}:
        whom = _("kvinnor eller män")
    else:
        whom = _("kvinnor") if groups == {WOMEN} else _("män")
    return ngettext(
        "%(count)s indikator är uppfylld totalt men inte för %(whom)s",
        "%(count)s indikatorer är uppfyllda totalt men inte för %(whom)s",
        len(flagged),
    ) % {"count": len(flagged), "whom": whom}
