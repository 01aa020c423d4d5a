"""Writing a data file's plans through the plans app's actions: the one write path.

The file has been checked whole (``schema.Checker``). Each plan is made with
``authoring.create_plan``, each object in it with ``parts.add_part``, each "bidrar till"
with ``cascade.link_goal`` (an aktivitet's goals with ``cascade.set_activity_goals``), and a
plan the file gives as decided is decided with ``versions.decide_plan``. So every change is
one audit event in the plan's history, exactly as from the editing pages and the API, and
the actions' rules hold for loaded plans too (a goal's text unique in its plan, a link not
to another organisation, a later year or the same plan). A refusal becomes a ``Problem``
naming the path in the file; the caller then rolls back everything.

Order: plans are written version by version, each version in file order. A link is made
once both goals exist and while the linking plan is still a draft (the actions refuse to
change a decided plan), so decisions come as late as they can: a plan is decided just
before its next version in the file is made (only the newest version can be decided), and
otherwise after all plans are written. A decided plan's status follows from its versions,
as in the browser: the first decided version is *beslutad*, a later one *reviderad*.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model

from uppsikt.lib.problems import Problem
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions.authoring import create_plan
from uppsikt.plans.actions.cascade import exempt_goal, link_goal, set_activity_goals
from uppsikt.plans.actions.parts import add_part
from uppsikt.plans.actions.versions import decide_plan
from uppsikt.plans.models import Activity, Goal, Perspective, Plan

DECIDED = ("beslutad", "reviderad")
LATER = (
    "kan inte kopplas: målet kommer senare i filen än nästa version av den här planen, som "
    "måste beslutas först. Lägg planen med målet före i filen."
)


@dataclass
class _Entry:
    """One plan of the file: where it is, what it became, what it still has to do."""

    index: int
    data: dict
    plan: Plan | None = None
    links: list[tuple[Model, list[str], str]] = field(default_factory=list)
    finished: bool = False

    @property
    def path(self) -> str:
        return f"plans[{self.index}]"

    @property
    def key(self) -> tuple[str, str, Any]:
        return (str(self.data["organisation"]), self.data["unit"], self.data["year"])


class PlanWriter:
    """Writes the ``plans`` of a checked file; ``problems`` collects what the actions refused."""

    def __init__(
        self, *, actor: Actor, units: dict[tuple[str, str], Unit], counts: dict[str, int]
    ) -> None:
        self.actor = actor
        self.units = units
        self.counts = counts
        self.problems: list[Problem] = []
        self.plans: list[Plan] = []
        self.goals_by_id: dict[str, Goal] = {}
        self.reason = ""
        self.org = ""
        self.position = 0
        self.entry = _Entry(-1, {})  # the plan being written

    def count(self, name: str, number: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + number

    def refused(self, path: str, error: ValidationError) -> None:
        """Each message of an action's refusal as a problem at ``path`` (and its field)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                where = path if name == NON_FIELD_ERRORS else f"{path}.{name}"
                self.problems.extend(Problem(where, message) for message in messages)
        else:
            self.problems.extend(Problem(path, message) for message in error.messages)

    # -- the order ----------------------------------------------------------------------
    def write(self, plans: list[dict], *, reason: str) -> None:
        self.reason = reason
        entries = [_Entry(index, data) for index, data in enumerate(plans)]
        entries.sort(key=lambda entry: (entry.data.get("version", 1), entry.index))
        newest: dict[tuple[str, str, Any], _Entry] = {}
        for entry in entries:
            earlier = newest.get(entry.key)
            if earlier is not None:
                self.finish(earlier, final=False)
            newest[entry.key] = entry
            self.create(entry)
        for entry in entries:
            self.finish(entry, final=True)

    def finish(self, entry: _Entry, *, final: bool) -> None:
        """Make the plan's links, then decide it if the file says it is decided."""
        if entry.finished or entry.plan is None:
            return
        entry.finished = True
        for obj, refs, path in entry.links:
            self.link(obj, refs, path, final=final)
        for index, exemption in enumerate(entry.data.get("exemptions") or []):
            self.exempt(entry, exemption, f"{entry.path}.exemptions[{index}]", final=final)
        if entry.data["status"] in DECIDED:
            self.decide(entry)

    def link(self, obj: Model, refs: list[str], path: str, *, final: bool) -> None:
        found = [(index, self.goals_by_id.get(ref)) for index, ref in enumerate(refs)]
        if not final:  # the goal may come later, when this plan can no longer change
            for index, goal in found:
                if goal is None:
                    self.problems.append(Problem(f"{path}.contributes_to[{index}]", LATER))
        goals = [(index, goal) for index, goal in found if goal is not None]
        if isinstance(obj, Activity):
            try:
                set_activity_goals(obj, [goal for _index, goal in goals], actor=self.actor)
            except ValidationError as error:
                self.refused(path, error)
            return
        assert isinstance(obj, Goal)
        for index, goal in goals:
            try:
                link_goal(obj, goal, actor=self.actor)
            except ValidationError as error:
                for message in error.messages:
                    self.problems.append(Problem(f"{path}.contributes_to[{index}]", message))

    def exempt(self, entry: _Entry, data: dict, path: str, *, final: bool) -> None:
        """A "berör inte enheten" answer to a goal above (``cascade.exempt_goal``)."""
        assert entry.plan is not None
        goal = self.goals_by_id.get(data["goal"])
        if goal is None:
            if not final:
                self.problems.append(Problem(f"{path}.goal", LATER))
            return
        try:
            exempt_goal(entry.plan, goal, actor=self.actor, reason=data["reason"])
        except ValidationError as error:
            self.refused(path, error)
        else:
            self.count("exemptions")

    def decide(self, entry: _Entry) -> None:
        assert entry.plan is not None
        slug = entry.data.get("decided_by")
        try:
            decide_plan(
                entry.plan,
                actor=self.actor,
                decided_by=self.units.get((str(entry.data["organisation"]), slug))
                if slug
                else None,
                decided_on=_date(entry.data.get("decided_on")),
                reason=self.reason,
                allow_unknown=True,
            )
        except ValidationError as error:
            self.refused(entry.path, error)

    # -- a plan and its content ---------------------------------------------------------
    def unit(self, org: str, slug: str) -> Unit | None:
        if not any(code == org for code, _slug in self.units):
            for known in Unit.objects.filter(organisation__code=org):
                self.units[(org, known.slug)] = known
        return self.units.get((org, slug))

    def create(self, entry: _Entry) -> None:
        data, path = entry.data, entry.path
        self.org = str(data["organisation"])
        unit = self.unit(self.org, data["unit"])
        if unit is None:
            self.problems.append(Problem(f"{path}.unit", f"okänd enhet i organisation {self.org}"))
            return
        version = data.get("version", 1)
        if Plan.objects.filter(unit=unit, year=data["year"], version=version).exists():
            self.problems.append(
                Problem(
                    path, "planen finns redan i databasen (ladda med --replace för att ersätta)"
                )
            )
            return
        try:
            entry.plan = create_plan(
                unit,
                data["year"],
                actor=self.actor,
                title=data["title"],
                horizon_end=data.get("horizon_end"),
                is_example=bool(data.get("example", False)),
                note=data.get("note") or "",
                source_document=data.get("source") or "",
                version=version,
                standard_perspectives=False,  # the file's own are written below
            )
        except ValidationError as error:
            self.refused(path, error)
            return
        self.count("plans")
        self.plans.append(entry.plan)
        self.position = 0
        self.entry = entry
        for index, block in enumerate(data.get("blocks") or []):
            ((kind, body),) = block.items()
            where = f"{path}.blocks[{index}].{kind}"
            if kind == "section":
                self.section(entry.plan, body, where, perspective=None)
            elif kind == "perspective":
                self.perspective(entry.plan, body, where)
            else:
                self.focus_area(entry.plan, body, where)

    def add(self, plan: Plan, kind: str, path: str, counter: str, /, **fields: Any) -> Any:
        """``parts.add_part`` at the next position; None (and a problem) when refused."""
        self.position += 1
        try:
            obj = add_part(plan, kind, actor=self.actor, position=self.position, **fields)
        except ValidationError as error:
            self.refused(path, error)
            return None
        self.count(counter)
        return obj

    def responsible(self, data: dict) -> Unit | None:
        slug = data.get("responsible")
        return self.units.get((self.org, slug)) if slug else None

    def perspective(self, plan: Plan, data: dict, path: str) -> None:
        perspective = self.add(
            plan,
            "perspective",
            path,
            "perspectives",
            number=data.get("number") or "",
            name=data["name"],
            description=data.get("description") or "",
            responsibilities=data.get("responsibilities") or [],
        )
        if perspective is None:
            return
        scope = {"perspective": perspective}
        for index, goal in enumerate(data.get("goals") or []):
            self.goal(plan, goal, f"{path}.goals[{index}]", scope)
        for index, strategy in enumerate(data.get("strategies") or []):
            self.strategy(plan, strategy, f"{path}.strategies[{index}]", scope)
        for index, section in enumerate(data.get("sections") or []):
            self.section(plan, section, f"{path}.sections[{index}]", perspective=perspective)

    def focus_area(self, plan: Plan, data: dict, path: str) -> None:
        area = self.add(
            plan,
            "focus_area",
            path,
            "focus_areas",
            number=data.get("number") or "",
            name=data["name"],
            description=data.get("description") or "",
        )
        if area is None:
            return
        scope = {"focus_area": area}
        for index, strategy in enumerate(data.get("strategies") or []):
            self.strategy(plan, strategy, f"{path}.strategies[{index}]", scope)
        for index, goal in enumerate(data.get("goals") or []):
            self.goal(plan, goal, f"{path}.goals[{index}]", scope)
        for index, activity in enumerate(data.get("activities") or []):
            self.activity(plan, activity, f"{path}.activities[{index}]", scope)

    def section(
        self, plan: Plan, data: dict, path: str, *, perspective: Perspective | None
    ) -> None:
        section = self.add(
            plan,
            "section",
            path,
            "sections",
            perspective=perspective,
            number=data.get("number") or "",
            heading=data["heading"],
            body=data.get("body") or "",
            items=data.get("items") or [],
            note=data.get("note") or "",
        )
        if section is None:
            return
        scope = {"section": section, "perspective": perspective}
        for index, goal in enumerate(data.get("goals") or []):
            self.goal(plan, goal, f"{path}.goals[{index}]", scope)
        for index, activity in enumerate(data.get("activities") or []):
            self.activity(plan, activity, f"{path}.activities[{index}]", {"section": section})

    def strategy(self, plan: Plan, data: dict, path: str, scope: dict) -> None:
        strategy = self.add(
            plan,
            "strategy",
            path,
            "strategies",
            number=data.get("number") or "",
            name=data.get("name") or "",
            lead=data.get("lead") or "",
            statements=data.get("statements") or [],
            description=data.get("description") or "",
            **scope,
        )
        if strategy is None:
            return
        for index, goal in enumerate(data.get("goals") or []):
            self.goal(plan, goal, f"{path}.goals[{index}]", {**scope, "strategy": strategy})
        for index, assignment in enumerate(data.get("assignments") or []):
            self.add(
                plan,
                "assignment",
                f"{path}.assignments[{index}]",
                "assignments",
                perspective=scope.get("perspective"),
                strategy=strategy,
                text=assignment["text"],
                responsible=self.responsible(assignment),
            )

    def goal(self, plan: Plan, data: dict, path: str, scope: dict) -> None:
        goal = self.add(
            plan,
            "goal",
            path,
            "goals",
            kind=data["kind"],
            number=str(data.get("number") or ""),
            text=data["text"],
            description=data.get("description") or "",
            note=data.get("note") or "",
            **{key: value for key, value in scope.items() if value is not None},
        )
        if goal is None:
            return
        if data.get("id"):
            self.goals_by_id[data["id"]] = goal
        if data.get("contributes_to"):
            self.entry.links.append((goal, data["contributes_to"], path))
        for index, item in enumerate(data.get("indicators") or []):
            try:
                add_part(
                    plan,
                    "indicator",
                    actor=self.actor,
                    goal=goal,
                    position=index,
                    text=item["text"],
                    note=item.get("note") or "",
                )
            except ValidationError as error:
                self.refused(f"{path}.indicators[{index}]", error)
            else:
                self.count("indicators")

    def activity(self, plan: Plan, data: dict, path: str, scope: dict) -> None:
        activity = self.add(
            plan,
            "activity",
            path,
            "activities",
            text=data["text"],
            responsible=self.responsible(data),
            starts_on=_date(data.get("starts_on")),
            ends_on=_date(data.get("ends_on")),
            **scope,
        )
        if activity is not None and data.get("contributes_to"):
            self.entry.links.append((activity, data["contributes_to"], path))


def _date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
