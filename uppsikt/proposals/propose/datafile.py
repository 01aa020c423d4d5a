"""A proposal written in the project's data-file formats, for review as text:

- the plan (``uppsikt/1``, as ``uppsikt load`` reads): sections, perspectives, prioriterade
  områden, strategies, goals with indicators, uppdrag, aktiviteter, status ``utkast``;
- its budget tables (``uppsikt-budget/1``, as ``uppsikt load_budget`` reads), the document's
  Summa/Totalt rows as ``expected_total`` so the loader checks them again;
- its internal-control tables (``uppsikt-internkontroll/1``, ``uppsikt load_control``).

Each object's source, an indicator's proposed target rule, an uppdrag's unit match and
everything the formats have no field for are comments (``# källa: s. 6, stycke 42``),
which the loaders ignore. What was not placed is listed in comments at the end of the plan.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from uppsikt.indicators.rules import rule_from_data
from uppsikt.proposals.reading.blocks import Source

from .model import (
    ACTIVITY,
    ASSIGNMENT,
    BUDGET_TABLE,
    CONTROL_TABLE,
    FOCUS_AREA,
    GOAL,
    INDICATOR,
    PERSPECTIVE,
    SECTION,
    STRATEGY,
    Node,
    Proposal,
)  # fmt: skip
from .yamltext import Commented, dump

PLAN_FORMAT = "uppsikt/1"
BUDGET_FORMAT = "uppsikt-budget/1"
CONTROL_FORMAT = "uppsikt-internkontroll/1"


def source_comment(sources: list[Source]) -> str:
    """ "källa: s. 6–7, stycke 42–45, 47" for the blocks an object came from."""
    if not sources:
        return ""
    indexes = sorted({source.index for source in sources})
    ranges: list[str] = []
    start = previous = indexes[0]
    for index in [*indexes[1:], None]:
        if index is not None and index == previous + 1:
            previous = index
            continue
        ranges.append(str(start) if start == previous else f"{start}–{previous}")
        if index is not None:
            start = previous = index
    pages = sorted({source.page for source in sources if source.page})
    where = ""
    if pages:
        where = f"s. {pages[0]}" if len(pages) == 1 else f"s. {pages[0]}–{pages[-1]}"
        where += ", "
    return _("källa: %(where)sstycke %(ranges)s") % {"where": where, "ranges": ", ".join(ranges)}


def _put(data: dict, key: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        data[key] = value


class PlanWriter:
    def __init__(self, proposal: Proposal, source_name: str):
        self.proposal = proposal
        self.source_name = source_name
        self.blocks: list[dict] = []
        self.loose: list[str] = []  # objects the format has no place for where they stand

    def goal_id(self, node: Node) -> str:
        return f"{self.proposal.unit}-{self.proposal.year}-{node.id}"

    def data(self) -> dict:
        for node in self.proposal.nodes:
            self.top(node)
        title = self.proposal.title or _("Plan %(year)s") % {"year": self.proposal.year}
        plan = Commented(
            [],
            organisation=self.proposal.organisation,
            unit=self.proposal.unit,
            year=self.proposal.year,
            title=title[:300],
            status="utkast",
        )
        _put(plan, "source", self.source_name)
        plan["blocks"] = self.blocks
        return {"format": PLAN_FORMAT, "plans": [plan]}

    def top(self, node: Node) -> None:
        if node.kind == SECTION:
            self.section(node, self.blocks, top=True)
        elif node.kind == PERSPECTIVE:
            self.blocks.append({"perspective": self.perspective(node)})
        elif node.kind == FOCUS_AREA:
            self.blocks.append({"focus_area": self.focus_area(node)})
        else:
            self.elsewhere(node)

    def section(self, node: Node, into: list, top: bool) -> None:
        body = Commented([source_comment(node.sources)])
        _put(body, "number", node.fields.get("number"))
        body["heading"] = node.fields.get("heading") or _("(Utan rubrik)")
        _put(body, "body", node.fields.get("body"))
        _put(body, "items", node.fields.get("items"))
        goals, activities, nested = [], [], []
        for child in node.children:
            if child.kind == GOAL:
                goals.append(self.goal(child))
            elif child.kind == ACTIVITY:
                activities.append(self.activity(child))
            elif child.kind == SECTION or (top and child.kind in (PERSPECTIVE, FOCUS_AREA)):
                nested.append(child)
            else:
                self.elsewhere(child)
        _put(body, "goals", goals)
        _put(body, "activities", activities)
        into.append({"section": body} if top else body)
        for child in nested:
            if top:
                self.top(child)
            else:
                self.section(child, into, top=False)

    def perspective(self, node: Node) -> dict:
        body = self.head(node)
        _put(body, "responsibilities", node.fields.get("items"))
        goals: list[dict] = []
        strategies: list[dict] = []
        sections: list[dict] = []
        assignments: list[dict] = []
        activities: list[dict] = []
        for child in node.children:
            if child.kind == GOAL:
                goals.append(self.goal(child))
            elif child.kind == STRATEGY:
                strategies.append(self.strategy(child))
            elif child.kind in (SECTION, FOCUS_AREA, PERSPECTIVE):
                self.perspective_section(child, sections)
            elif child.kind == ASSIGNMENT:
                assignments.append(self.assignment(child))
            elif child.kind == ACTIVITY:
                activities.append(self.activity(child))
            else:
                self.elsewhere(child)
        strategies += self.gathered_assignments(assignments)
        if activities:
            comment = _("aktiviteter direkt under perspektivet: samlade i ett avsnitt")
            sections.append(Commented([comment], heading=_("Aktiviteter"), activities=activities))
        _put(body, "goals", goals)
        _put(body, "strategies", strategies)
        _put(body, "sections", sections)
        return body

    def gathered_assignments(self, assignments: list) -> list:
        """Uppdrag the document gives outside any strategy: the format holds uppdrag only
        in strategies, so they are gathered in one named "Uppdrag" for the person to move."""
        if not assignments:
            return []
        comment = _("uppdrag utan strategi i dokumentet: samlade här")
        return [Commented([comment], name=_("Uppdrag"), assignments=assignments)]

    def perspective_section(self, node: Node, sections: list) -> None:
        """A section under a perspective; its strategies go to ``loose`` comments."""
        if node.kind != SECTION:
            renamed = Node(SECTION, node.id, dict(node.fields), node.children, node.sources)
            renamed.fields["heading"] = node.fields.get("name", "")
            renamed.fields["body"] = node.fields.get("description", "")
            node = renamed
        self.section(node, sections, top=False)

    def focus_area(self, node: Node) -> dict:
        body = self.head(node)
        items = node.fields.get("items") or []
        if items:
            listed = "\n".join(f"- {item}" for item in items)
            body["description"] = "\n\n".join(filter(None, [body.get("description"), listed]))
        goals, strategies, activities, assignments = [], [], [], []
        for child in node.children:
            if child.kind == GOAL:
                goals.append(self.goal(child))
            elif child.kind == STRATEGY:
                strategies.append(self.strategy(child))
            elif child.kind == ACTIVITY:
                activities.append(self.activity(child))
            elif child.kind == ASSIGNMENT:
                assignments.append(self.assignment(child))
            else:
                self.elsewhere(child)
        strategies += self.gathered_assignments(assignments)
        _put(body, "strategies", strategies)
        _put(body, "goals", goals)
        _put(body, "activities", activities)
        return body

    def head(self, node: Node) -> Commented:
        body = Commented([source_comment(node.sources)])
        _put(body, "number", node.fields.get("number"))
        body["name"] = (node.fields.get("name") or _("(Utan namn)"))[:200]
        _put(body, "description", node.fields.get("description"))
        return body

    def strategy(self, node: Node) -> dict:
        body = Commented([source_comment(node.sources)])
        _put(body, "number", node.fields.get("number"))
        _put(body, "name", (node.fields.get("name") or "")[:200])
        _put(body, "lead", (node.fields.get("lead") or "")[:300])
        if "name" not in body and "lead" not in body:
            body["name"] = _("(Utan namn)")
        _put(body, "statements", node.fields.get("statements"))
        _put(body, "description", node.fields.get("description"))
        goals, assignments = [], []
        for child in node.children:
            if child.kind == GOAL:
                goals.append(self.goal(child))
            elif child.kind == ASSIGNMENT:
                assignments.append(self.assignment(child))
            else:
                self.elsewhere(child)
        _put(body, "goals", goals)
        _put(body, "assignments", assignments)
        return body

    def goal(self, node: Node) -> dict:
        body = Commented([source_comment(node.sources)], id=self.goal_id(node))
        body["kind"] = node.fields["level"]
        _put(body, "number", node.fields.get("number"))
        body["text"] = node.fields["text"]
        _put(body, "description", node.fields.get("description"))
        _put(body, "note", node.fields.get("note"))
        indicators = [self.indicator(child) for child in node.children if child.kind == INDICATOR]
        for child in node.children:
            if child.kind != INDICATOR:
                self.elsewhere(child)
        _put(body, "indicators", indicators)
        return body

    def indicator(self, node: Node) -> dict:
        rule = node.fields.get("rule")
        described = (
            _("målregel: %(rule)s") % {"rule": rule_from_data(rule).describe()}
            if rule
            else _("målregel: ingen känns igen (bedöms av en person)")
        )
        return Commented([source_comment(node.sources), described], text=node.fields["text"])

    def assignment(self, node: Node) -> dict:
        match = node.fields.get("responsible")
        if match:
            said = _("ansvarig: %(name)s (säkerhet %(c)s)") % {
                "name": match["name"],
                "c": f"{match['confidence']:.2f}".replace(".", ","),
            }
        else:
            said = _("ansvarig: ingen enhet i enhetsträdet känns igen i texten")
        body = Commented([source_comment(node.sources), said], text=node.fields["text"])
        if match:
            body["responsible"] = match["slug"]
        return body

    def activity(self, node: Node) -> dict:
        return Commented([source_comment(node.sources)], text=node.fields["text"])

    def elsewhere(self, node: Node) -> None:
        """An object the format has no place for where it stands: named in a comment (tables
        are in their own files)."""
        if node.kind in (BUDGET_TABLE, CONTROL_TABLE):
            return
        text = node.fields.get("text") or node.fields.get("name") or node.fields.get("heading")
        self.loose.append(f"{node.kind} {node.id} ({source_comment(node.sources)}): {text}")
        for child in node.children:
            self.elsewhere(child)


def plan_text(proposal: Proposal, source_name: str = "") -> str:
    writer = PlanWriter(proposal, source_name)
    data = writer.data()
    header = [
        _("Förslag ur %(file)s: granska och rätta innan planen läses in.")
        % {"file": source_name or _("dokumentet")},
        *proposal.messages,
    ]
    footer: list[str] = []
    if writer.loose:
        footer.append(_("Föreslaget men utan plats i datafilens format där det står:"))
        footer += [f"  {line}" for line in writer.loose]
    if proposal.unplaced:
        footer.append(_("Ej placerat (%(n)s):") % {"n": len(proposal.unplaced)})
        footer += [
            f"  {item.source.label()} – {item.reason}: {item.text}" for item in proposal.unplaced
        ]
    return dump(data, header, footer)


def plan_data(proposal: Proposal, source_name: str = "") -> dict:
    return PlanWriter(proposal, source_name).data()


def figure_text(value: str | None) -> str | None:
    """A figure as the budget file writes it: decimal comma, no thousands separator."""
    if value is None:
        return None
    return format(Decimal(value), "f").replace(".", ",")
