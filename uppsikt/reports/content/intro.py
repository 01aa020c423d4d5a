"""Inledning (per unit), vision och värdegrund (once) and om rapporten (the appendix)."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uppsikt.followup.models import UnitReport
from uppsikt.followup.queries import progress_of

from ..document import (
    Bullets,
    Cell,
    Column,
    Example,
    Facts,
    RichText,
    Row,
    Section,
    Table,
    Text,
    symbol_for,
)
from ..sections import ReportContext, count_words, legend
from .common import day, person

KIND_WORDS = {
    "plans.goal": lambda n: ngettext("%(n)s mål", "%(n)s mål", n),
    "plans.assignment": lambda n: ngettext("%(n)s uppdrag", "%(n)s uppdrag", n),
    "plans.activity": lambda n: ngettext("%(n)s aktivitet", "%(n)s aktiviteter", n),
    "budget.budgettable": lambda n: ngettext("%(n)s budgettabell", "%(n)s budgettabeller", n),
}  # registered by ReportsConfig.ready; other apps register their own kinds


def join_words(words: list[str]) -> str:
    """ "a, b och c"."""
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s och %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def state_text(report: UnitReport | None) -> str:
    if report is None or report.pk is None:
        return str(UnitReport.State.UTKAST.label)
    text = str(UnitReport.State(report.state).label)
    if report.state == UnitReport.State.GODKAND and report.reviewed_at:
        text += " " + _("%(date)s av %(who)s") % {
            "date": day(report.reviewed_at),
            "who": person(report.reviewed_by),
        }
    elif report.state == UnitReport.State.INLAMNAD and report.submitted_at:
        text += " " + _("%(date)s av %(who)s, väntar på granskning") % {
            "date": day(report.submitted_at),
            "who": person(report.submitted_by),
        }
    return text


def intro_sections(ctx: ReportContext, unit) -> list[Section]:
    period = ctx.period
    plan = ctx.plans.get(unit.pk)
    items = ctx.items.get(unit.pk, [])
    report = ctx.reports.get(unit.pk)
    sentence = _("%(report)s för %(unit)s avser tiden 1 januari–%(end)s.") % {
        "report": period.name,
        "unit": unit.name,
        "end": period.ends_on_label,
    }
    if plan is not None:
        decided = ""
        if plan.decided_by:
            decided = _(", beslutad av %(body)s") % {"body": plan.decided_by.name}
            if plan.decided_on:
                decided += " " + day(plan.decided_on)
        sentence += " " + _("Den följer upp %(plan)s%(decided)s.") % {
            "plan": plan.title,
            "decided": decided,
        }
    counts = Counter(item.label for item in items)
    words = [w for label, n in counts.items() if (w := count_words(label, n)) is not None]
    blocks: list = [Text(sentence, "lead")]
    if words:
        blocks.append(Text(_("Uppföljningen omfattar %(what)s.") % {"what": join_words(words)}))
    progress = progress_of(items, ctx.entries)
    blocks.append(
        Facts(
            [
                (_("Rapportens läge"), state_text(report)),
                (
                    _("Klara uppföljningar"),
                    _("%(done)s av %(total)s") % {"done": progress.done, "total": progress.total},
                ),
            ]
        )
    )
    if report is not None and report.state == UnitReport.State.ATERFORD:
        blocks.append(
            Text(_("Granskarens kommentar: %(text)s") % {"text": report.review_comment}, "muted")
        )
    if report is not None and report.summary:
        blocks.append(RichText(report.summary, label=_("Sammanfattning")))
        if report.is_example:
            ctx.example(_("enheternas sammanfattningar"))
            blocks.append(Example(_("Sammanfattningen är exempeldata.")))
    return [Section(_("Inledning"), blocks)]


def vision_sections(ctx: ReportContext) -> list[Section]:
    organisation = ctx.unit.organisation
    vision = organisation.visions.order_by("position").last()
    bases = [
        base
        for base in organisation.value_bases.prefetch_related("statements")
        if base.year is None or base.year <= ctx.period.year
    ]
    base = max(bases, key=lambda b: (b.year or 0, b.position), default=None)
    blocks: list = []
    if vision is not None:
        blocks.append(
            Text(_("%(org)ss vision: %(text)s") % {"org": organisation.name, "text": vision.text})
        )
    if base is not None:
        statements = list(base.statements.all())
        if base.intro:
            blocks.extend(Text(part.strip()) for part in base.intro.split("\n\n") if part.strip())
        blocks.append(
            Bullets(
                [f"{s.word} – {s.description}" if s.word else s.description for s in statements]
            )
        )
    if not blocks:
        return []
    return [Section(_("Vision och värdegrund"), blocks)]


def _status_legend(ctx: ReportContext) -> Table:
    rows = []
    for entry in legend():
        for _value, label, symbol in entry.rows(ctx.unit.organisation_id):
            rows.append(Row([Cell(symbol), Cell(label), Cell(str(entry.group))]))
    rows.append(Row([Cell(symbol_for(None)[0]), Cell(_("Inte bedömd")), Cell(_("Alla"))]))
    return Table(
        _("Symboler för status och bedömning"),
        [Column(_("Symbol")), Column(_("Betydelse")), Column(_("Gäller"))],
        rows,
        sheet=_("Symboler"),
    )


def about_sections(ctx: ReportContext) -> list[Section]:
    rows = []
    for unit in ctx.units:
        items = ctx.items.get(unit.pk, [])
        progress = progress_of(items, ctx.entries)
        rows.append(
            Row(
                [
                    Cell(unit.name),
                    Cell(str(progress.total), progress.total),
                    Cell(str(progress.done), progress.done),
                    Cell(str(progress.reviewed), progress.reviewed),
                    Cell(state_text(ctx.reports.get(unit.pk))),
                ]
            )
        )
    table = Table(
        _("Uppföljningarnas läge per enhet"),
        [
            Column(_("Enhet")),
            Column(_("Uppföljningar"), numeric=True),
            Column(_("Klara"), numeric=True),
            Column(_("Granskade"), numeric=True),
            Column(_("Rapportens läge")),
        ],
        rows,
        sheet=_("Läge per enhet"),
    )
    blocks: list = [
        Text(
            _(
                "Rapporten är sammanställd ur Uppsikt från enheternas uppföljningar i %(period)s. "
                "Målens bedömningar, budgetens belopp och avvikelser hämtas från samma uppgifter "
                "som planerna och budgeten visar; summor och avvikelser räknas fram, de skrivs "
                "inte in för hand."
            )
            % {"period": ctx.period.name}
        ),
        table,
        _status_legend(ctx),
    ]
    if ctx.examples:
        blocks.append(
            Example(
                _("Rapporten innehåller exempeldata, inte verkliga uppgifter: %(what)s.")
                % {"what": join_words(ctx.examples)}
            )
        )
    return [Section(_("Om rapporten"), blocks)]
