"""From blocks to proposed objects: one pass over the document in reading order.

Headings open containers (section, perspective, prioriterat område, strategy) placed by
their numbering; labelled lines make goals, indicators, strategies, uppdrag and
aktiviteter; a list head ("Indikatorer", "Mått", "Aktiviteter", "Mål") makes the blocks
after it items of that kind until the next heading or head (or, for a list written as list
items, until the first ordinary paragraph). Everything else is body text of the open
container; what has no place is ``unplaced``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from uppsikt.indicators.rules import propose_rule, to_data
from uppsikt.proposals.reading.blocks import Block, Kind, ReadDocument

from . import patterns
from .model import (
    ACTIVITY,
    ASSIGNMENT,
    FOCUS_AREA,
    GOAL,
    INDICATOR,
    PERSPECTIVE,
    SECTION,
    STRATEGY,
    Node,
    Proposal,
    Unplaced,
)
from .patterns import GoalWords, normalise
from .tables import TableReader
from .units import UnitMatch, match_unit

CONTAINERS = (SECTION, PERSPECTIVE, FOCUS_AREA, STRATEGY)


def missing_heading(name: str) -> str:
    """The text of a goal whose heading the document lacks ("(Effektmålets rubrik saknas i
    källdokumentet)"): the level's name in its definite form where Swedish makes it so."""
    if name.lower().endswith("mål"):
        return _("(%(name)sets rubrik saknas i källdokumentet)") % {"name": name}
    return _("(Rubriken för %(name)s saknas i källdokumentet)") % {"name": name.lower()}


@dataclass(frozen=True)
class Context:
    """What the proposal needs to know of the organisation (read from the database by
    ``context.context_for``; tests give it directly)."""

    organisation: str
    unit: str
    year: int
    levels: tuple[tuple[str, str, str], ...]  # (key, name, plural) of the styrmodell
    perspectives: tuple[str, ...] = ()
    units: tuple[tuple[str, str], ...] = ()  # (slug, name) of the organisation's units


class Builder:
    def __init__(self, document: ReadDocument, context: Context):
        self.document = document
        self.context = context
        self.words = GoalWords(context.levels)
        self.proposal = Proposal(
            context.organisation, context.unit, context.year, title=document.title,
            format=document.format, pages=document.pages,
        )  # fmt: skip
        self.counter: Counter[str] = Counter()
        self.stack: list[tuple[int, Node]] = []
        self.goal: Node | None = None
        self.mode: str | None = None  # "indicator", "activity", "assignment", "statement", "goal"
        self.mode_level = ""  # the goal level of a "goal" list
        self.mode_items: Kind | None = None  # the kind of block the list's items are
        self.mode_unit: UnitMatch | None = None  # the unit an uppdrag list's head names
        self.last: tuple[Node, str] | None = None  # where a continued line goes
        self.tables = TableReader(self)

    # -- ids, containers -----------------------------------------------------------------
    def new_id(self, kind: str) -> str:
        self.counter[kind] += 1
        return f"{kind}-{self.counter[kind]}"

    def node(self, kind: str, block: Block, **fields) -> Node:
        return Node(kind, self.new_id(kind), fields=fields, sources=[block.source])

    def container(self) -> Node | None:
        return self.stack[-1][1] if self.stack else None

    def heading_number(self) -> str:
        for _level, node in reversed(self.stack):
            if node.fields.get("number"):
                return str(node.fields["number"])
        return ""

    def heading_title(self) -> str:
        node = self.container()
        if node is None:
            return ""
        return str(node.fields.get("heading") or node.fields.get("name") or "")

    def attach(self, node: Node, block: Block) -> Node:
        """A goal, strategy, uppdrag or aktivitet into the open container (or a container
        made for it when the document has no heading above it)."""
        parent = self.container()
        if parent is None:
            parent = self.node(SECTION, block, heading=_("(Utan rubrik)"), number="")
            self.proposal.nodes.append(parent)
            self.stack.append((1, parent))
        parent.children.append(node)
        return node

    def unplace(self, block: Block, reason: str) -> None:
        text = (
            block.text
            if block.kind != Kind.TABLE
            else " | ".join(" ".join(cell for cell in row) for row in block.rows)
        )
        label = f"{block.number} {text}".strip()
        self.proposal.unplaced.append(Unplaced(label, block.source, reason))

    # -- the pass ------------------------------------------------------------------------
    def run(self) -> Proposal:
        for block in self.document.blocks:
            if not block.text.strip() and not block.rows:
                continue
            if self.tables.take(block):
                continue
            if block.kind == Kind.TABLE:
                self.tables.block_table(block)
            elif self.is_heading(block):
                self.heading(block)
            else:
                self.paragraph(block)
        self.tables.finish()
        return self.proposal

    def is_heading(self, block: Block) -> bool:
        if block.kind == Kind.HEADING:
            return True
        if block.kind != Kind.PARAGRAPH or not block.emphasis:
            return False
        text = block.text.strip()
        return len(text) <= 90 and not text.endswith(".") and patterns.list_head(text) is None

    def end_list(self) -> None:
        self.mode, self.mode_level, self.mode_items = None, "", None

    # -- headings ------------------------------------------------------------------------
    def heading(self, block: Block) -> None:
        self.tables.finish()
        number, level, text = self.split_heading(block)
        goals_before = self.counter[GOAL]
        if self.labelled(block, text):
            made = self.goal if self.counter[GOAL] > goals_before else None
            if made is not None and number and not made.fields["number"]:
                made.fields["number"] = number  # "2.1 Nämndmål: Trygg skola"
            return
        role, name = patterns.heading_role(text, self.context.perspectives)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.goal = None
        self.end_list()
        if role == SECTION:
            node = self.node(SECTION, block, number=number, heading=name, body="", items=[])
        elif role == STRATEGY:
            node = self.node(STRATEGY, block, number=number, name=name, lead="", statements=[])
        else:
            node = self.node(role, block, number=number, name=name, description="", items=[])
        if text != name:
            node.labels.append(text)
        parent = self.container()
        (parent.children if parent else self.proposal.nodes).append(node)
        self.stack.append((level, node))
        self.last = None

    def split_heading(self, block: Block) -> tuple[str, int, str]:
        text = block.text.strip()
        written = patterns.heading_number(block.number) if block.number else None
        if written is None:
            if block.number:
                text = f"{block.number} {text}"
            found, text = patterns.split_heading_number(text)
            written = patterns.heading_number(found) if found else None
        if written is not None:
            return written[0], written[1], text
        depth = self.stack[-1][0] if self.stack else 0
        level = block.level if block.kind == Kind.HEADING and block.level else depth + 1
        return "", level, text

    # -- paragraphs and list items -------------------------------------------------------
    def paragraph(self, block: Block) -> None:
        text = normalise(f"{block.number} {block.text}" if self.goal_number(block) else block.text)
        if self.tables.caption(block, text):
            return
        if self.labelled(block, text):
            return
        if self.continues(block, text):
            return
        if self.mode and self.list_item(block, text):
            return
        self.body(block, text)

    def goal_number(self, block: Block) -> bool:
        """Whether the block's ``number`` is part of a label ("Mål 1:") rather than a
        list's or heading's numbering."""
        return bool(block.number) and patterns.goal_label(block.number, self.words) is not None

    def labelled(self, block: Block, text: str) -> bool:
        """A goal, a list head, an inline label or a strategy's lead: True when taken."""
        if label := patterns.goal_label(text, self.words):
            if not label.text:
                self.start_list("goal", block, label.level)
                return True
            self.end_list()
            goal = self.node(GOAL, block, level=label.level, number=label.number, text=label.text)
            goal.fields["description"] = ""
            goal.labels.append(text[: len(text) - len(label.text)].strip())
            self.goal = self.attach(goal, block)
            self.last = (goal, "text")
            return True
        if head := patterns.list_head(text):
            self.start_list(head, block, "")
            return True
        if inline := patterns.inline_label(text):
            kind, number, rest = inline
            self.end_list()
            prefix = text[: len(text) - len(rest)].strip()
            if kind == "strategy":
                node = self.node(STRATEGY, block, number=number, name=rest, lead="", statements=[])
                node.labels.append(prefix)
                self.attach(node, block)
                self.push_strategy(node)
            else:
                self.item(kind, block, rest, number, prefix)
            return True
        if name := patterns.strategy_lead(text):
            self.end_list()
            current = self.container()
            if current is not None and current.kind == STRATEGY and not current.fields["lead"]:
                current.fields["lead"] = text
                current.add_source(block.source)
            else:
                node = self.node(STRATEGY, block, number="", name=name, lead=text, statements=[])
                self.attach(node, block)
                self.push_strategy(node)
            self.mode = "statement"
            return True
        return False

    def push_strategy(self, node: Node) -> None:
        """A strategy met inside a container nests one level below it."""
        depth = self.stack[-1][0] if self.stack else 0
        if self.stack and self.stack[-1][1].kind == STRATEGY and not self.stack[-1][1].children:
            self.stack.pop()
            depth -= 1
        self.stack.append((depth + 1, node))

    def start_list(self, kind: str, block: Block, level: str) -> None:
        self.mode, self.mode_level, self.mode_items = kind, level, None
        named = patterns.assignment_head(block.text) if kind == "assignment" else None
        self.mode_unit = match_unit(named, self.context.units) if named else None
        target = self.goal if kind == "indicator" and self.goal is not None else self.container()
        if kind == "indicator" and self.goal is not None and self.goal.children:
            # A second indicator list under one goal: the goal's heading is missing.
            self.goal = self.missing_goal(block)
            target = self.goal
        if kind == "strategy":
            self.mode = "statement"
            current = self.container()
            if current is None or current.kind != STRATEGY:
                # "Strategier" alone: the strategies of the open container.
                fields = current.fields if current is not None else {}
                name = str(fields.get("name") or fields.get("heading") or "")
                node = self.node(STRATEGY, block, number="", name=name, lead="", statements=[])
                node.labels.append(block.text.strip())
                self.attach(node, block)
                self.push_strategy(node)
                return
        if kind == "indicator" and self.goal is None:
            self.unplace(block, _("Rubrik för indikatorer utan mål"))
        elif target is not None:
            target.labels.append(block.text.strip())
            target.add_source(block.source)
        else:
            self.unplace(block, _("Rubrik för en lista utan sammanhang"))

    def missing_goal(self, block: Block) -> Node:
        level = self.goal.fields["level"] if self.goal else self.context.levels[0][0]
        text = missing_heading(self.words.name_of(level))
        goal = self.node(GOAL, block, level=level, number="", text=text)
        goal.fields["description"] = ""
        goal.fields["note"] = _(
            "En lista med indikatorer står efter föregående måls indikatorer utan ett eget "
            "mål: målets rubrik saknas i dokumentet."
        )
        return self.attach(goal, block)

    def continues(self, block: Block, text: str) -> bool:
        """A paragraph starting in lower case continues the text before it when that text
        ends mid-sentence (a line broken where the document's layout broke it)."""
        if block.kind != Kind.PARAGRAPH or not text[:1].islower() or self.last is None:
            return False
        node, key = self.last
        value = node.fields.get(key)
        before = value[-1] if isinstance(value, list) and value else value
        if isinstance(before, str) and before.rstrip().endswith((".", "!", "?", ":", "”")):
            return False  # a finished sentence: what follows is not its rest
        if isinstance(value, list) and value:
            value[-1] = _join(value[-1], text)
        elif isinstance(value, str):
            node.fields[key] = _join(value, text)
        else:
            return False
        node.add_source(block.source)
        return True

    def list_item(self, block: Block, text: str) -> bool:
        if self.mode_items is None:
            self.mode_items = block.kind
        elif self.mode_items == Kind.LIST_ITEM and block.kind == Kind.PARAGRAPH:
            self.end_list()
            return False
        if self.mode == "statement":
            strategy = self.container()
            if block.kind != Kind.LIST_ITEM or strategy is None or strategy.kind != STRATEGY:
                self.end_list()
                return False
            strategy.fields["statements"].append(text)
            strategy.add_source(block.source)
            self.last = (strategy, "statements")
            return True
        if self.mode == "goal":
            number = block.number.strip().rstrip(".)")
            goal = self.node(GOAL, block, level=self.mode_level, number=number, text=text)
            goal.fields["description"] = ""
            self.goal = self.attach(goal, block)
            self.last = (goal, "text")
            return True
        self.item(self.mode or "", block, text, block.number)
        return True

    def item(self, kind: str, block: Block, text: str, number: str, label: str = "") -> None:
        if kind == "indicator":
            if self.goal is None:
                self.unplace(block, _("Indikator utan mål"))
                return
            node = self.node(INDICATOR, block, text=text, number=number)
            rule = propose_rule(text)
            node.fields["rule"] = to_data(rule) if rule is not None else None
            self.goal.children.append(node)
        elif kind == "assignment":
            node = self.node(ASSIGNMENT, block, text=text, number=number)
            found = match_unit(text, self.context.units) or self.mode_unit
            node.fields["responsible"] = (
                {"slug": found.slug, "name": found.name, "confidence": found.confidence}
                if found
                else None
            )
            self.attach(node, block)
        else:
            node = self.node(ACTIVITY, block, text=text, number=number)
            self.attach(node, block)
        if label:
            node.labels.append(label)
        self.last = (node, "text")

    def body(self, block: Block, text: str) -> None:
        node = self.goal if self.goal is not None and self.last == (self.goal, "text") else None
        if node is not None and block.kind == Kind.PARAGRAPH:
            node.fields["description"] = _para(node.fields["description"], text)
            node.add_source(block.source)
            self.last = (node, "description")
            return
        self.goal = None
        container = self.container()
        if container is None:
            self.unplace(block, _("Text före dokumentets första rubrik"))
            return
        if block.kind == Kind.LIST_ITEM:
            key = "statements" if container.kind == STRATEGY else "items"
            item = f"{block.number} {text}".strip() if block.number.endswith(")") else text
            container.fields.setdefault(key, []).append(item)
            self.last = (container, key)
        else:
            key = {SECTION: "body", STRATEGY: "description"}.get(container.kind, "description")
            container.fields[key] = _para(container.fields.get(key, ""), text)
            self.last = (container, key)
        container.add_source(block.source)


def _para(before: str, text: str) -> str:
    return f"{before}\n\n{text}" if before else text


def _join(before: str, text: str) -> str:
    if before.endswith("-") and not before.endswith(" -"):
        return before[:-1] + text
    return f"{before} {text}"
