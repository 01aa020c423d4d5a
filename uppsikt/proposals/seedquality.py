"""The seed plan read, proposed and compared with the demo's transcription: shared by the
benchmark (benchmarks/plan_read_quality.py) and the quality test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from uppsikt.lib.yamlfile import load_yaml
from uppsikt.proposals.reading.blocks import ReadDocument

from .propose import Context, Proposal, propose
from .quality import Share, compare

REPO = Path(__file__).resolve().parent.parent.parent
PLAN_IDS = ("rs-2023", "rk-2023")
LEVELS = (("effektmal", "Effektmål", "Effektmål"), ("mal", "Mål", "Mål"),
          ("namndmal", "Nämndmål", "Nämndmål"))  # fmt: skip


def transcription() -> tuple[list[dict], list[dict], Context]:
    """The demo's plans of the seed, its budget tables, and the organisation's context as
    the demo file gives it (no database needed)."""
    data = load_yaml((REPO / "demo" / "region-orebro-lan.yaml").read_text(encoding="utf-8"))
    plans = [plan for plan in data["plans"] if plan.get("id") in PLAN_IDS]
    budget = load_yaml((REPO / "demo" / "budget-2023.yaml").read_text(encoding="utf-8"))
    organisation = next(org for org in data["organisations"] if org["code"] == "0018")
    units = tuple(_units(organisation.get("units", [])))
    perspectives = tuple(p["name"] for p in organisation["styrmodell"].get("perspectives", []))
    levels = tuple(
        (level["key"], level["name"], level.get("plural", level["name"]))
        for level in organisation["styrmodell"]["levels"]
    )
    context = Context("0018", "regionstyrelsen", 2023, levels or LEVELS, perspectives, units)
    return plans, budget["tables"], context


def _units(units: list[dict]) -> Iterator[tuple[str, str]]:
    for unit in units:
        yield unit["slug"], unit["name"]
        yield from _units(unit.get("units", []))


def measure(document: ReadDocument) -> tuple[list[Share], Proposal]:
    plans, tables, context = transcription()
    proposal = propose(document, context)
    return compare(proposal, plans, tables), proposal
