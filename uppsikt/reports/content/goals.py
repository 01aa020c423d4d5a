"""Mål, strategier och uppdrag: the plan's structure with each goal's assessment and comment.

The report walks the plan document (``plans.document``) and keeps the blocks that hold
something followed up, so its chapters read like the plan: perspektiv → strategi → mål
and uppdrag, or prioriterat område → mål and aktiviteter. A goal's status is its
assessment for the period (``indicators.followup``); its comment, responsible person and
workflow state come from the follow-up entry.
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uppsikt.followup.providers import FOLLOWED_KINDS, followed_up, node_title
from uppsikt.followup.scope import Item
from uppsikt.governance.words import DEFAULT, Styrmodell, styrmodell_for
from uppsikt.indicators.followup import assessments_for
from uppsikt.indicators.models import EXAMPLE_SOURCE, Assessment, Measurement
from uppsikt.indicators.scale import outcome_words
from uppsikt.indicators.wording import gender_flag_text
from uppsikt.lib.richtext import has_markup, render
from uppsikt.plans.document import Node

from ..document import (
    Bullets,
    Cell,
    Column,
    Entry,
    RichText,
    Row,
    Section,
    Shown,
    Status,
    Table,
    Text,
)
from ..sections import ReportContext
from .common import (
    comment_block,
    entry_blocks,
    entry_facts,
    entry_status,
    example_note,
    status_counts,
)
from .intro import join_words

NOT_ASSESSED = "inte_bedomd"


def goal_title(goal) -> str:
    """ "Effektmål 3: Hög kvalitet …"; a goal whose heading the source lacks is named
    "Effektmål utan rubrik": the transcription's mark is an editor's note for staff (shown
    on the plan's pages), never report content."""
    if goal.text_is_editor_mark:
        return _("%(goal)s utan rubrik") % {"goal": goal.label}
    return f"{goal.label}: {goal.text}"


def shown(scale: Styrmodell, key: str | None) -> Shown | None:
    """The symbol and colour of ``key`` in an organisation's own scale; None for the
    default words (``Styrmodell.has_default_words``, stored or not), whose statuses the
    document's ``SYMBOLS`` and tones draw (as before)."""
    step = scale.step(key) if not scale.has_default_words else None
    return (step.symbol, step.colour) if step is not None else None


def goal_legend(organisation_id: int | None) -> list[tuple[str, str, str]]:
    """The legend's rows for goals: each step of the organisation's scale, and ej bedömbar."""
    scale = styrmodell_for(organisation_id)
    return [
        (key, label, step.symbol if (step := scale.step(key)) else "")
        for key, label in scale.status_choices()
    ]


def goal_status(assessment: Assessment | None) -> Status:
    """The goal's status for the report: the decision, else the proposal marked as one,
    in the words, symbols and colours of the goal's organisation's scale."""
    label = _("Bedömning")
    if assessment is None:
        return Status(label, None, _("Inte bedömd"))
    scale = assessment.scale
    # Kvinnor or män missing a target the total meets: a flag beside it, never a downgrade.
    flag = f"; {assessment.gender_flag_text}" if assessment.gender_flag_text else ""
    if assessment.decided_status:
        return Status(
            label,
            assessment.decided_status,
            assessment.get_decided_status_display(),
            (_("exempelbedömning i demon") if assessment.is_example_decision else _("beslutad"))
            + flag,
            shown(scale, assessment.decided_status),
        )
    return Status(
        label,
        assessment.proposed_status,
        assessment.get_proposed_status_display(),
        _("automatiskt förslag, inte beslutat") + flag,
        shown(scale, assessment.proposed_status),
    )


def _goals_table(unit, goals, statuses: list[Status], assessments, note: str) -> Table:
    """The summary's table of goals and their assessments, each with its kön flag."""
    return Table(
        _("Målen och deras bedömning (%(unit)s)") % {"unit": unit.name},
        [Column(_("Mål")), Column(_("Bedömning"))],
        [
            Row(
                [
                    Cell(goal_title(goal)),
                    Cell(
                        _flagged(status.text, assessments.get(goal.pk)),
                        status=status.key or NOT_ASSESSED,
                        shown=status.shown,
                    ),
                ]
            )
            for goal, status in zip(goals, statuses, strict=True)
        ],
        sheet=_("Mål %(unit)s") % {"unit": unit.name},
        example=note,
    )


def _flagged(text: str, assessment: Assessment | None) -> str:
    """A goal's status in the summary table, with its indicators' gender flag beside it."""
    flag = assessment.gender_flag_text if assessment is not None else ""
    return f"{text} – {flag}" if flag else text


def _indicator_status_text(words: dict | None, result: dict | None) -> str:
    """The indicator's status in words, with its gender flag written out beside it."""
    text = str(words["status_label"] if words else _("Inte bedömd"))
    if result and result.get("gender_flag"):
        text += " – " + gender_flag_text(result.get("gender_lagging"))
    return text


def _indicator_table(goal, assessment: Assessment | None) -> Table | None:
    indicators = list(goal.indicators.all())
    if not indicators:
        return None
    results = {
        row.get("indicator"): row for row in (assessment.indicator_results if assessment else [])
    }
    scale = assessment.scale if assessment is not None else None
    rows = []
    for indicator in indicators:
        target = getattr(indicator, "target", None)
        result = results.get(indicator.pk)
        # The indicator's outcome, in the scale's words: the step receiving it.
        words = outcome_words(scale, result) if scale is not None and result else None
        step = words["step"] if words else None
        rows.append(
            Row(
                [
                    Cell(indicator.text),
                    Cell(target.describe_rule() if target is not None else _("Ingen målregel")),
                    Cell(
                        _indicator_status_text(words, result),
                        status=step or NOT_ASSESSED,
                        shown=shown(scale, step) if scale is not None else None,
                    ),
                    Cell(result.get("reason", "") if result else ""),
                ]
            )
        )
    return Table(
        _("Indikatorer för %(goal)s") % {"goal": goal.label},
        [
            Column(_("Indikator")),
            Column(_("Målregel")),
            Column(_("Förslag")),
            Column(_("Motivering")),
        ],
        rows,
        sheet=_("Indikatorer %(goal)s") % {"goal": goal.label},
    )


class _Walker:
    """Builds the sections of one plan, with the context's entries and assessments."""

    def __init__(self, ctx: ReportContext, unit, items: list[Item], assessments):
        self.ctx, self.unit, self.assessments = ctx, unit, assessments
        self.items = {(item.label, item.target.pk): item for item in items}

    def item(self, node: Node) -> Item | None:
        return self.items.get((node.obj._meta.label_lower, node.obj.pk))

    def goal_section(self, node: Node) -> Section:
        goal = node.obj
        item = self.item(node)
        entry = self.ctx.entry(item) if item else None
        assessment = self.assessments.get(goal.pk)
        blocks: list = [goal_status(assessment)]
        if assessment is not None:
            blocks.append(
                Text(
                    _("Förslag utifrån indikatorerna: %(status)s. %(reason)s")
                    % {
                        "status": assessment.get_proposed_status_display(),
                        "reason": assessment.proposed_reason,
                    },
                    "muted",
                )
            )
        table = _indicator_table(goal, assessment)
        if table is not None:
            blocks.append(table)
        blocks.extend(entry_blocks(self.ctx, entry))
        return Section(goal_title(goal), blocks, kind=f"goal:{goal.kind}")

    def entry(self, node: Node) -> Entry:
        obj = node.obj
        item = self.item(node)
        entry = self.ctx.entry(item) if item else None
        facts = []
        if getattr(obj, "responsible", None) is not None:
            facts.append((_("Ansvarig enhet"), obj.responsible.name))
        return Entry(
            obj.text,
            entry_status(obj, entry, _("Status")),
            comment_block(entry),
            facts + entry_facts(entry),
            example_note(self.ctx, entry) is not None,
        )

    def block_section(self, node: Node) -> Section:
        obj = node.obj
        blocks: list = []
        description = getattr(obj, "description", "") or ""
        if description and has_markup(description):  # lists and links as written
            blocks.append(RichText(str(render(description))))
        elif description:
            blocks.extend(Text(p.strip()) for p in description.split("\n\n") if p.strip())
        if node.kind == "strategy" and obj.statements:
            blocks.append(Bullets(list(obj.statements)))
        section = Section(node_title(node, numbered=False), blocks)
        entries: dict[str, list[Entry]] = {"assignment": [], "activity": []}
        for child in node.children:
            if child.kind == "goal" and self.item(child):
                section.children.append(self.goal_section(child))
            elif child.kind in entries and self.item(child):
                entries[child.kind].append(self.entry(child))
            elif child.kind not in FOLLOWED_KINDS and followed_up(child):
                section.children.append(self.block_section(child))
        for kind, heading in (("assignment", _("Uppdrag")), ("activity", _("Aktiviteter"))):
            if entries[kind]:
                section.blocks.append(Text(heading, "subheading"))
                section.blocks.extend(entries[kind])
        section.blocks.extend(left_out(self, node.children, self.ctx.period.name))
        return section


def _summary(ctx: ReportContext, unit, goals, assessments, work: list) -> Section:
    statuses = [goal_status(assessments.get(goal.pk)) for goal in goals]
    scale = styrmodell_for(unit.organisation_id)
    examples = {
        item.label
        for item in ctx.items.get(unit.pk, [])
        if item.label.startswith("plans.") and (entry := ctx.entry(item)) and entry.is_example
    }
    goal_note = _("Bedömningarna är exempeldata.") if "plans.goal" in examples else ""
    work_note = _("Statusarna är exempeldata.") if examples - {"plans.goal"} else ""
    blocks: list = [
        status_counts(
            [
                *scale.status_choices(),
                (None, _("Inte bedömd")),
            ],
            Counter(status.key for status in statuses),
            title=_("Målens bedömning, antal mål"),
            caption=_("Målens bedömning, antal mål (%(unit)s)") % {"unit": unit.name},
            sheet=_("Bedömning antal %(unit)s") % {"unit": unit.name},
            heading=_("Bedömning"),
            counted=_("Antal mål"),
            missing=NOT_ASSESSED,
            example=goal_note,
            shown={
                key: mark for key, _label in scale.status_choices() if (mark := shown(scale, key))
            },
        )
    ]
    blocks.append(_goals_table(unit, goals, statuses, assessments, goal_note))
    if work:
        blocks.append(
            Table(
                _("Uppdrag och aktiviteter (%(unit)s)") % {"unit": unit.name},
                [Column(_("Uppdrag eller aktivitet")), Column(_("Status"))],
                [
                    Row([Cell(title), Cell(status.text, status=status.key or NOT_ASSESSED)])
                    for title, status in work
                ],
                sheet=_("Uppdrag %(unit)s") % {"unit": unit.name},
                example=work_note,
            )
        )
    return Section(_("Måluppfyllelse i sammandrag"), blocks)


def _given_sections(ctx: ReportContext, items: list[Item]) -> list[Section]:
    """The uppdrag other units' plans give the unit, one section per giving plan."""
    groups: dict[str, list[Entry]] = {}
    for item in items:
        entry = ctx.entry(item)
        groups.setdefault(item.group, []).append(
            Entry(
                item.title,
                entry_status(item.target, entry, _("Status")),
                comment_block(entry),
                entry_facts(entry),
                example_note(ctx, entry) is not None,
            )
        )
    return [Section(group, list(entries)) for group, entries in groups.items()]


def goal_sections(ctx: ReportContext, unit) -> list[Section]:
    plan = ctx.plans.get(unit.pk)
    every = [i for i in ctx.items.get(unit.pk, []) if i.label.startswith("plans.")]
    given = _given_sections(ctx, [i for i in every if "given_by" in i.extra])
    items = [i for i in every if "given_by" not in i.extra]
    if plan is None or not items:
        return [Section(_("Uppdrag från andra planer"), [], given)] if given else []
    document = ctx.documents[plan.pk]
    goals = [i.target for i in items if i.label == "plans.goal"]
    assessments = assessments_for(goals, ctx.period)
    walker = _Walker(ctx, unit, items, assessments)
    chapters = []
    for block in document.blocks:
        if block.kind == "goal" and walker.item(block):
            chapters.append(walker.goal_section(block))
        elif block.kind not in FOLLOWED_KINDS and followed_up(block):
            chapters.append(walker.block_section(block))
    # The plan's own text outside its goals (inledning, budget, organisation) is not
    # followed up by nature; its perspektiv, områden and strategier are.
    outside = [b for b in document.blocks if b.kind in STRUCTURE_KINDS[:3] or b.kind == "goal"]
    work = [
        (i.title, entry_status(i.target, ctx.entry(i), _("Status")))
        for i in every
        if i.label in ("plans.assignment", "plans.activity")
    ]
    _mark_example_values(ctx, goals, assessments)
    title = next(
        (
            n.obj.heading
            for n in document.blocks
            if n.kind == "section" and n.obj.heading.startswith("Mål")
        ),
        _("Mål och uppdrag"),
    )
    # The plan's own section of that name is this chapter: its text and contents go here
    # rather than under a second heading of the same title.
    intro, children = [], []
    for chapter in chapters:
        if chapter.title == title:
            intro.extend(chapter.blocks)
            children.extend(chapter.children)
        else:
            children.append(chapter)
    intro.extend(left_out(walker, outside, ctx.period.name))
    summary = _summary(ctx, unit, goals, assessments, work)
    chapter = Section(title, intro, [summary, *children, *given])
    level_goals(chapter, styrmodell_for(unit.organisation_id))
    return [chapter]


# The plan's structure whose leaving out a chapter states ("Strategierna … följs inte upp").
STRUCTURE_KINDS = ("perspective", "focus_area", "strategy", "section")
_LEFT_OUT = {
    "perspective": lambda n: ngettext("Perspektivet %(names)s", "Perspektiven %(names)s", n),
    "focus_area": lambda n: ngettext(
        "Det prioriterade området %(names)s", "De prioriterade områdena %(names)s", n
    ),
    "strategy": lambda n: ngettext("Strategin %(names)s", "Strategierna %(names)s", n),
    "section": lambda n: ngettext("Avsnittet %(names)s", "Avsnitten %(names)s", n),
}


def left_out(walker: _Walker, nodes: list[Node], report: str) -> list[Text]:
    """What of ``nodes`` the report leaves out, said in words rather than silently dropped:
    the plan's strategies (perspektiv, områden, avsnitt) without anything followed up, and
    goals, uppdrag or aktiviteter not followed up in this period."""
    names: dict[str, list[str]] = {}
    missing = 0
    for node in nodes:
        if node.kind in FOLLOWED_KINDS:
            missing += walker.item(node) is None
        elif node.kind in _LEFT_OUT and not followed_up(node):
            name = getattr(node.obj, "name", "") or node_title(node, numbered=False)
            names.setdefault(node.kind, []).append(f"”{name}”")
    texts = []
    for kind, found in names.items():
        subject = _LEFT_OUT[kind](len(found)) % {"names": join_words(found)}
        texts.append(
            Text(
                _(
                    "%(subject)s i planen följs inte upp i %(report)s: där finns inga mål, "
                    "uppdrag eller aktiviteter att följa upp."
                )
                % {"subject": subject, "report": report},
                "muted",
            )
        )
    if missing:
        texts.append(
            Text(
                ngettext(
                    "%(n)s mål, uppdrag eller aktivitet i planen här följs inte upp i %(report)s.",
                    "%(n)s mål, uppdrag och aktiviteter i planen här följs inte upp i %(report)s.",
                    missing,
                )
                % {"n": missing, "report": report},
                "muted",
            )
        )
    return texts


def _goal_depths(
    parent: Section, depth: int, found: dict[str, list[tuple[int, Section]]]
) -> dict[str, list[tuple[int, Section]]]:
    """Goal kind → (depth below the chapter, parent section) of each goal section."""
    for child in parent.children:
        if child.kind.startswith("goal:"):
            found.setdefault(child.kind, []).append((depth, parent))
        _goal_depths(child, depth + 1, found)
    return found


def level_goals(chapter: Section, styrmodell: Styrmodell = DEFAULT) -> None:
    """Put goals of one kind at one heading level in the chapter: goals nearer the top than
    the deepest of their kind (Effektmål 1–8 straight under a perspective, Effektmål 9
    under a heading within one) are gathered under a heading of their kind, the level's
    plural name in the styrmodell ("Effektmål"), the styrmodell's levels in its order."""
    order = {f"goal:{level.key}": n for n, level in enumerate(styrmodell.levels)}
    while True:
        depths = _goal_depths(chapter, 1, {})
        shallow = [
            (kind, parent)
            for kind, found in sorted(depths.items(), key=lambda i: order.get(i[0], len(order)))
            for depth, parent in found
            if depth < max(d for d, _parent in found)
        ]
        if not shallow:
            return
        kind, parent = shallow[0]
        goals = [child for child in parent.children if child.kind == kind]
        wrapper = Section(styrmodell.goal_kind_plural(kind.removeprefix("goal:")), [], goals)
        at = parent.children.index(goals[0])
        parent.children = [c for c in parent.children if c.kind != kind]
        parent.children.insert(at, wrapper)


def _mark_example_values(ctx: ReportContext, goals, assessments) -> None:
    used = any(
        row.get("status") != "ej_bedombar"
        for assessment in assessments.values()
        for row in assessment.indicator_results
    )
    if (
        used
        and Measurement.objects.filter(
            definition__targets__indicator__goal__in=goals, source=EXAMPLE_SOURCE
        ).exists()
    ):
        ctx.example(_("indikatorernas mätvärden"))
