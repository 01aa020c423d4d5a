"""Replace a unit's internkontrollplan for a year with rows from a file, all or nothing.

``import_rows`` validates the whole file first (cells in ``tabular.read_rows``, then against
the database here) and writes nothing when anything is wrong; ``ImportRejected.problems``
names every line, column and reason. On success the unit's own risks and åtgärder become
exactly the file's:

- a risk is identified by its Verksamhet and text, an åtgärd by its risk and text, so rows
  that did not change keep their identity (and their follow-ups and history);
- risks and åtgärder missing from the file are removed, which is refused for any that has
  been followed up;
- columns missing from the file leave those values as they are;
- region-wide risks in a nämnd's file are the region's: they are checked against
  regionstyrelsens plan and not imported (a difference is reported, not ignored).

One audit event records the import (file name and counts), not one per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.control.actions.plans import ASSESSMENT_FIELDS, ensure_control_plan, followups_of
from uppsikt.lib.limits import listed, more_problems
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit

from .models import ControlPlan, Decision, Measure, ProcessArea, Risk, RiskAssessment, scale_for
from .scale import Scale
from .tabular import HEADERS, Problem, RiskSpec, SourceRow, read_rows
from .units import is_namnd, region_owner

ASSESSMENT_COLUMNS = ("likelihood", "consequence", "decision")


class ImportRejected(Exception):
    """The file was rejected; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @property
    def listed(self) -> list[Problem]:
        """The problems to show: the first ones (``lib.limits``), then how many more."""
        shown, more = listed(self.problems)
        return [*shown, Problem("", more_problems(more))] if more else shown


@dataclass
class ImportResult:
    plan: ControlPlan
    counts: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)


def _file_problem(message: str) -> Problem:
    return Problem(_("filen"), message)


def import_rows(
    unit: Unit,
    year: int,
    rows: Iterable[SourceRow],
    *,
    actor: Actor,
    present: set[str],
    file_name: str = "",
    ignored_columns: list[str] | None = None,
    section_number: str = "",
    source: str = "",
    note: str = "",
    requirements: list[str] | None = None,
) -> ImportResult:
    """Validate ``rows`` for ``unit``'s plan of ``year``, then replace the plan with them.

    ``present`` are the fields (``tabular.COLUMNS``) that the file has as columns.
    """
    require(actor, Perm.PLAN, unit)
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        raise ImportRejected([_file_problem(_("Ange ett årtal, t.ex. 2023."))])
    scale = scale_for(unit.organisation_id)
    specs, problems = read_rows(rows, scale)
    given = [name for name in ASSESSMENT_COLUMNS if name in present]
    if given and len(given) != len(ASSESSMENT_COLUMNS):
        problems.append(
            _file_problem(
                _(
                    "Kolumnerna Sannolikhet, Konsekvens och Beslut hör ihop: ta med alla tre eller ingen."
                )
            )
        )
    if not specs and not problems:
        problems.append(_file_problem(_("Filen har inga risker.")))
    check = _Check(unit, year, scale, present)
    own = check.run(specs, problems)
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        plan = ensure_control_plan(
            unit,
            year,
            actor=actor,
            section_number=section_number,
            source=source,
            note=note,
            requirements=requirements,
        )
        counts = _apply(plan, own, present, check, actor)
        counts["regionövergripande från regionstyrelsen"] = check.region_rows
        record(
            actor=actor,
            action="control.plan.import",
            obj=plan,
            after={"file": file_name, "counts": counts, "ignored_columns": ignored_columns or []},
        )
    return ImportResult(plan=plan, counts=counts, ignored_columns=ignored_columns or [])


class _Check:
    """Checks of the parsed file against what the database holds."""

    def __init__(self, unit: Unit, year: int, scale: Scale, present: set[str]):
        self.unit, self.year, self.scale, self.present = unit, year, scale, present
        self.owner = region_owner(unit.organisation_id)
        self.is_owner = self.owner is not None and self.owner.pk == unit.pk
        self.plan = ControlPlan.objects.filter(unit=unit, year=year).first()
        risks = (
            Risk.objects.filter(control_plan=self.plan).select_related("area")
            if self.plan
            else Risk.objects.none()
        )
        self.existing = {(r.area.name, r.text): r for r in risks.prefetch_related("measures")}
        self.assessments = {
            a.risk_id: a for a in RiskAssessment.objects.filter(risk__in=risks, year=year)
        }
        self.region_rows = 0

    def run(self, specs: list[RiskSpec], problems: list[Problem]) -> list[RiskSpec]:
        own = []
        for spec in specs:
            if spec.region_wide and not self.is_owner:
                self._check_region_row(spec, problems)
                continue
            own.append(spec)
            self._check_own(spec, problems)
        kept = {spec.key for spec in own}
        removed = [risk for key, risk in self.existing.items() if key not in kept]
        measures = [m for risk in removed for m in risk.measures.all()]
        for spec in own:
            risk = self.existing.get(spec.key)
            if risk is not None:
                texts = {m.text for m in spec.measures}
                measures += [m for m in risk.measures.all() if m.text not in texts]
        # One problem per åtgärd, however many units and periods followed it up.
        followed: dict[int, dict[str, list[str]]] = {}
        entries = followups_of(measures).select_related("unit", "period")
        for entry in entries.order_by("object_id", "unit__position", "period__ends_on"):
            units = followed.setdefault(entry.object_id, {})
            units.setdefault(str(entry.unit), []).append(entry.period.name)
        for measure in measures:
            if measure.pk not in followed:
                continue
            problems.append(
                _file_problem(
                    _(
                        "Åtgärden ”%(text)s” (risken ”%(risk)s”) saknas i filen men har följts upp "
                        "av %(unit)s och kan inte tas bort."
                    )
                    % {
                        "text": measure,
                        "risk": measure.risk,
                        "unit": ", ".join(
                            f"{unit} ({', '.join(periods)})"
                            for unit, periods in followed[measure.pk].items()
                        ),
                    }
                )
            )
        return own

    def _check_own(self, spec: RiskSpec, problems: list[Problem]) -> None:
        if spec.region_wide and not self.is_owner:  # pragma: no cover - routed elsewhere
            return
        risk = self.existing.get(spec.key)
        if risk is not None and risk.is_region_wide and not spec.region_wide:
            if "region_wide" in self.present:
                others = followups_of(risk.measures.all()).exclude(unit=self.unit)
                if others.exists():
                    problems.append(
                        Problem(
                            spec.where("region_wide"),
                            _(
                                "Andra nämnder har följt upp riskens åtgärder; den kan inte "
                                "längre vara nämndspecifik."
                            ),
                        )
                    )
            else:
                spec.region_wide = True  # column absent: the flag stays
        if risk is not None and not any(name in self.present for name in ASSESSMENT_COLUMNS):
            assessment = self.assessments.get(risk.pk)
            if (
                assessment is not None
                and assessment.decision == Decision.NOT_ACCEPTED
                and not spec.measures
            ):
                problems.append(
                    Problem(
                        spec.where("measure"),
                        _("En risk som inte accepteras ska ha minst en åtgärd."),
                    )
                )

    def _check_region_row(self, spec: RiskSpec, problems: list[Problem]) -> None:
        owner_name = self.owner.name if self.owner else _("styrelsen")
        if not is_namnd(self.unit) or self.owner is None:
            problems.append(
                Problem(
                    spec.where("region_wide"),
                    _(
                        "Regionövergripande risker hör till nämndernas planer och läggs in i %(owner)s plan."
                    )
                    % {"owner": owner_name},
                )
            )
            return
        region = self._region_risk(spec)
        if region is None:
            problems.append(
                Problem(
                    spec.where("risk"),
                    _(
                        "Risken är markerad som regionövergripande men finns inte bland "
                        "%(owner)s regionövergripande risker %(year)s. Regionövergripande risker "
                        "läggs in i %(owner)s plan."
                    )
                    % {"owner": owner_name, "year": self.year},
                )
            )
            return
        self.region_rows += 1
        self._check_as_region_risk(spec, region, owner_name, problems)

    def _region_risk(self, spec: RiskSpec) -> Risk | None:
        """The owner's region-wide risk the row repeats (same area and text), if any."""
        return (
            Risk.objects.filter(
                control_plan__unit=self.owner,
                control_plan__year=self.year,
                is_region_wide=True,
                area__name=spec.area,
                text=spec.text,
            )
            .prefetch_related("measures")
            .first()
        )

    def _check_as_region_risk(
        self, spec: RiskSpec, region: Risk, owner_name: str, problems: list[Problem]
    ) -> None:
        """A nämnd's row of a region-wide risk repeats its åtgärder and, when the file has
        assessment columns, its assessment: both are changed in the owner's plan only."""
        texts = {m.text for m in region.measures.all()}
        if {m.text for m in spec.measures} != texts:
            problems.append(
                Problem(
                    spec.where("measure"),
                    _(
                        "Åtgärderna skiljer sig från den regionövergripande risken i %(owner)s "
                        "plan; ändringar görs där."
                    )
                    % {"owner": owner_name},
                )
            )
        if any(name in self.present for name in ASSESSMENT_COLUMNS):
            assessment = RiskAssessment.objects.filter(risk=region, year=self.year).first()
            stored = (
                (assessment.likelihood, assessment.consequence, assessment.decision)
                if assessment
                else (None, None, None)
            )
            if stored != (spec.likelihood, spec.consequence, spec.decision):
                problems.append(
                    Problem(
                        spec.where("likelihood"),
                        _(
                            "Bedömningen skiljer sig från den regionövergripande riskens i "
                            "%(owner)s plan; den bedöms där."
                        )
                        % {"owner": owner_name},
                    )
                )


RISK_COLUMNS = {"requirements": "requirements", "region_wide": "is_region_wide", "note": "note"}
MEASURE_COLUMNS = ("responsible", "control_method", "frequency", "reported_in")


def _apply(
    plan: ControlPlan, specs: list[RiskSpec], present: set[str], check: _Check, actor: Actor
):
    """Write the checked file: only what changed is saved, in a few bulk queries."""
    counts = dict.fromkeys(
        (
            "risker",
            "nya risker",
            "borttagna risker",
            "åtgärder",
            "nya åtgärder",
            "borttagna åtgärder",
            "bedömningar",
        ),
        0,
    )
    areas = {a.name: a for a in ProcessArea.objects.filter(control_plan=plan)}
    order = list(dict.fromkeys(spec.area for spec in specs))
    for position, name in enumerate(order):
        area = areas.get(name) or ProcessArea(control_plan=plan, name=name)
        if area.pk is None or area.position != position:
            area.position = position
            area.save()
        areas[name] = area
    new, changed = [], []
    positions: dict[str, int] = {}
    pairs: list[tuple[Risk, RiskSpec]] = []
    for spec in specs:
        position = positions[spec.area] = positions.get(spec.area, -1) + 1
        risk = check.existing.get(spec.key)
        wanted = {"area_id": areas[spec.area].pk, "position": position}
        for column, attr in RISK_COLUMNS.items():
            if column in present or risk is None:
                wanted[attr] = (
                    spec.region_wide if column == "region_wide" else getattr(spec, column)
                )
        if risk is None:
            risk = Risk(control_plan=plan, text=spec.text, **wanted)
            new.append(risk)
        elif any(getattr(risk, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(risk, name, value)
            changed.append(risk)
        pairs.append((risk, spec))
    Risk.objects.bulk_create(new)
    Risk.objects.bulk_update(changed, ["area", "position", *RISK_COLUMNS.values()])
    counts["risker"], counts["nya risker"] = len(specs), len(new)
    kept = {risk.pk for risk, _spec in pairs}
    removed = [risk.pk for risk in check.existing.values() if risk.pk not in kept]
    Risk.objects.filter(pk__in=removed).delete()
    counts["borttagna risker"] = len(removed)
    _apply_measures(pairs, present, check, counts)
    if any(name in present for name in ASSESSMENT_COLUMNS):
        counts["bedömningar"] = _apply_assessments(pairs, present, check, actor)
    ProcessArea.objects.filter(control_plan=plan, risks__isnull=True).delete()
    ControlPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    # The import rewrites the plan: every risk (with its åtgärder) gets a new version, so a
    # form opened before it does not overwrite what it brought (``lib.concurrency``).
    Risk.objects.filter(control_plan=plan).update(row_version=F("row_version") + 1)
    return counts


def _apply_measures(pairs, present: set[str], check: _Check, counts: dict) -> None:
    new, changed, removed = [], [], []
    for risk, spec in pairs:
        existing = {}
        if check.existing.get(spec.key) is not None:
            existing = {m.text: m for m in check.existing[spec.key].measures.all()}
        for position, item in enumerate(spec.measures):
            measure = existing.pop(item.text, None)
            wanted = {"position": position}
            for name in MEASURE_COLUMNS:
                if name in present or measure is None:
                    wanted[name] = getattr(item, name)
            if measure is None:
                new.append(Measure(risk=risk, text=item.text, **wanted))
            elif any(getattr(measure, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(measure, name, value)
                measure.row_version += 1
                changed.append(measure)
        removed += [m.pk for m in existing.values()]
        counts["åtgärder"] += len(spec.measures)
    Measure.objects.bulk_create(new)
    Measure.objects.bulk_update(changed, ["position", "row_version", *MEASURE_COLUMNS])
    Measure.objects.filter(pk__in=removed).delete()
    counts["nya åtgärder"], counts["borttagna åtgärder"] = len(new), len(removed)


def _apply_assessments(pairs, present: set[str], check: _Check, actor: Actor) -> int:
    new, changed, removed = [], [], []
    now = timezone.now()
    author = actor if getattr(actor, "pk", None) else None
    for risk, spec in pairs:
        existing = check.assessments.get(risk.pk)
        score = check.scale.score(spec.likelihood, spec.consequence)
        motivation = (
            spec.motivation if "motivation" in present else getattr(existing, "motivation", "")
        )
        values = {
            "likelihood": spec.likelihood,
            "consequence": spec.consequence,
            "score": score,
            "decision": spec.decision,
            "motivation": motivation,
        }
        if score is None and spec.decision is None and not motivation:
            if existing is not None:
                removed.append(existing.pk)
            continue
        if existing is None:
            new.append(
                RiskAssessment(
                    risk=risk, year=check.year, assessed_by=author, assessed_at=now, **values
                )
            )
        elif any(getattr(existing, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(existing, name, value)
            existing.is_example, existing.assessed_by, existing.assessed_at = False, author, now
            changed.append(existing)
    RiskAssessment.objects.bulk_create(new)
    fields = [*ASSESSMENT_FIELDS, "is_example", "assessed_by", "assessed_at"]
    RiskAssessment.objects.bulk_update(changed, fields)
    RiskAssessment.objects.filter(pk__in=removed).delete()
    kept = sum(
        1
        for risk, _spec in pairs
        if risk.pk in check.assessments and check.assessments[risk.pk].pk not in removed
    )
    return kept + len(new)


__all__ = ["HEADERS", "ImportRejected", "ImportResult", "import_rows"]
