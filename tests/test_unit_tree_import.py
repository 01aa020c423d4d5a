"""Properties of the unit-tree import (``administration.unit_file`` and ``import_units``):

- any valid tree, written as CSV (any separator, any line order) or XLSX and imported,
  exports again as the same rows, up to order;
- any file with a defect injected (a loop of parents, an unknown parent, a slug twice, a
  slug the organisation already has) is refused naming the defect at its line, and changes
  nothing: not the units, not the audit trail.
"""

import csv
import io
import random
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from uppsikt.administration.actions import import_units
from uppsikt.administration.queries import unit_tree
from uppsikt.administration.unit_file import COLUMNS, TreeRefused, export_rows, read
from uppsikt.audit.models import AuditEvent, ChainHead
from uppsikt.lib.celltext import csv_text
from uppsikt.lib.workbook import to_bytes
from uppsikt.organisations.models import Organisation, Unit

pytestmark = pytest.mark.django_db

EXISTING = "befintlig"  # a unit the organisation has before the import
KINDS = list(Unit.Kind)
HEADER = [header for _name, header in COLUMNS]

slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True).filter(
    lambda slug: slug != EXISTING
)
# Names as people write them: any letters, digits, punctuation and spaces (no control
# characters), formula-like ones included; never blank or padded, since cells are trimmed.
texts = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).map(str.strip)
names = texts.filter(bool) | st.sampled_from(["=SUMMA(A1)", "+46 19", "@kansli", "'=x"])


@dataclass(frozen=True)
class Spec:
    slug: str
    name: str
    kind: str  # the key
    parent: str
    responsibility: str

    def row(self, kind_as_label: bool = False) -> list[str]:
        kind = str(Unit.Kind(self.kind).label) if kind_as_label else self.kind
        return [self.slug, self.name, kind, self.parent, self.responsibility]


@st.composite
def trees(draw) -> list[Spec]:
    """A valid tree: unique slugs, each parent earlier in the drawing (or the existing unit,
    or none); the file's order is then shuffled."""
    chosen = draw(st.lists(slugs, min_size=1, max_size=10, unique=True))
    specs: list[Spec] = []
    for slug in chosen:
        parents = ["", EXISTING, *(spec.slug for spec in specs)]
        specs.append(
            Spec(
                slug=slug,
                name=draw(names),
                kind=draw(st.sampled_from(KINDS)).value,
                parent=draw(st.sampled_from(parents)),
                responsibility=draw(st.one_of(st.just(""), texts)),
            )
        )
    return draw(st.permutations(specs))


def csv_file(specs: list[Spec], delimiter: str, labels: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in [HEADER, *(spec.row(labels) for spec in specs)]:
        writer.writerow([csv_text(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def xlsx_file(specs: list[Spec]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *(spec.row(True) for spec in specs)]:
        sheet.append(row)
    return to_bytes(book)


def _world():
    organisation = Organisation.objects.create(code="1814", name="Lekeberg", kind="kommun")
    Unit.objects.create(
        organisation=organisation, slug=EXISTING, name="Fullmäktige", kind="fullmaktige"
    )
    actor = get_user_model().objects.create_superuser("rot-slump")
    return organisation, actor


def _exported(organisation) -> set[tuple[str, ...]]:
    return {tuple(row) for row in export_rows(unit_tree(organisation))[1:] if row[0] != EXISTING}


def _state(organisation) -> tuple:
    head = ChainHead.objects.values_list("last_sequence", "last_hash").first()
    return Unit.objects.filter(organisation=organisation).count(), AuditEvent.objects.count(), head


SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(specs=trees(), delimiter=st.sampled_from([";", ",", "\t"]), labels=st.booleans())
def test_any_valid_tree_written_as_csv_round_trips(specs, delimiter, labels):
    with transaction.atomic():
        organisation, actor = _world()
        created = import_units(organisation, read(csv_file(specs, delimiter, labels)), actor=actor)
        assert len(created) == len(specs)
        assert _exported(organisation) == {tuple(spec.row()) for spec in specs}
        transaction.set_rollback(True)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=trees())
def test_any_valid_tree_written_as_xlsx_round_trips(specs):
    with transaction.atomic():
        organisation, actor = _world()
        import_units(organisation, read(xlsx_file(specs)), actor=actor)
        assert _exported(organisation) == {tuple(spec.row()) for spec in specs}
        transaction.set_rollback(True)


def _descendants(specs: list[Spec], slug: str) -> list[str]:
    found, frontier = [], [slug]
    while frontier:
        children = [s.slug for s in specs if s.parent in frontier]
        found.extend(children)
        frontier = children
    return found


def inject(specs: list[Spec], defect: str, seed: int) -> tuple[list[Spec], str]:
    """``specs`` with one defect of kind ``defect``; the problem code the import must give."""
    pick = random.Random(seed)
    specs = list(specs)
    index = pick.randrange(len(specs))
    victim = specs[index]
    if defect == "loop":  # under itself, or under one of its own descendants
        parent = pick.choice([victim.slug, *_descendants(specs, victim.slug)])
        specs[index] = Spec(victim.slug, victim.name, victim.kind, parent, "")
        return specs, "loop"
    if defect == "unknown_parent":
        specs[index] = Spec(victim.slug, victim.name, victim.kind, "finns-inte-x", "")
        return specs, "unknown_parent"
    if defect == "duplicate_slug":
        twin = Spec(victim.slug, "Tvilling", "enhet", "", "")
        specs.insert(pick.randrange(len(specs) + 1), twin)
        return specs, "duplicate_slug"
    specs[index] = Spec(EXISTING, victim.name, victim.kind, "", "")
    return specs, "slug_taken"


@SLOW
@given(
    specs=trees(),
    defect=st.sampled_from(["loop", "unknown_parent", "duplicate_slug", "slug_taken"]),
    seed=st.integers(0, 10_000),
)
def test_any_invalid_file_is_refused_and_changes_nothing(specs, defect, seed):
    broken, code = inject(specs, defect, seed)
    with transaction.atomic():
        organisation, actor = _world()
        before = _state(organisation)
        with pytest.raises(TreeRefused) as refused:
            import_units(organisation, read(csv_file(broken, ";", False)), actor=actor)
        problems = refused.value.problems
        assert code in {problem.code for problem in problems}
        assert all(problem.line and problem.line >= 2 for problem in problems)
        assert _state(organisation) == before
        transaction.set_rollback(True)
