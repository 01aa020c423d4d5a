"""Validation of a data file, naming the path in the file and the reason in Swedish."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from uppsikt.governance.words import DEFAULT
from uppsikt.lib.problems import Problem

from . import styrmodell

FORMAT = "uppsikt/1"
CODE_RE = re.compile(r"^\d{4}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

ORG_KINDS = ("riket", "region", "kommun", "extern")
UNIT_KINDS = ("fullmaktige", "styrelse", "namnd", "forvaltning", "kansli", "stab", "enhet")
PLAN_STATUSES = ("utkast", "beslutad", "reviderad")
# A goal's kind is a level of its organisation's styrmodell for the unit's kind
# (``goal_levels``; Region Örebro län's: effektmal, mal, namndmal): a key of this form.
GOAL_KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def default_goal_levels(organisation: str, unit_kind: str | None) -> list[str]:
    """The levels of an organisation without a styrmodell (Region Örebro län's words)."""
    return [key for key, _name in DEFAULT.goal_kind_choices(unit_kind)]


BLOCK_KINDS = ("section", "perspective", "focus_area")


@dataclass
class Checker:
    """Walks the parsed file and collects every problem, so one run names them all."""

    problems: list[Problem] = field(default_factory=list)
    goal_ids: dict[str, str] = field(default_factory=dict)
    goal_refs: list[tuple[str, str]] = field(default_factory=list)
    units: dict[str, set[str]] = field(default_factory=dict)
    unit_refs: list[tuple[str, str, str]] = field(default_factory=list)
    # The goal levels a plan of (organisation code, unit kind) may have; the loader gives
    # the organisations' styrmodeller. Each unit's kind, from the file or the database.
    goal_levels: Callable[[str, str | None], list[str]] = default_goal_levels
    unit_kinds: dict[tuple[str, str], str] = field(default_factory=dict)
    goal_kind_refs: list[tuple[str, str, str, str]] = field(default_factory=list)
    # Goal levels of the styrmodeller the file itself gives (organisation code → levels as
    # (key, unit kinds)): they decide over the database's for that organisation.
    file_levels: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    organisation_code: str = ""
    current_plan: tuple[str, str] = ("", "")

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- primitives -------------------------------------------------------------------
    def mapping(self, value: Any, path: str, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(value, dict):
            self.fail(path, "ska vara en samling nycklar och värden")
            return False
        for key in value:
            if key not in allowed:
                self.fail(f"{path}.{key}", "okänt fält")
        for key in sorted(required):
            if key not in value or value[key] in (None, ""):
                self.fail(f"{path}.{key}", "saknas (obligatoriskt fält)")
        return True

    def text(self, data: dict, key: str, path: str, *, max_length: int | None = None) -> None:
        if key not in data or data[key] is None:
            return
        value = data[key]
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", "ska vara text")
        elif max_length is not None and len(value) > max_length:
            self.fail(f"{path}.{key}", f"får vara högst {max_length} tecken")

    def choice(self, data: dict, key: str, path: str, choices: tuple[str, ...]) -> None:
        if key in data and data[key] is not None and data[key] not in choices:
            self.fail(f"{path}.{key}", f"ska vara ett av: {', '.join(choices)}")

    def year(self, data: dict, key: str, path: str) -> None:
        value = data.get(key)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            self.fail(f"{path}.{key}", "ska vara ett årtal, t.ex. 2023")

    def date(self, data: dict, key: str, path: str) -> None:
        value = data.get(key)
        if value is None or isinstance(value, datetime.date):
            return
        try:
            datetime.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{path}.{key}", "ska vara ett datum på formen ÅÅÅÅ-MM-DD")

    def string_list(self, data: dict, key: str, path: str) -> None:
        value = data.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "ska vara en lista")
            return
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{path}.{key}[{index}]", "ska vara en icke-tom text")

    def items(self, data: dict, key: str, path: str) -> list[tuple[str, Any]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}" if path else key, "ska vara en lista")
            return []
        prefix = f"{path}.{key}" if path else key
        return [(f"{prefix}[{index}]", item) for index, item in enumerate(value)]

    # -- the file ---------------------------------------------------------------------
    def check(self, data: Any) -> list[Problem]:
        if not self.mapping(data, "(filen)", {"format", "organisations", "plans"}, {"format"}):
            return self.problems
        if data.get("format") not in (None, FORMAT):
            self.fail("format", f"okänt format; ska vara {FORMAT}")
        codes: set[str] = set()
        for path, org in self.items(data, "organisations", ""):
            self.organisation(org, path, codes)
        plan_ids: set[str] = set()
        plan_keys: set[tuple] = set()
        for path, plan in self.items(data, "plans", ""):
            self.plan(plan, path, plan_ids, plan_keys)
        for path, org_code, slug in self.unit_refs:
            if slug not in self.units.get(org_code, set()):
                self.fail(path, f"okänd enhet '{slug}' i organisation {org_code}")
        for path, goal_id in self.goal_refs:
            if goal_id not in self.goal_ids:
                self.fail(path, f"okänt mål-id '{goal_id}'")
        self.check_goal_kinds()
        return self.problems

    def check_goal_kinds(self) -> None:
        """Each goal's kind against its organisation's levels for its unit's kind."""
        for path, org, slug, kind in self.goal_kind_refs:
            unit_kind = self.unit_kinds.get((org, slug))
            allowed = self.levels_of(org, unit_kind)
            if kind in allowed:
                continue
            if kind in self.levels_of(org, None):
                self.fail(
                    path,
                    f"målnivån {kind} är inte för enheter av typen {unit_kind}; "
                    f"ska vara en av: {', '.join(allowed)}",
                )
            else:
                self.fail(
                    path, f"okänd målnivå i styrmodellen; ska vara en av: {', '.join(allowed)}"
                )

    def levels_of(self, org: str, unit_kind: str | None) -> list[str]:
        if org in self.file_levels:
            return [
                key
                for key, kinds in self.file_levels[org]
                if not kinds or unit_kind is None or unit_kind in kinds
            ]
        return self.goal_levels(org, unit_kind)

    def organisation(self, org: Any, path: str, codes: set[str]) -> None:
        allowed = {
            "code", "name", "kind", "county_code", "visions", "value_bases", "units", "styrmodell",
        }  # fmt: skip
        if not self.mapping(org, path, allowed, {"code", "name", "kind"}):
            return
        if org.get("styrmodell") is not None:
            before = len(self.problems)
            styrmodell.check(self, org["styrmodell"], f"{path}.styrmodell")
            if len(self.problems) == before and isinstance(org.get("code"), str):
                levels = styrmodell.spec_from_data(org["styrmodell"]).levels
                self.file_levels[org["code"]] = [
                    (level.key, tuple(level.unit_kinds)) for level in levels
                ]
        code = org.get("code")
        if code is not None:
            if not isinstance(code, str) or not CODE_RE.match(code):
                self.fail(f"{path}.code", 'ska vara fyra siffror inom citattecken, t.ex. "0018"')
            elif code in codes:
                self.fail(f"{path}.code", f"koden {code} förekommer mer än en gång")
            codes.add(str(code))
        self.text(org, "name", path, max_length=200)
        self.choice(org, "kind", path, ORG_KINDS)
        county = org.get("county_code")
        if county is not None and (not isinstance(county, str) or not re.match(r"^\d{2}$", county)):
            self.fail(f"{path}.county_code", 'ska vara två siffror inom citattecken, t.ex. "18"')
        for vpath, vision in self.items(org, "visions", path):
            fields = {"text", "description", "decided_on", "decided_by", "source", "note"}
            if self.mapping(vision, vpath, fields, {"text"}):
                for key in ("text", "description", "decided_by", "source", "note"):
                    self.text(vision, key, vpath)
                self.date(vision, "decided_on", vpath)
        for bpath, base in self.items(org, "value_bases", path):
            fields = {"title", "year", "intro", "source", "statements"}
            if self.mapping(base, bpath, fields, {"statements"}):
                for key in ("title", "intro", "source"):
                    self.text(base, key, bpath)
                self.year(base, "year", bpath)
                for spath, statement in self.items(base, "statements", bpath):
                    if self.mapping(statement, spath, {"word", "description"}, {"description"}):
                        self.text(statement, "word", spath, max_length=100)
                        self.text(statement, "description", spath)
        slugs = self.units.setdefault(str(code), set())
        self.organisation_code = str(code)
        known = set(slugs)  # units already in the database may be named again: an update
        for upath, unit in self.items(org, "units", path):
            self.unit(unit, upath, slugs, known)

    def unit(
        self, unit: Any, path: str, slugs: set[str], known: frozenset | set = frozenset()
    ) -> None:
        allowed = {"slug", "name", "kind", "responsibility", "units"}
        if not self.mapping(unit, path, allowed, {"slug", "name", "kind"}):
            return
        slug = unit.get("slug")
        if slug is not None:
            if not isinstance(slug, str) or not SLUG_RE.match(slug):
                self.fail(f"{path}.slug", "får bara innehålla a–z, siffror och bindestreck")
            elif slug in slugs and slug not in known:
                self.fail(f"{path}.slug", f"kortnamnet '{slug}' förekommer mer än en gång")
            slugs.add(str(slug))
        self.text(unit, "name", path, max_length=200)
        self.choice(unit, "kind", path, UNIT_KINDS)
        if isinstance(slug, str) and isinstance(unit.get("kind"), str):
            self.unit_kinds[(self.organisation_code, slug)] = unit["kind"]
        self.text(unit, "responsibility", path)
        for cpath, child in self.items(unit, "units", path):
            self.unit(child, cpath, slugs, known)

    def plan(self, plan: Any, path: str, ids: set[str], keys: set[tuple]) -> None:
        allowed = {
            "id", "organisation", "unit", "year", "horizon_end", "title", "status", "version",
            "decided_by", "decided_on", "example", "source", "note", "blocks", "exemptions",
        }  # fmt: skip
        required = {"organisation", "unit", "year", "title", "status"}
        if not self.mapping(plan, path, allowed, required):
            return
        plan_id = plan.get("id")
        if plan_id is not None:
            if plan_id in ids:
                self.fail(f"{path}.id", f"id '{plan_id}' förekommer mer än en gång")
            ids.add(plan_id)
        org = str(plan.get("organisation"))
        if plan.get("unit") is not None:
            self.unit_refs.append((f"{path}.unit", org, plan["unit"]))
        if plan.get("decided_by") is not None:
            self.unit_refs.append((f"{path}.decided_by", org, plan["decided_by"]))
        self.text(plan, "title", path, max_length=300)
        self.choice(plan, "status", path, PLAN_STATUSES)
        self.year(plan, "year", path)
        self.year(plan, "horizon_end", path)
        year, horizon = plan.get("year"), plan.get("horizon_end")
        if isinstance(year, int) and isinstance(horizon, int) and horizon < year:
            self.fail(f"{path}.horizon_end", "kan inte vara före planens år")
        version = plan.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.fail(f"{path}.version", "ska vara ett positivt heltal")
        key = (org, plan.get("unit"), year, version)
        if key in keys:
            self.fail(path, "samma enhet, år och version förekommer redan i filen")
        keys.add(key)
        self.date(plan, "decided_on", path)
        if plan.get("example") is not None and not isinstance(plan.get("example"), bool):
            self.fail(f"{path}.example", "ska vara true eller false")
        for name in ("source", "note"):
            self.text(plan, name, path)
        self.current_plan = (org, str(plan.get("unit")))
        for bpath, block in self.items(plan, "blocks", path):
            self.block(block, bpath, org)
        for epath, exemption in self.items(plan, "exemptions", path):
            if self.mapping(exemption, epath, {"goal", "reason"}, {"goal", "reason"}):
                self.text(exemption, "goal", epath)
                self.text(exemption, "reason", epath)
                if isinstance(exemption.get("goal"), str):
                    self.goal_refs.append((f"{epath}.goal", exemption["goal"]))

    def block(self, block: Any, path: str, org: str) -> None:
        if not isinstance(block, dict) or len(block) != 1:
            self.fail(path, f"ska ha exakt en av nycklarna {', '.join(BLOCK_KINDS)}")
            return
        ((kind, body),) = block.items()
        inner = f"{path}.{kind}"
        if kind == "section":
            self.section(body, inner, org)
        elif kind == "perspective":
            fields = {
                "number", "name", "description", "responsibilities", "goals", "strategies",
                "sections",
            }  # fmt: skip
            if self.mapping(body, inner, fields, {"name"}):
                self.head(body, inner)
                self.string_list(body, "responsibilities", inner)
                self.children(body, inner, org)
        elif kind == "focus_area":
            fields = {"number", "name", "description", "strategies", "goals", "activities"}
            if self.mapping(body, inner, fields, {"name"}):
                self.head(body, inner)
                self.children(body, inner, org)
        else:
            self.fail(f"{path}.{kind}", f"okänd blocktyp; ska vara en av {', '.join(BLOCK_KINDS)}")

    def head(self, body: dict, path: str) -> None:
        self.text(body, "number", path, max_length=20)
        self.text(body, "name", path, max_length=200)
        self.text(body, "description", path)

    def children(self, body: dict, path: str, org: str) -> None:
        for gpath, goal in self.items(body, "goals", path):
            self.goal(goal, gpath)
        for spath, strategy in self.items(body, "strategies", path):
            self.strategy(strategy, spath, org)
        for spath, section in self.items(body, "sections", path):
            self.section(section, spath, org)
        for apath, activity in self.items(body, "activities", path):
            fields = {"text", "responsible", "contributes_to", "starts_on", "ends_on"}
            if self.mapping(activity, apath, fields, {"text"}):
                self.text(activity, "text", apath)
                self.responsible(activity, apath, org)
                self.references(activity, apath)
                self.date(activity, "starts_on", apath)
                self.date(activity, "ends_on", apath)

    def section(self, body: Any, path: str, org: str) -> None:
        fields = {"number", "heading", "body", "items", "goals", "activities", "note"}
        if not self.mapping(body, path, fields, {"heading"}):
            return
        self.text(body, "number", path, max_length=20)
        self.text(body, "heading", path, max_length=300)
        self.text(body, "body", path)
        self.text(body, "note", path)
        self.string_list(body, "items", path)
        self.children(body, path, org)

    def strategy(self, body: Any, path: str, org: str) -> None:
        fields = {"number", "name", "lead", "statements", "description", "goals", "assignments"}
        if not self.mapping(body, path, fields, set()):
            return
        if not body.get("name") and not body.get("lead"):
            self.fail(f"{path}.name", "en strategi behöver ett namn eller en ingress")
        self.head(body, path)
        self.text(body, "lead", path, max_length=300)
        self.string_list(body, "statements", path)
        for gpath, goal in self.items(body, "goals", path):
            self.goal(goal, gpath)
        for apath, assignment in self.items(body, "assignments", path):
            if self.mapping(assignment, apath, {"text", "responsible"}, {"text"}):
                self.text(assignment, "text", apath)
                self.responsible(assignment, apath, org)

    def responsible(self, data: dict, path: str, org: str) -> None:
        if data.get("responsible") is not None:
            self.unit_refs.append((f"{path}.responsible", org, data["responsible"]))

    def references(self, data: dict, path: str) -> None:
        self.string_list(data, "contributes_to", path)
        refs = data.get("contributes_to")
        if isinstance(refs, list):
            for index, ref in enumerate(refs):
                if isinstance(ref, str):
                    self.goal_refs.append((f"{path}.contributes_to[{index}]", ref))

    def goal(self, goal: Any, path: str) -> None:
        fields = {
            "id", "kind", "number", "text", "description", "contributes_to", "note", "indicators",
        }  # fmt: skip
        if not self.mapping(goal, path, fields, {"kind", "text"}):
            return
        goal_id = goal.get("id")
        if goal_id is not None:
            if not isinstance(goal_id, str):
                self.fail(f"{path}.id", "ska vara text")
            elif goal_id in self.goal_ids:
                self.fail(f"{path}.id", f"id '{goal_id}' används redan i {self.goal_ids[goal_id]}")
            else:
                self.goal_ids[goal_id] = path
        kind = goal.get("kind")
        if kind is not None and (not isinstance(kind, str) or not GOAL_KIND_RE.match(kind)):
            self.fail(
                f"{path}.kind",
                "ska vara en målnivås nyckel (gemena a–z, siffror och understreck)",
            )
        elif kind is not None:
            self.goal_kind_refs.append((f"{path}.kind", *self.current_plan, kind))
        self.text(goal, "number", path, max_length=20)
        for key in ("text", "description", "note"):
            self.text(goal, key, path)
        self.references(goal, path)
        for ipath, indicator in self.items(goal, "indicators", path):
            if self.mapping(indicator, ipath, {"text", "note"}, {"text"}):
                self.text(indicator, "text", ipath)
                self.text(indicator, "note", ipath)
