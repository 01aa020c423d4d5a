"""A person's corrections of a proposal: plain functions on its tree, nothing stored here.

The review keeps the proposal (``propose.model.Proposal``) and what the person set aside
(``dropped``, each with where it stood, so it can be put back). Every operation either
changes the tree as asked or raises ``ReviewError`` with a Swedish message and leaves it
as it was:

- ``edit``: an object's texts (only the text fields it has);
- ``change_kind``: goal ↔ indicator ↔ uppdrag ↔ aktivitet ↔ strategi, and
  section ↔ perspektiv ↔ prioriterat område; the main text carries over;
- ``move`` up or down among its siblings, or ``move_into`` another object (or the top);
- ``merge`` with the object before it of the same kind (texts joined, sources and
  children kept);
- ``split`` after one of its sentences into two objects of the same kind;
- ``drop`` and ``restore``; ``place`` a passage that could not be placed as a new object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .propose.model import (
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
)

# The field holding each kind's main text, which a change of kind carries over.
MAIN_FIELD = {
    SECTION: "heading",
    PERSPECTIVE: "name",
    FOCUS_AREA: "name",
    STRATEGY: "name",
    GOAL: "text",
    INDICATOR: "text",
    ASSIGNMENT: "text",
    ACTIVITY: "text",
}
# The field holding a container's running text.
BODY_FIELD = {SECTION: "body", PERSPECTIVE: "description", FOCUS_AREA: "description"}
# Kinds a person may turn into one another.
CONTAINER_KINDS = (SECTION, PERSPECTIVE, FOCUS_AREA)
ITEM_KINDS = (GOAL, INDICATOR, ASSIGNMENT, ACTIVITY, STRATEGY)
MAX_TEXT = 10_000
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")


class ReviewError(ValueError):
    """An operation refused; the message is Swedish."""


@dataclass
class Dropped:
    node: Node
    parent: str  # the id of the object it stood in, "" at the top
    index: int


@dataclass
class Review:
    proposal: Proposal
    dropped: list[Dropped] = field(default_factory=list)
    goal_level: str = ""  # the level a node turned into a goal gets

    # -- storage ---------------------------------------------------------------------------
    def to_data(self) -> dict[str, Any]:
        data = self.proposal.to_data()
        data["dropped"] = [
            {"node": item.node.to_data(), "parent": item.parent, "index": item.index}
            for item in self.dropped
        ]
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any], goal_level: str = "") -> Review:
        dropped = [
            Dropped(Node.from_data(item["node"]), item["parent"], item["index"])
            for item in data.get("dropped", [])
        ]
        return cls(Proposal.from_data(data), dropped, goal_level)

    # -- finding ---------------------------------------------------------------------------
    def siblings_of(self, node_id: str) -> tuple[list[Node], int, Node | None]:
        """The list holding the object, its place in it and the object holding the list."""
        return _locate(self.proposal.nodes, node_id, None)

    def node(self, node_id: str) -> Node:
        siblings, index, _parent = self.siblings_of(node_id)
        return siblings[index]

    def new_id(self, kind: str) -> str:
        taken = {node.id for node in self.proposal.walk()}
        taken |= {node.id for item in self.dropped for node in item.node.walk()}
        number = 1
        while f"{kind}-{number}" in taken:
            number += 1
        return f"{kind}-{number}"

    # -- operations --------------------------------------------------------------------------
    def edit(self, node_id: str, values: dict[str, str]) -> None:
        node = self.node(node_id)
        changes: dict[str, Any] = {}
        for name, value in values.items():
            current = node.fields.get(name)
            if isinstance(current, list):
                changes[name] = [line.strip() for line in value.splitlines() if line.strip()]
            elif isinstance(current, str) or (current is None and name in node.fields):
                changes[name] = _clean(value)
            else:
                raise ReviewError(_("Fältet ”%(name)s” finns inte på objektet.") % {"name": name})
        main = MAIN_FIELD.get(node.kind)
        if main in changes and not changes[main]:
            raise ReviewError(_("Texten får inte vara tom. Ta bort objektet i stället."))
        node.fields.update(changes)

    def change_kind(self, node_id: str, kind: str) -> None:
        node = self.node(node_id)
        group = CONTAINER_KINDS if node.kind in CONTAINER_KINDS else ITEM_KINDS
        if node.kind not in group or kind not in group:
            raise ReviewError(_("Objektet kan inte göras om till den sorten."))
        if kind == node.kind:
            return
        text = str(node.fields.get(MAIN_FIELD[node.kind]) or "")
        body = str(node.fields.get(BODY_FIELD.get(node.kind, ""), "") or "")
        fields: dict[str, Any] = {"number": node.fields.get("number", "")}
        fields[MAIN_FIELD[kind]] = text
        if kind in BODY_FIELD:
            fields[BODY_FIELD[kind]] = body
        fields.update(_defaults(kind, self.goal_level))
        node.kind, node.id, node.fields = kind, self.new_id(kind), fields

    def move(self, node_id: str, direction: str) -> None:
        siblings, index, _parent = self.siblings_of(node_id)
        target = index - 1 if direction == "up" else index + 1
        if direction not in ("up", "down") or not 0 <= target < len(siblings):
            raise ReviewError(_("Objektet kan inte flyttas åt det hållet."))
        siblings[index], siblings[target] = siblings[target], siblings[index]

    def move_into(self, node_id: str, parent_id: str) -> None:
        node = self.node(node_id)
        if parent_id and any(inner.id == parent_id for inner in node.walk()):
            raise ReviewError(_("Ett objekt kan inte flyttas in i sig självt."))
        target = self.node(parent_id).children if parent_id else self.proposal.nodes
        siblings, index, _parent = self.siblings_of(node_id)
        siblings.pop(index)
        target.append(node)

    def merge(self, node_id: str) -> None:
        siblings, index, _parent = self.siblings_of(node_id)
        node = siblings[index]
        if index == 0 or siblings[index - 1].kind != node.kind:
            raise ReviewError(
                _("Bara ett objekt som står direkt efter ett av samma sort kan slås ihop med det.")
            )
        first = siblings[index - 1]
        for name, value in node.fields.items():
            current = first.fields.get(name)
            if isinstance(current, str) and isinstance(value, str) and value:
                joiner = "\n\n" if name in BODY_FIELD.values() else " "
                first.fields[name] = f"{current}{joiner}{value}" if current else value
            elif isinstance(current, list) and isinstance(value, list):
                first.fields[name] = current + value
        first.children += node.children
        for source in node.sources:
            first.add_source(source)
        siblings.pop(index)

    def split(self, node_id: str, after: int) -> None:
        """Split the main text after its sentence number ``after`` (1 = the first)."""
        siblings, index, _parent = self.siblings_of(node_id)
        node = siblings[index]
        main = MAIN_FIELD.get(node.kind)
        sentences = sentences_of(str(node.fields.get(main, ""))) if main else []
        if not 1 <= after < len(sentences):
            raise ReviewError(_("Välj en mening att dela efter, inte den sista."))
        rest = Node(node.kind, self.new_id(node.kind), dict(node.fields), [], list(node.sources))
        node.fields[main] = " ".join(sentences[:after])  # type: ignore[index]
        rest.fields[main] = " ".join(sentences[after:])  # type: ignore[index]
        rest.fields["number"] = ""
        siblings.insert(index + 1, rest)

    def drop(self, node_id: str) -> None:
        siblings, index, parent = self.siblings_of(node_id)
        node = siblings.pop(index)
        self.dropped.append(Dropped(node, parent.id if parent else "", index))

    def restore(self, node_id: str) -> None:
        found = [item for item in self.dropped if item.node.id == node_id]
        if not found:
            raise ReviewError(_("Objektet finns inte bland de borttagna."))
        item = found[0]
        self.dropped.remove(item)
        try:
            target = self.node(item.parent).children if item.parent else self.proposal.nodes
        except ReviewError:
            target = self.proposal.nodes  # what it stood in is gone: back at the top
        target.insert(min(item.index, len(target)), item.node)

    def place(self, position: int, kind: str, parent_id: str) -> Node:
        """Make the unplaced passage number ``position`` (0 = the first) an object."""
        if not 0 <= position < len(self.proposal.unplaced):
            raise ReviewError(_("Stycket finns inte bland de ej placerade."))
        if kind not in MAIN_FIELD:
            raise ReviewError(_("Okänd sort."))
        passage = self.proposal.unplaced[position]
        fields: dict[str, Any] = {"number": "", MAIN_FIELD[kind]: passage.text}
        if kind in BODY_FIELD:
            fields[BODY_FIELD[kind]] = ""
        fields.update(_defaults(kind, self.goal_level))
        node = Node(kind, self.new_id(kind), fields, [], [passage.source])
        target = self.node(parent_id).children if parent_id else self.proposal.nodes
        target.append(node)
        self.proposal.unplaced.pop(position)
        return node


def _locate(
    nodes: list[Node], node_id: str, parent: Node | None
) -> tuple[list[Node], int, Node | None]:
    for index, node in enumerate(nodes):
        if node.id == node_id:
            return nodes, index, parent
        try:
            return _locate(node.children, node_id, node)
        except ReviewError:
            continue
    raise ReviewError(_("Objektet finns inte i förslaget."))


def _clean(value: str) -> str:
    text = "".join(ch for ch in value if ch in "\n\t" or ch.isprintable()).strip()
    if len(text) > MAX_TEXT:
        raise ReviewError(
            _("Texten är för lång: högst %(max)s tecken.")
            % {"max": f"{MAX_TEXT:_}".replace("_", " ")}
        )
    return text


def _defaults(kind: str, goal_level: str) -> dict[str, Any]:
    """The fields a kind needs besides its texts."""
    if kind == GOAL:
        return {"level": goal_level, "description": "", "note": ""}
    if kind == INDICATOR:
        return {"rule": None}
    if kind == STRATEGY:
        return {"lead": "", "statements": [], "description": ""}
    if kind == ASSIGNMENT:
        return {"responsible": None}
    return {}


def sentences_of(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(text.strip()) if part]
