"""Search across every kind of object in the plans a user may see.

Matching folds case and diacritics on both sides (``fold``): "örebro", "ÖREBRO" and
"orebro" all find "Örebro". The database does the folding through ``Folded``: on SQLite a
Python function registered on every connection (``register_sqlite_functions``, see
``apps.py``), on PostgreSQL ``TRANSLATE(LOWER(...))``. List fields stored as JSON (a
strategy's statements, a section's bullet list) are matched in Python, as JSON escapes
non-ASCII letters.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import CharField, Func, Q
from django.utils.translation import gettext as _

from .models import Activity, Assignment, FocusArea, Goal, Indicator, Plan, Section, Strategy

MAX_RESULTS = 200
SQLITE_FOLD = "UPPSIKT_FOLD"
# Letters PostgreSQL's TRANSLATE maps after LOWER: the same result as ``fold`` for these.
_ACCENTED = "åäöéèêëáàâãíìîïóòôõúùûüýÿçñæø"
_PLAIN = "aaoeeeeaaaaiiiioooouuuuyycnao"


_QUICK = tuple(zip(_ACCENTED, _PLAIN, strict=True))


def fold(value: str) -> str:
    """Lower case without diacritics: ``fold("Örebro län") == "orebro lan"``.

    Text whose letters are ASCII or among ``_ACCENTED`` once case-folded (nearly all
    Swedish text) is translated in one step, the same result as decomposing it, and
    several times faster (the catalogue search folds every KPI's description; a loop of
    ``replace`` is faster than ``str.translate`` here)."""
    quick = value.casefold()
    for accented, plain in _QUICK:
        if accented in quick:
            quick = quick.replace(accented, plain)
    if quick.isascii():
        return quick
    return _decomposed(value)


def _decomposed(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.replace("æ", "a").replace("ø", "o")


class Folded(Func):
    """``fold`` in the database."""

    function = SQLITE_FOLD
    arity = 1
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = f"TRANSLATE(LOWER(%(expressions)s), '{_ACCENTED}', '{_PLAIN}')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        create = connection.connection.create_function
        # SQLite's LOWER() folds ASCII only, so "Hälsa" would miss "hälsa" elsewhere.
        create(
            "LOWER",
            1,
            lambda value: value.lower() if isinstance(value, str) else value,
            deterministic=True,
        )
        create(
            SQLITE_FOLD,
            1,
            lambda value: fold(value) if isinstance(value, str) else value,
            deterministic=True,
        )


@dataclass
class SearchHit:
    kind: str
    text: str
    plan: Plan
    url: str

    @property
    def unit(self):
        return self.plan.unit


def _contains(needle: str, *fields: str) -> tuple[dict, Q]:
    """Annotations and a condition: any of ``fields`` contains ``needle`` once folded."""
    annotations = {f"folded_{index}": Folded(field) for index, field in enumerate(fields)}
    condition = Q()
    for name in annotations:
        condition |= Q(**{f"{name}__contains": needle})
    return annotations, condition


def _matching(model, needle: str, plans, *fields: str, plan_path: str = "plan"):
    annotations, condition = _contains(needle, *fields)
    return (
        model.objects.annotate(**annotations)
        .filter(condition, **{f"{plan_path}__in": plans})
        .select_related(f"{plan_path}__unit__organisation")
    )


def _in_list(needle: str, items) -> str | None:
    """The first item of a JSON list that contains ``needle``."""
    for item in items or ():
        if isinstance(item, str) and needle in fold(item):
            return item
    return None


def _anchor(plan: Plan, kind: str, pk: int) -> str:
    """A place on the plan page (the ids ``plans/node.html`` gives its blocks)."""
    return f"{plan.get_absolute_url()}#{kind}-{pk}"


def _place_of(obj) -> str:
    """The nearest block of the plan page that shows an uppdrag or an aktivitet."""
    for kind in ("focus_area", "section", "strategy"):
        pk = getattr(obj, f"{kind}_id", None)
        if pk:
            return _anchor(obj.plan, kind, pk)
    return obj.plan.get_absolute_url()


def search_plans(query: str, user) -> list[SearchHit]:
    """Every goal, indicator, strategy, uppdrag, prioriterat område, aktivitet and section
    of the plans ``user`` may read (the public: decided plans only) that mentions ``query``."""
    needle = fold(query.strip())
    if not needle:
        return []
    plans = Plan.objects.visible_to(user)
    hits: list[SearchHit] = []
    for goal in _matching(Goal, needle, plans, "text", "description"):
        text = goal.text if needle in fold(goal.text) else goal.description
        hits.append(SearchHit(str(goal.label), text, goal.plan, goal.get_absolute_url()))
    indicators = _matching(Indicator, needle, plans, "text", plan_path="goal__plan")
    for indicator in indicators.select_related("goal__plan__unit__organisation"):
        goal = indicator.goal
        hits.append(SearchHit(_("Indikator"), indicator.text, goal.plan, goal.get_absolute_url()))
    for area in _matching(FocusArea, needle, plans, "name", "description"):
        text = area.name if needle in fold(area.name) else area.description
        url = _anchor(area.plan, "focus_area", area.pk)
        hits.append(SearchHit(_("Prioriterat område"), text, area.plan, url))
    hits.extend(_strategies(needle, plans))
    for model, label in ((Assignment, _("Uppdrag")), (Activity, _("Aktivitet"))):
        for obj in _matching(model, needle, plans, "text"):
            hits.append(SearchHit(label, obj.text, obj.plan, _place_of(obj)))
    hits.extend(_sections(needle, plans))
    return hits[:MAX_RESULTS]


def _strategies(needle: str, plans) -> list[SearchHit]:
    hits = []
    strategies = Strategy.objects.filter(plan__in=plans).select_related("plan__unit__organisation")
    for strategy in strategies:
        text = next(
            (
                value
                for value in (strategy.name, strategy.lead, strategy.description)
                if value and needle in fold(value)
            ),
            None,
        ) or _in_list(needle, strategy.statements)
        if text:
            url = _anchor(strategy.plan, "strategy", strategy.pk)
            hits.append(SearchHit(_("Strategi"), text, strategy.plan, url))
    return hits


def _sections(needle: str, plans) -> list[SearchHit]:
    annotations, condition = _contains(needle, "heading", "body")
    sections = (
        Section.objects.annotate(**annotations)
        .filter(condition | ~Q(items=[]), plan__in=plans)
        .select_related("plan__unit__organisation")
    )
    hits = []
    for section in sections:
        if not (
            needle in fold(section.heading)
            or needle in fold(section.body)
            or _in_list(needle, section.items)
        ):
            continue
        url = _anchor(section.plan, "section", section.pk)
        hits.append(SearchHit(_("Avsnitt"), str(section), section.plan, url))
    return hits
