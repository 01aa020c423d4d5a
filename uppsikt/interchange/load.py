"""Load a data file: validate all of it, then write all of it in one transaction."""

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import ProtectedError

from uppsikt.accounts.commandline import command_line_user
from uppsikt.audit.trail import record
from uppsikt.lib.yamlfile import load_yaml
from uppsikt.organisations.models import Organisation, Unit, ValueBase, ValueStatement, Vision
from uppsikt.plans.models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
    Plan,
    Section,
    Strategy,
)

from .schema import Checker, Problem


class LoadError(Exception):
    """The file was rejected; ``problems`` names every path and reason. Nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def load_file(
    path: str | Path, *, replace: bool = False, allow_decided: bool = False, audit: bool = True
) -> dict[str, int]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise LoadError([Problem(str(path), f"filen kan inte läsas ({exc.strerror})")]) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
        raise LoadError([Problem(where, "filen är inte kodad som UTF-8")]) from exc
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else "(filen)"
        reason = getattr(exc, "problem", None) or "ogiltig YAML"
        raise LoadError([Problem(where, f"ogiltig YAML: {reason}")]) from exc
    return load_data(
        data, replace=replace, allow_decided=allow_decided, source=str(path), audit=audit
    )


def _decided_plans_refused(decided: list[Plan]) -> LoadError:
    names = "; ".join(
        f"{plan} (version {plan.version}, {plan.get_status_display()})" for plan in decided
    )
    return LoadError(
        [
            Problem(
                "(databasen)",
                f"--replace skulle ta bort {len(decided)} beslutade planer: {names}. En beslutad "
                "plan ändras genom en ny version med eget beslut. Ange --allow-decided om de "
                "ändå ska ersättas; det skrivs i ändringsloggen.",
            )
        ]
    )


def _record_removed_plans(plans: list[Plan], source: str) -> None:
    """What ``--replace`` removes, in the audit trail before it goes."""
    for plan in plans:
        record(
            actor=command_line_user(),
            action="plan.replace",
            obj=plan,
            before={
                "title": plan.title,
                "status": plan.status,
                "version": plan.version,
                "decided_on": _json_date(plan.decided_on),
                "mål": plan.goals.count(),
            },
            reason=f"uppsikt load --replace {source}",
        )


def _json_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _record_load(writer: "_Writer", source: str, replaced: int) -> None:
    """One event per plan and goal made (their history starts with the file) and one per
    organisation naming the file and the counts."""
    actor = command_line_user()
    reason = f"uppsikt load {source}"
    for plan in writer.plans:
        after = {"fil": source, "status": plan.status, "version": plan.version}
        after["mål"] = plan.goals.count()
        record(actor=actor, action="plan.load", obj=plan, after=after, reason=reason)
    for goal in writer.goals:
        record(
            actor=actor,
            action="goal.load",
            obj=goal,
            after={"number": goal.number, "text": goal.text, "fil": source},
            reason=reason,
        )
    counts = {"fil": source, **dict(sorted(writer.counts.items()))}
    if replaced:
        counts["ersatta planer"] = replaced
    for organisation in writer.organisations:
        record(actor=actor, action="data.load", obj=organisation, after=counts, reason=reason)


def load_data(
    data: Any,
    *,
    replace: bool = False,
    allow_decided: bool = False,
    source: str = "(data)",
    audit: bool = True,
) -> dict[str, int]:
    """Validate ``data`` (the parsed file) and write it; returns counts of what was made.

    With ``replace`` every organisation and plan goes first; a decided plan only with
    ``allow_decided``. What is removed and what is made is written to the audit trail
    (``audit=False`` only for test fixtures: ``uppsikt load`` always writes it).
    """
    checker = Checker()
    if not replace:  # a file may hang plans on units that are already in the database
        for code, slug in Unit.objects.values_list("organisation__code", "slug"):
            checker.units.setdefault(code, set()).add(slug)
    problems = checker.check(data)
    if problems:
        raise LoadError(problems)
    with transaction.atomic():
        replaced = 0
        if replace:
            plans = list(Plan.objects.select_related("unit").order_by("pk"))
            decided = [plan for plan in plans if plan.status in Plan.PUBLISHED_STATUSES]
            if decided and not allow_decided:
                raise _decided_plans_refused(decided)
            if audit:
                _record_removed_plans(plans, source)
            replaced = len(plans)
            try:
                Plan.objects.all().delete()
                while Unit.objects.exists():  # leaves first: a unit protects its children
                    Unit.objects.filter(children__isnull=True).delete()
                Organisation.objects.all().delete()
            except ProtectedError as exc:
                kinds = sorted(
                    {str(obj._meta.verbose_name_plural) for obj in exc.protected_objects}
                )
                raise LoadError(
                    [
                        Problem(
                            "(databasen)",
                            "--replace kan inte ta bort planer och enheter som annan data hänger "
                            f"på ({', '.join(str(k) for k in kinds)}). Töm databasen först "
                            "(uppsikt flush) eller läs in utan --replace.",
                        )
                    ]
                ) from exc
        writer = _Writer()
        writer.write(data)
        if writer.problems:
            transaction.set_rollback(True)
            raise LoadError(writer.problems)
        if audit:
            _record_load(writer, source, replaced)
    return writer.counts


class _Writer:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.counts: dict[str, int] = {}
        self.organisations: list[Organisation] = []
        self.plans: list[Plan] = []
        self.goals: list[Goal] = []
        self.units: dict[tuple[str, str], Unit] = {}
        self.goals_by_id: dict[str, Goal] = {}
        self.pending: list[tuple[Any, list[str]]] = []
        self.position = 0

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def next_position(self) -> int:
        self.position += 1
        return self.position

    def write(self, data: dict) -> None:
        for org_data in data.get("organisations") or []:
            self.organisation(org_data)
        for index, plan_data in enumerate(data.get("plans") or []):
            self.plan(plan_data, f"plans[{index}]")
        for obj, refs in self.pending:
            obj.contributes_to.set([self.goals_by_id[ref] for ref in refs])

    def organisation(self, data: dict) -> None:
        org, _created = Organisation.objects.update_or_create(
            code=data["code"],
            defaults={
                "name": data["name"],
                "kind": data["kind"],
                "county_code": data.get("county_code") or "",
            },
        )
        self.count("organisations")
        self.organisations.append(org)
        for unit in Unit.objects.filter(organisation=org):
            self.units[(org.code, unit.slug)] = unit
        for position, vision in enumerate(data.get("visions") or []):
            Vision.objects.create(
                organisation=org,
                position=position,
                text=vision["text"],
                description=vision.get("description") or "",
                decided_on=_date(vision.get("decided_on")),
                decided_by=vision.get("decided_by") or "",
                source=vision.get("source") or "",
                note=vision.get("note") or "",
            )
            self.count("visions")
        for position, base_data in enumerate(data.get("value_bases") or []):
            base = ValueBase.objects.create(
                organisation=org,
                position=position,
                title=base_data.get("title") or "Värdegrund",
                year=base_data.get("year"),
                intro=base_data.get("intro") or "",
                source=base_data.get("source") or "",
            )
            ValueStatement.objects.bulk_create(
                ValueStatement(
                    value_base=base,
                    position=index,
                    word=statement.get("word") or "",
                    description=statement["description"],
                )
                for index, statement in enumerate(base_data["statements"])
            )
            self.count("value_bases")
        counter = [0]
        for unit_data in data.get("units") or []:
            self.unit(org, None, unit_data, counter)

    def unit(self, org: Organisation, parent: Unit | None, data: dict, counter: list[int]) -> None:
        counter[0] += 1
        unit, _created = Unit.objects.update_or_create(
            organisation=org,
            slug=data["slug"],
            defaults={
                "parent": parent,
                "name": data["name"],
                "kind": data["kind"],
                "responsibility": data.get("responsibility") or "",
                "position": counter[0],
            },
        )
        self.units[(org.code, unit.slug)] = unit
        self.count("units")
        for child in data.get("units") or []:
            self.unit(org, unit, child, counter)

    def plan(self, data: dict, path: str) -> None:
        org = str(data["organisation"])
        if not any(code == org for code, _slug in self.units):
            for known in Unit.objects.filter(organisation__code=org):
                self.units[(org, known.slug)] = known
        unit = self.units.get((org, data["unit"]))
        if unit is None:
            self.problems.append(Problem(f"{path}.unit", f"okänd enhet i organisation {org}"))
            return
        version = data.get("version", 1)
        if Plan.objects.filter(unit=unit, year=data["year"], version=version).exists():
            self.problems.append(
                Problem(
                    path, "planen finns redan i databasen (ladda med --replace för att ersätta)"
                )
            )
            return
        decided_by = self.units.get((org, data["decided_by"])) if data.get("decided_by") else None
        plan = Plan.objects.create(
            unit=unit,
            year=data["year"],
            horizon_end=data.get("horizon_end"),
            title=data["title"],
            status=data["status"],
            version=version,
            decided_by=decided_by,
            decided_on=_date(data.get("decided_on")),
            is_example=bool(data.get("example", False)),
            source=data.get("source") or "",
            note=data.get("note") or "",
        )
        self.count("plans")
        self.plans.append(plan)
        if unit.organisation not in self.organisations:
            self.organisations.append(unit.organisation)
        self.org = org
        self.position = 0
        for block in data.get("blocks") or []:
            ((kind, body),) = block.items()
            if kind == "section":
                self.section(plan, body, perspective=None)
            elif kind == "perspective":
                self.perspective(plan, body)
            else:
                self.focus_area(plan, body)

    def responsible(self, data: dict) -> Unit | None:
        slug = data.get("responsible")
        return self.units.get((self.org, slug)) if slug else None

    def perspective(self, plan: Plan, data: dict) -> None:
        perspective = Perspective.objects.create(
            plan=plan,
            position=self.next_position(),
            number=data.get("number") or "",
            name=data["name"],
            description=data.get("description") or "",
            responsibilities=data.get("responsibilities") or [],
        )
        self.count("perspectives")
        scope = {"perspective": perspective}
        for goal in data.get("goals") or []:
            self.goal(plan, goal, scope)
        for strategy in data.get("strategies") or []:
            self.strategy(plan, strategy, scope)
        for section in data.get("sections") or []:
            self.section(plan, section, perspective=perspective)

    def focus_area(self, plan: Plan, data: dict) -> None:
        area = FocusArea.objects.create(
            plan=plan,
            position=self.next_position(),
            number=data.get("number") or "",
            name=data["name"],
            description=data.get("description") or "",
        )
        self.count("focus_areas")
        scope = {"focus_area": area}
        for strategy in data.get("strategies") or []:
            self.strategy(plan, strategy, scope)
        for goal in data.get("goals") or []:
            self.goal(plan, goal, scope)
        for activity in data.get("activities") or []:
            self.activity(plan, activity, scope)

    def section(self, plan: Plan, data: dict, *, perspective: Perspective | None) -> None:
        section = Section.objects.create(
            plan=plan,
            position=self.next_position(),
            perspective=perspective,
            number=data.get("number") or "",
            heading=data["heading"],
            body=data.get("body") or "",
            items=data.get("items") or [],
            note=data.get("note") or "",
        )
        self.count("sections")
        scope = {"section": section, "perspective": perspective}
        for goal in data.get("goals") or []:
            self.goal(plan, goal, scope)
        for activity in data.get("activities") or []:
            self.activity(plan, activity, {"section": section})

    def strategy(self, plan: Plan, data: dict, scope: dict) -> None:
        strategy = Strategy.objects.create(
            plan=plan,
            position=self.next_position(),
            number=data.get("number") or "",
            name=data.get("name") or "",
            lead=data.get("lead") or "",
            statements=data.get("statements") or [],
            description=data.get("description") or "",
            **scope,
        )
        self.count("strategies")
        for goal in data.get("goals") or []:
            self.goal(plan, goal, {**scope, "strategy": strategy})
        for assignment in data.get("assignments") or []:
            Assignment.objects.create(
                plan=plan,
                position=self.next_position(),
                perspective=scope.get("perspective"),
                strategy=strategy,
                text=assignment["text"],
                responsible=self.responsible(assignment),
            )
            self.count("assignments")

    def goal(self, plan: Plan, data: dict, scope: dict) -> None:
        goal = Goal.objects.create(
            plan=plan,
            position=self.next_position(),
            kind=data["kind"],
            number=str(data.get("number") or ""),
            text=data["text"],
            description=data.get("description") or "",
            note=data.get("note") or "",
            **{key: value for key, value in scope.items() if value is not None},
        )
        self.count("goals")
        self.goals.append(goal)
        if data.get("id"):
            self.goals_by_id[data["id"]] = goal
        if data.get("contributes_to"):
            self.pending.append((goal, data["contributes_to"]))
        Indicator.objects.bulk_create(
            Indicator(goal=goal, position=index, text=item["text"], note=item.get("note") or "")
            for index, item in enumerate(data.get("indicators") or [])
        )
        self.counts["indicators"] = self.counts.get("indicators", 0) + len(
            data.get("indicators") or []
        )

    def activity(self, plan: Plan, data: dict, scope: dict) -> None:
        activity = Activity.objects.create(
            plan=plan,
            position=self.next_position(),
            text=data["text"],
            responsible=self.responsible(data),
            **scope,
        )
        self.count("activities")
        if data.get("contributes_to"):
            self.pending.append((activity, data["contributes_to"]))


def _date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
