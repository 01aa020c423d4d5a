"""Load a data file: validate all of it, then write all of it in one transaction."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from uppsikt.accounts.commandline import command_line_user
from uppsikt.audit.trail import record
from uppsikt.governance.actions import save_styrmodell
from uppsikt.governance.models import GovernanceModel
from uppsikt.governance.words import styrmodell_for
from uppsikt.lib.typing import Actor
from uppsikt.lib.yamlfile import load_yaml
from uppsikt.organisations.models import Organisation, Unit, ValueBase, ValueStatement, Vision
from uppsikt.plans.models import Plan
from uppsikt.plans.trail import record_in_plan

from . import styrmodell
from .load_plans import PlanWriter
from .schema import FORMAT, Checker, Problem


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


def _record_load(writer: "_Writer", actor: Actor, source: str, replaced: int) -> None:
    """Besides the actions' own events (each plan, object, link and decision): one event per
    plan naming the file and what it holds, in the plan's history, and one per organisation
    naming the file and the counts."""
    reason = f"uppsikt load {source}"
    for plan in writer.plans:
        after = {"fil": source, "status": plan.status, "version": plan.version}
        after["mål"] = plan.goals.count()
        record_in_plan(plan, actor=actor, action="plan.load", obj=plan, after=after, reason=reason)
    counts = {"fil": source, **dict(sorted(writer.counts.items()))}
    if replaced:
        counts["ersatta planer"] = replaced
    for organisation in writer.organisations:
        record(actor=actor, action="data.load", obj=organisation, after=counts, reason=reason)


def _goal_levels(organisations: dict[str, int]) -> Callable[[str, str | None], list[str]]:
    """The goal levels of each organisation's styrmodell (Region Örebro län's words for one
    not yet in the database), for a unit kind."""

    def levels(code: str, unit_kind: str | None) -> list[str]:
        model = styrmodell_for(organisations.get(code))
        return [key for key, _name in model.goal_kind_choices(unit_kind)]

    return levels


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
    ``allow_decided``. The plans are written through the plans app's actions as the command
    line (``load_plans``), each change one audit event in its plan's history. ``audit=False``
    (only for test fixtures: ``uppsikt load`` always writes them) leaves out the loader's own
    events, what ``--replace`` removed and the file's summaries, not the actions' events.
    """
    checker = Checker() if replace else database_checker()
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
        actor = command_line_user()
        writer = _Writer(actor)
        writer.write(data, reason=f"uppsikt load {source}")
        if writer.problems:
            transaction.set_rollback(True)
            raise LoadError(writer.problems)
        if audit:
            _record_load(writer, actor, source, replaced)
    return writer.counts


def database_checker() -> Checker:
    """A checker that knows the database's units and styrmodeller: a file may hang plans
    on units that are already there."""
    checker = Checker()
    for code, slug, kind in Unit.objects.values_list("organisation__code", "slug", "kind"):
        checker.units.setdefault(code, set()).add(slug)
        checker.unit_kinds[(code, slug)] = kind
    checker.goal_levels = _goal_levels(dict(Organisation.objects.values_list("code", "pk")))
    return checker


def write_plans(plans: list[dict], *, actor: Actor, reason: str) -> list[Plan]:
    """Check ``plans`` (entries of a data file's ``plans``) against the database and write
    them through the plans app's actions as ``actor``, whose rights each action checks;
    call inside a transaction. Every problem, the checker's or an action's refusal, is
    raised together as ``LoadError`` and the transaction should then be rolled back."""
    problems = database_checker().check({"format": FORMAT, "plans": plans})
    if problems:
        raise LoadError(problems)
    writer = PlanWriter(actor=actor, units={}, counts={})
    writer.write(plans, reason=reason)
    if writer.problems:
        raise LoadError(writer.problems)
    return writer.plans


class _Writer:
    """Organisations, their visions, värdegrunder and units are written here (they are not
    plan content); the plans go through the plans app's actions (``load_plans``)."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.counts: dict[str, int] = {}
        self.organisations: list[Organisation] = []
        self.units: dict[tuple[str, str], Unit] = {}
        self.plan_writer = PlanWriter(actor=actor, units=self.units, counts=self.counts)

    @property
    def problems(self) -> list[Problem]:
        return self.plan_writer.problems

    @property
    def plans(self) -> list[Plan]:
        return self.plan_writer.plans

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def write(self, data: dict, *, reason: str) -> None:
        for index, org_data in enumerate(data.get("organisations") or []):
            self.organisation(org_data)
            if org_data.get("styrmodell") is not None:
                path = f"organisations[{index}].styrmodell"
                self.styrmodell(self.organisations[-1], org_data["styrmodell"], path)
        self.plan_writer.write(data.get("plans") or [], reason=reason)
        for plan in self.plans:
            if plan.unit.organisation not in self.organisations:
                self.organisations.append(plan.unit.organisation)

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

    def styrmodell(self, org: Organisation, data: dict, path: str) -> None:
        """Store the organisation's styrmodell as its administrator would (the command line
        holds every right); a model the database already holds is left as it is."""
        spec = styrmodell.spec_from_data(data)
        model = GovernanceModel.objects.filter(organisation=org).first()
        if model is not None and styrmodell.dump(model) == styrmodell.dump_spec(spec):
            return
        try:
            save_styrmodell(org, spec, actor=self.actor)
        except ValidationError as error:  # e.g. goals in the database on a level it lacks
            self.problems.extend(styrmodell.problems_of(error, path))
            return
        self.count("styrmodeller")

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


def _date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
