"""Intern styrning och kontroll in the generated reports (``reports.sections``).

For each unit in a report the section holds:

- the follow-up of the internkontrollplan: a summary of the åtgärder's statuses (a chart
  and its table), then per verksamhet each risk (riskvärde, beslut) with its åtgärder as
  followed up in the period — status, comment, avvikelser and what is done about them;
- a table of every avvikelse found;
- the unit's **ISK-bedömning**, in the year-end periods (verksamhetsberättelse,
  årsredovisning) or wherever the period holds one;
- for regionstyrelsen (the organisation's styrelse), the **samlad bedömning**: the units'
  bedömningar side by side, the proposal and its rule, and the confirmed judgement.

The åtgärder are the items the follow-up scope gives the unit (``control.scope``), so the
report shows exactly what the follow-up form and the submission rule count.
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from uppsikt.control.actions.followup import YEAR_END_KINDS
from uppsikt.followup.models import FollowUp
from uppsikt.followup.scope import Item
from uppsikt.followup.statuses import WorkStatus, status_label
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.reports.content.common import (
    comment_block,
    day,
    entry_facts,
    entry_status,
    example_note,
    status_counts,
)
from uppsikt.reports.document import (
    Cell,
    Column,
    Entry,
    Example,
    Facts,
    Row,
    Section,
    Status,
    Table,
    Text,
)
from uppsikt.reports.sections import ReportContext

from .models import Deviation, Sufficiency
from .queries import IskRow, overall_assessment, unit_assessment, year_end_period
from .queries.plans import RiskRow
from .units import ASSESSING_KINDS, region_owner

NOT_FOLLOWED = "inte_uppfoljd"
SUFFICIENCY_SYMBOLS = {
    Sufficiency.SUFFICIENT.value: ("●", "good"),
    Sufficiency.PARTLY.value: ("◐", "partial"),
    Sufficiency.INSUFFICIENT.value: ("○", "bad"),
}
LEGEND_GROUP = gettext_lazy("ISK-bedömning")


def count_words(n: int) -> str:
    return ngettext(
        "%(n)s åtgärd i internkontrollplanen", "%(n)s åtgärder i internkontrollplanen", n
    )


def _risk_facts(risk: RiskRow) -> list[tuple[str, str]]:
    facts = []
    if risk.score is not None:
        value = _("%(score)s, %(level)s (sannolikhet %(l)s × konsekvens %(c)s)") % {
            "score": risk.score,
            "level": risk.level_label.lower(),
            "l": f"{risk.likelihood} {risk.likelihood_label}".strip(),
            "c": f"{risk.consequence} {risk.consequence_label}".strip(),
        }
    else:
        value = _("Inte bedömd")
    if risk.is_example and risk.score is not None:
        value += " " + _("(exempel)")
    facts.append((_("Riskvärde"), value))
    if risk.decision:
        facts.append((_("Beslut"), risk.decision_label))
    if risk.requirement_labels:
        facts.append((_("Krav"), "; ".join(risk.requirement_labels)))
    if risk.is_region_wide:
        facts.append((_("Regionövergripande"), _("Ja, följs upp av varje nämnd för sig")))
    return facts


def _measure_entry(
    ctx: ReportContext, item: Item, entry: FollowUp | None, deviations: list[Deviation]
) -> Entry:
    measure = item.target
    facts = []
    for label, value in (
        (_("Ansvarig enligt planen"), measure.responsible),
        (_("Kontrollmoment"), measure.control_method),
        (_("Frekvens"), measure.frequency),
    ):
        if value:
            facts.append((label, value))
    for number, deviation in enumerate(deviations, 1):
        facts.append((_("Avvikelse %(n)s") % {"n": number}, deviation.found))
        facts.append(
            (
                _("Hantering av avvikelse %(n)s") % {"n": number},
                deviation.handling or _("Ingen hantering angiven"),
            )
        )
        if deviation.is_example:
            ctx.example(_("avvikelser"))
    if entry is not None and not deviations:
        facts.append((_("Avvikelser"), _("Inga")))
    return Entry(
        measure.text,
        entry_status(measure, entry, _("Status")),
        comment_block(entry),
        facts + entry_facts(entry),
        example_note(ctx, entry) is not None,
    )


def _summary(items: list[Item], entries: dict, unit: Unit) -> list:
    counts = Counter((e.status or None) if (e := entries.get(i.key)) else None for i in items)
    note = (
        _("Statusarna är exempeldata.")
        if any(entry.is_example for entry in entries.values())
        else ""
    )
    blocks: list = [
        status_counts(
            [
                *((value, str(label)) for value, label in WorkStatus.choices),
                (None, _("Ingen status angiven")),
            ],
            counts,
            title=_("Åtgärdernas status, antal åtgärder"),
            caption=_("Åtgärdernas status, antal åtgärder (%(unit)s)") % {"unit": unit.name},
            sheet=_("IK status %(unit)s") % {"unit": unit.name},
            heading=_("Status"),
            counted=_("Antal åtgärder"),
            missing=NOT_FOLLOWED,
            example=note,
        )
    ]
    blocks.append(
        Table(
            _("Åtgärderna och deras status (%(unit)s)") % {"unit": unit.name},
            [Column(_("Verksamhet")), Column(_("Åtgärd")), Column(_("Status"))],
            [
                Row(
                    [
                        Cell(item.extra["area"]),
                        Cell(item.title),
                        Cell(
                            status_label(item.target, entry.status)
                            if entry and entry.status
                            else _("Ingen status angiven"),
                            status=(entry.status if entry and entry.status else NOT_FOLLOWED),
                        ),
                    ]
                )
                for item in items
                for entry in [entries.get(item.key)]
            ],
            sheet=_("IK åtgärder %(unit)s") % {"unit": unit.name},
            example=note,
        )
    )
    return blocks


def _followup_sections(ctx: ReportContext, unit: Unit, items: list[Item]) -> tuple[list, list]:
    entries = {item.key: entry for item in items if (entry := ctx.entry(item)) is not None}
    deviations: dict[int, list[Deviation]] = {}
    for deviation in Deviation.objects.filter(
        followup__in=[entry.pk for entry in entries.values()]
    ).order_by("position", "pk"):
        deviations.setdefault(deviation.followup_id, []).append(deviation)
    blocks: list = [
        Text(
            _(
                "%(unit)s följer upp %(count)s i %(period)s. Varje åtgärd redovisas med status, "
                "kommentar och de avvikelser som upptäckts."
            )
            % {
                "unit": unit.name,
                "count": count_words(len(items)) % {"n": len(items)},
                "period": ctx.period.name,
            }
        )
    ]
    blocks += _summary(items, entries, unit)
    areas, examples = _areas(ctx, items, entries, deviations)
    if examples:
        ctx.example(_("riskbedömningar"))
        blocks.append(Example(_("Riskvärden och beslut märkta ”exempel” är exempeldata.")))
    per_risk = Section(_("Uppföljning per risk och åtgärd"), [], areas)
    found = Section(_("Avvikelser"), _deviation_blocks(unit, items, entries, deviations))
    return blocks, [per_risk, found]


def _areas(
    ctx: ReportContext, items: list[Item], entries: dict, deviations: dict[int, list[Deviation]]
) -> tuple[list[Section], bool]:
    """A section per risk area: each risk once with its facts, then each åtgärd's follow-up;
    and whether any risk is example data."""
    areas: dict[str, Section] = {}
    shown_risks: set[int] = set()
    examples = False
    for item in items:
        risk: RiskRow = item.extra["risk"]
        area = areas.get(item.extra["area"])
        if area is None:
            area = areas[item.extra["area"]] = Section(item.extra["area"], [], in_toc=False)
        if risk.pk not in shown_risks:
            shown_risks.add(risk.pk)
            area.blocks.append(Text(risk.text, "subheading"))
            area.blocks.append(Facts(_risk_facts(risk)))
            examples = examples or risk.is_example
        entry = entries.get(item.key)
        found = deviations.get(entry.pk, []) if entry else []
        area.blocks.append(_measure_entry(ctx, item, entry, found))
    return list(areas.values()), examples


def _deviation_blocks(
    unit: Unit, items: list[Item], entries: dict, deviations: dict[int, list[Deviation]]
) -> list:
    """The avvikelser found in the follow-up as one table, or a line saying there were none."""
    rows = [
        Row([Cell(item.title), Cell(deviation.found), Cell(deviation.handling)])
        for item in items
        if (entry := entries.get(item.key)) is not None
        for deviation in deviations.get(entry.pk, [])
    ]
    if not rows:
        return [Text(_("Inga avvikelser har rapporterats i uppföljningen."))]
    return [
        Table(
            _("Avvikelser vid uppföljningen (%(unit)s)") % {"unit": unit.name},
            [Column(_("Åtgärd")), Column(_("Avvikelse")), Column(_("Vad som görs"))],
            rows,
            sheet=_("IK avvikelser %(unit)s") % {"unit": unit.name},
            example=_("Avvikelserna är exempeldata.")
            if any(d.is_example for found in deviations.values() for d in found)
            else "",
        )
    ]


def _isk_period(ctx: ReportContext) -> ReportingPeriod:
    """The period whose ISK-bedömningar the report shows: its own, or at year end the
    year's ISK period (the verksamhetsberättelse's bedömning in the årsredovisning)."""
    if ctx.period.kind in YEAR_END_KINDS:
        return year_end_period(ctx.period.organisation_id, ctx.period.year) or ctx.period
    return ctx.period


def _isk_status(label: str, row: IskRow) -> list:
    detail = ", ".join(part for part in (row.decided_by, day(row.decided_at)) if part)
    blocks: list = [Status(label, row.level, row.level_label, detail)]
    if row.motivation:
        blocks.append(Text(_("Motivering: %(text)s") % {"text": row.motivation}))
    return blocks


def _isk_section(ctx: ReportContext, unit: Unit) -> Section | None:
    row = unit_assessment(unit, ctx.period, user=ctx.user)
    period = ctx.period
    if row is None and ctx.period.kind in YEAR_END_KINDS:
        period = _isk_period(ctx)
        row = unit_assessment(unit, period, user=ctx.user) if period else None
    if row is None:
        if ctx.period.kind not in YEAR_END_KINDS or unit.kind not in ASSESSING_KINDS:
            return None
        return Section(
            _("ISK-bedömning"),
            [
                Status(_("Bedömning"), None, _("Ingen ISK-bedömning är gjord")),
                Text(
                    _(
                        "%(unit)s bedömer vid årets slut om den interna styrningen och kontrollen "
                        "har varit tillräcklig."
                    )
                    % {"unit": unit.name},
                    "muted",
                ),
            ],
        )
    blocks = _isk_status(_("Bedömning"), row)
    if period.pk != ctx.period.pk:
        blocks.append(Text(_("Bedömningen gjordes i %(name)s.") % {"name": period.name}, "muted"))
    if row.is_example:
        ctx.example(_("ISK-bedömningar"))
        blocks.append(Example(_("ISK-bedömningen är exempeldata.")))
    return Section(_("ISK-bedömning"), blocks)


def _overall_section(ctx: ReportContext, unit: Unit) -> Section | None:
    owner = region_owner(unit.organisation_id)
    if owner is None or owner.pk != unit.pk:
        return None
    period = _isk_period(ctx)
    overall = overall_assessment(unit.organisation, period, user=ctx.user)
    if overall.confirmed is None and ctx.period.kind not in YEAR_END_KINDS:
        return None
    rows, examples = _unit_assessments(overall)
    blocks: list = [
        Text(
            _(
                "%(unit)s gör en samlad bedömning av den interna styrningen och kontrollen utifrån "
                "nämndernas och förvaltningarnas ISK-bedömningar."
            )
            % {"unit": unit.name}
        ),
        Table(
            _("ISK-bedömningar per enhet, %(name)s") % {"name": period.name},
            [Column(_("Enhet")), Column(_("ISK-bedömning")), Column(_("Motivering"))],
            rows,
            sheet=_("ISK-bedömningar"),
        ),
        Status(
            _("Förslag enligt regeln"),
            overall.proposal.level,
            overall.proposal.label,
        ),
        Text(overall.proposal.reason, "muted"),
    ]
    blocks += _confirmed(overall)
    examples = examples or bool(overall.confirmed and overall.confirmed.is_example)
    if examples:
        ctx.example(_("ISK-bedömningar"))
        blocks.append(Example(_("Bedömningarna är exempeldata.")))
    return Section(_("Samlad bedömning"), blocks)


def _unit_assessments(overall) -> tuple[list[Row], bool]:
    """A row for each unit's ISK-bedömning, and whether any of them is example data."""
    rows = []
    examples = False
    for member, row in overall.units:
        rows.append(
            Row(
                [
                    Cell(member.name),
                    Cell(row.level_label, status=row.level)
                    if row
                    else Cell(_("Ingen bedömning"), status=NOT_FOLLOWED),
                    Cell(row.motivation if row else ""),
                ]
            )
        )
        examples = examples or bool(row and row.is_example)
    return rows, examples


def _confirmed(overall) -> list:
    """The confirmed overall assessment, noting when the units' changed since; or that
    there is none yet."""
    if overall.confirmed is None:
        return [Status(_("Samlad bedömning"), None, _("Inte bekräftad ännu"))]
    blocks = _isk_status(_("Samlad bedömning"), overall.confirmed)
    if overall.basis_changed:
        blocks.append(
            Text(
                _(
                    "Enheternas bedömningar har ändrats efter att den samlade bedömningen "
                    "bekräftades."
                ),
                "muted",
            )
        )
    return blocks


def control_sections(ctx: ReportContext, unit: Unit) -> list[Section]:
    items = [item for item in ctx.items.get(unit.pk, []) if item.label == "control.measure"]
    blocks: list = []
    children: list[Section] = []
    if items:
        blocks, children = _followup_sections(ctx, unit, items)
    for section in (_isk_section(ctx, unit), _overall_section(ctx, unit)):
        if section is not None:
            children.append(section)
    if not children:
        return []
    return [Section(_("Intern styrning och kontroll"), blocks, children)]
