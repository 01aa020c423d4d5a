"""The internkontrollplan data file (format ``uppsikt-internkontroll/1``): reviewable YAML.

It holds what a source document says — areas, risks, åtgärder — and is loaded through the
same checks and writes as an XLSX import (``importing.import_rows``), so both formats obey
the same rules. Every plan of the file is validated before any is written; problems are
named by path (``plans[0].areas[2].risks[0].text``). See docs/control.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.lib.typing import Actor
from uppsikt.lib.yamlfile import load_yaml
from uppsikt.organisations.models import Unit

from .importing import ImportRejected, import_rows
from .tabular import CellError, Problem, SourceRow, parse_requirements

FORMAT = "uppsikt-internkontroll/1"
PLAN_KEYS = {"unit", "year", "section", "source", "note", "requirements", "reported_in", "areas"}
AREA_KEYS = {"name", "risks"}
RISK_KEYS = {"text", "requirements", "region_wide", "note", "measures"}
MEASURE_KEYS = {"text", "responsible", "control_method", "frequency", "reported_in"}
# The fields the data file gives; assessments are not in it, so loading leaves them alone.
PRESENT = {
    "area",
    "risk",
    "requirements",
    "region_wide",
    "note",
    "measure",
    "responsible",
    "control_method",
    "frequency",
    "reported_in",
}


def load_control_file(path: str | Path, *, actor: Actor) -> dict[str, int]:
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportRejected([Problem(str(path), _("filen kan inte läsas"))]) from exc
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ImportRejected(
            [Problem(str(path), _("ogiltig YAML eller inte UTF-8: %(e)s") % {"e": exc})]
        ) from exc
    return load_control_data(data, actor=actor, file_name=Path(path).name)


def load_control_data(data: Any, *, actor: Actor, file_name: str = "") -> dict[str, int]:
    """Validate the file's structure, then import each plan; all plans or none."""
    return import_plans(read_plans(data), actor=actor, file_name=file_name)


def read_plans(data: Any) -> list[tuple[Unit, int, dict, list[SourceRow]]]:
    """The file's plans as (unit, year, options, rows) for ``importing.import_rows``;
    ``ImportRejected`` names every problem of the file's structure."""
    problems: list[Problem] = []
    plans = _read(data, problems)
    if problems:
        raise ImportRejected(problems)
    return plans


def import_plans(plans: list, *, actor: Actor, file_name: str = "") -> dict[str, int]:
    """Import each plan read by ``read_plans`` (``import_rows``: replacing the unit's plan
    for the year); all plans or none, every plan's problems named."""
    totals = {"planer": 0, "risker": 0, "åtgärder": 0}
    with transaction.atomic():
        collected: list[Problem] = []
        for unit, year, options, rows in plans:
            try:
                result = import_rows(
                    unit, year, rows, actor=actor, present=PRESENT, file_name=file_name, **options
                )
            except ImportRejected as rejected:
                collected.extend(rejected.problems)
                continue
            totals["planer"] += 1
            totals["risker"] += result.counts["risker"]
            totals["åtgärder"] += result.counts["åtgärder"]
        if collected:
            transaction.set_rollback(True)
            raise ImportRejected(collected)
    return totals


def _mapping(value: Any, path: str, allowed: set[str], required: set[str], problems) -> bool:
    if not isinstance(value, dict):
        problems.append(Problem(path, _("ska vara en mappning (nyckel: värde)")))
        return False
    for key in sorted(set(value) - allowed, key=str):
        problems.append(Problem(f"{path}.{key}", _("okänd nyckel")))
    for key in sorted(required - set(value)):
        problems.append(Problem(f"{path}.{key}", _("saknas")))
    return True


def _list(value: Any, path: str, problems) -> list:
    if not isinstance(value, list) or not value:
        problems.append(Problem(path, _("ska vara en lista med minst ett element")))
        return []
    return value


def _read(data: Any, problems: list[Problem]):
    if not _mapping(
        data, "(filen)", {"format", "organisation", "plans"}, {"format", "plans"}, problems
    ):
        return []
    if data.get("format") != FORMAT:
        problems.append(Problem("format", _("ska vara %(f)s") % {"f": FORMAT}))
    code = str(data.get("organisation", ""))
    units = {unit.slug: unit for unit in Unit.objects.filter(organisation__code=code)}
    if not units:
        problems.append(
            Problem("organisation", _("ingen organisation med koden ”%(c)s”") % {"c": code})
        )
    out = []
    for index, plan in enumerate(_list(data.get("plans"), "plans", problems)):
        path = f"plans[{index}]"
        if not _mapping(plan, path, PLAN_KEYS, {"unit", "year", "areas"}, problems):
            continue
        unit = units.get(plan.get("unit"))
        if unit is None and units:
            problems.append(
                Problem(f"{path}.unit", _("ingen enhet ”%(u)s”") % {"u": plan.get("unit")})
            )
        year = plan.get("year")
        if not isinstance(year, int) or not 1900 <= year <= 2200:
            problems.append(Problem(f"{path}.year", _("ska vara ett årtal, t.ex. 2023")))
        default_reported = plan.get("reported_in", [])
        rows = _rows(plan, path, default_reported, problems)
        requirements = plan.get("requirements") or []
        try:
            requirements = parse_requirements(", ".join(map(str, requirements)))
        except CellError as exc:
            problems.append(Problem(f"{path}.requirements", str(exc)))
            requirements = []
        options = {
            "section_number": str(plan.get("section", "")),
            "source": str(plan.get("source", "")),
            "note": str(plan.get("note", "")),
            "requirements": requirements,
        }
        if unit is not None:
            out.append((unit, year, options, rows))
    return out


def _rows(plan: dict, path: str, default_reported: Any, problems) -> list[SourceRow]:
    rows: list[SourceRow] = []
    for a_index, area in enumerate(_list(plan.get("areas"), f"{path}.areas", problems)):
        a_path = f"{path}.areas[{a_index}]"
        if not _mapping(area, a_path, AREA_KEYS, {"name", "risks"}, problems):
            continue
        for r_index, risk in enumerate(_list(area.get("risks"), f"{a_path}.risks", problems)):
            r_path = f"{a_path}.risks[{r_index}]"
            if not _mapping(risk, r_path, RISK_KEYS, {"text"}, problems):
                continue
            base = {
                "area": area.get("name"),
                "risk": risk.get("text"),
                "requirements": ", ".join(map(str, risk.get("requirements") or [])),
                "region_wide": "Ja" if risk.get("region_wide") else "Nej",
                "note": risk.get("note", ""),
            }
            paths = {"area": f"{a_path}.name", "risk": f"{r_path}.text"}
            paths |= {name: f"{r_path}.{key}" for name, key in _RISK_PATHS.items()}
            measures = risk.get("measures") or []
            if not isinstance(measures, list):
                problems.append(Problem(f"{r_path}.measures", _("ska vara en lista")))
                measures = []
            if not measures:
                rows.append(SourceRow(values={**base, "measure": None}, locate=_locator(paths)))
            for m_index, measure in enumerate(measures):
                m_path = f"{r_path}.measures[{m_index}]"
                if not _mapping(measure, m_path, MEASURE_KEYS, {"text"}, problems):
                    continue
                reported = measure.get("reported_in", default_reported) or []
                values = {
                    **base,
                    "measure": measure.get("text"),
                    "responsible": measure.get("responsible", ""),
                    "control_method": measure.get("control_method", ""),
                    "frequency": measure.get("frequency", ""),
                    "reported_in": ", ".join(map(str, reported)),
                }
                m_paths = paths | {
                    name: f"{m_path}.{name if name != 'measure' else 'text'}"
                    for name in (
                        "measure",
                        "responsible",
                        "control_method",
                        "frequency",
                        "reported_in",
                    )
                }
                rows.append(SourceRow(values=values, locate=_locator(m_paths)))
    return rows


_RISK_PATHS = {"requirements": "requirements", "region_wide": "region_wide", "note": "note"}


def _locator(paths: dict[str, str]):
    def locate(name: str) -> str:
        return paths.get(name, paths["risk"])

    return locate
