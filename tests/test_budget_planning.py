"""Next year's frame (uppräkning), reallocations, figure edits and drafts: rules, audit and
who may do them."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.budget import tree
from uppsikt.budget.actions import (
    create_next_year_draft,
    delete_draft,
    reallocate,
    set_figure,
    settle_table,
)
from uppsikt.budget.document import budget_document
from uppsikt.budget.frame import QUANTA, apportion, draft_figures, round_to
from uppsikt.budget.models import BudgetTable, Figure, Reallocation, Series
from uppsikt.budget.stored import Loaded, load
from uppsikt.budget.tree import LINE, VARAV, Node

from .budget_helpers import counts, plan_in_draft, row, small_table
from .builders import user_with_role

pytestmark = pytest.mark.django_db
MNKR = Decimal(1_000_000)
B23, B24 = Series(2023, "budget"), Series(2024, "budget")
R23 = Series(2023, "reviderad")


@pytest.fixture
def demo_budget_planner(demo_budget_tables):
    return user_with_role("planerare-test", "planerare", "regionstyrelsen")


def test_frame_raises_the_seed_by_4_3_percent(demo_budget_tables, demo_budget_planner):
    draft = create_next_year_draft(
        demo_budget_tables["4.3"], actor=demo_budget_planner, rate=Decimal("4.3"), rounding="tkr"
    )
    assert (draft.year, draft.status, draft.based_on) == (2024, "utkast", demo_budget_tables["4.3"])
    assert draft.columns == ["budget-2024", "budget-2023"]
    doc = budget_document(draft)
    total = row(draft, "Totalt regionstyrelsens driftansvar")
    assert doc.value(total, B23) == -3007 * MNKR  # the base, copied for comparison
    assert doc.value(row(draft, "Hälsovalsenheten, varav"), B24) == Decimal("-2149623000")
    # Every row rounded to tkr; the sum is computed from them, not raised itself.
    rows = [r for r in draft.rows.all() if r.kind == LINE]
    assert doc.value(total, B24) == sum(doc.value(r, B24) for r in rows)
    assert abs(doc.value(total, B24) - Decimal("-3007") * MNKR * Decimal("1.043")) < 10_000
    assert draft.mapping_rules.count() == demo_budget_tables["4.3"].mapping_rules.count()
    (event,) = AuditEvent.objects.filter(action="budget.frame.create")
    assert event.after["uppräkning_procent"] == "4.3" and event.actor == demo_budget_planner


def test_frame_is_a_draft_the_public_does_not_see(demo_budget_tables, demo_budget_planner, client):
    draft = create_next_year_draft(
        demo_budget_tables["4.3"], actor=demo_budget_planner, rate=Decimal("4.3")
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(demo_budget_planner)
    assert "Utkast" in client.get(draft.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match="finns redan"):
        create_next_year_draft(
            demo_budget_tables["4.3"], actor=demo_budget_planner, rate=Decimal("4.3")
        )
    settle_table(draft, actor=demo_budget_planner)
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 200
    with pytest.raises(ValidationError, match="Bara utkast"):
        delete_draft(draft, actor=demo_budget_planner)


def test_removing_a_draft(demo_budget_tables, demo_budget_planner):
    draft = create_next_year_draft(
        demo_budget_tables["4.4"], actor=demo_budget_planner, rate=Decimal("2")
    )
    delete_draft(draft, actor=demo_budget_planner, reason="fel procentsats")
    assert not BudgetTable.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(
        action="budget.table.delete", reason="fel procentsats"
    ).exists()


def test_only_planners_make_frames(demo_budget_tables):
    reader = user_with_role("lasare-test", "lasare", "regionstyrelsen")
    before = counts()
    with pytest.raises(PermissionDenied):
        create_next_year_draft(demo_budget_tables["4.3"], actor=reader, rate=Decimal("4.3"))
    assert counts() == before


amounts = st.decimals(min_value=-(10**9), max_value=-1, places=2)


@st.composite
def rows_with_varav(draw):
    """A row and varav rows that fit inside it (costs: all negative)."""
    parts = draw(st.lists(amounts, min_size=1, max_size=5))
    rest = draw(st.decimals(min_value=0, max_value=10**6, places=2))
    return sum(parts) - rest, parts


@settings(max_examples=200, deadline=None)
@given(
    st.lists(rows_with_varav(), min_size=1, max_size=4),
    st.decimals(min_value=-10, max_value=15, places=1),
    st.sampled_from(list(QUANTA)),
)
def test_a_raised_frame_keeps_the_varav_rule_and_each_row_close(rows, rate, rounding):
    """Property: every row ends within one rounding unit of its exact value, and the varav
    rows still fit in their (rounded) row."""

    nodes, loaded_nodes, pk = [], {}, 0
    for own, parts in rows:
        pk += 1
        parent = Node(LINE, figures={B23: own}, key=SimpleNamespace(pk=pk))
        loaded_nodes[pk] = parent
        for part in parts:
            pk += 1
            child = Node(VARAV, figures={B23: part}, key=SimpleNamespace(pk=pk))
            loaded_nodes[pk] = child
            parent.children.append(child)
        nodes.append(parent)

    figures = draft_figures(Loaded(None, nodes, loaded_nodes, {}), B23, rate, QUANTA[rounding])
    quantum = QUANTA[rounding]
    factor = 1 + rate / 100
    for key, node in loaded_nodes.items():
        assert figures[key] % quantum == 0
        assert abs(figures[key] - node.figures[B23] * factor) <= quantum * len(loaded_nodes)
        node.figures = {B24: figures[key]}
    assert tree.check(nodes) == []


@given(
    st.lists(st.decimals(min_value=-1000, max_value=1000, places=3), min_size=1, max_size=8),
    st.sampled_from([Decimal("0.01"), Decimal(1), Decimal(10)]),
)
def test_apportion_adds_up_to_its_target(values, quantum):
    target = round_to(sum(values), quantum)
    parts = apportion(values, quantum, target)
    assert sum(parts) == target
    assert all(p % quantum == 0 for p in parts)
    assert all(abs(p - v) < quantum * 2 for p, v in zip(parts, values, strict=True))


def test_reallocation_moves_budget_and_keeps_the_total(demo_budget_tables, demo_budget_planner):
    table = demo_budget_tables["4.3"]
    before = budget_document(table).value(row(table, "Totalt regionstyrelsens driftansvar"), B23)
    made = reallocate(
        table,
        actor=demo_budget_planner,
        from_row=row(table, "Hälsovalsenheten, varav"),
        to_row=row(table, "Tandvårdsenheten, varav"),
        series=B23,
        amount=5 * MNKR,
        reason="Tandvårdsstödet ökar",
    )
    doc = budget_document(table, columns=[B23, R23])
    # The move is in the revised budget, made as a copy of the decided one ...
    assert doc.value(row(table, "Hälsovalsenheten, varav"), R23) == -2056 * MNKR
    assert doc.value(row(table, "Tandvårdsenheten, varav"), R23) == -263 * MNKR
    assert doc.value(row(table, "Tandvårdsstöd"), R23) == -34 * MNKR  # copied, not moved
    assert doc.value(row(table, "Totalt regionstyrelsens driftansvar"), R23) == before
    # ... and the decided budget is untouched.
    assert doc.value(row(table, "Hälsovalsenheten, varav"), B23) == -2061 * MNKR
    assert doc.value(row(table, "Tandvårdsenheten, varav"), B23) == -258 * MNKR
    assert doc.value(row(table, "Totalt regionstyrelsens driftansvar"), B23) == before
    assert (made.made_by, made.reason, made.series) == (
        demo_budget_planner,
        "Tandvårdsstödet ökar",
        R23,
    )
    (event,) = AuditEvent.objects.filter(action="budget.reallocate")
    assert event.reason == "Tandvårdsstödet ökar" and event.after["belopp"] == "5000000"
    assert event.after["serie"] == "reviderad-2023"
    assert event.after["reviderad_skapad_från"] == "budget-2023"


def test_a_second_reallocation_builds_on_the_revised_budget(
    demo_budget_tables, demo_budget_planner
):
    table = demo_budget_tables["4.3"]
    hv, tv = row(table, "Hälsovalsenheten, varav"), row(table, "Tandvårdsenheten, varav")
    for series in (B23, R23):  # the decided budget's column names the year too
        reallocate(
            table,
            actor=demo_budget_planner,
            from_row=hv,
            to_row=tv,
            series=series,
            amount=5 * MNKR,
            reason="x",
        )
    doc = budget_document(table, columns=[B23, R23])
    assert doc.value(hv, R23) == -2051 * MNKR and doc.value(tv, R23) == -268 * MNKR
    assert doc.value(hv, B23) == -2061 * MNKR and doc.value(tv, B23) == -258 * MNKR
    assert (
        "reviderad_skapad_från"
        not in AuditEvent.objects.filter(action="budget.reallocate").order_by("pk").last().after
    )


def test_a_row_cannot_give_more_than_it_has_in_the_revised_budget(
    demo_budget_tables, demo_budget_planner
):
    table = demo_budget_tables["4.3"]
    tv, hv = row(table, "Tandvårdsenheten, varav"), row(table, "Hälsovalsenheten, varav")
    reallocate(
        table,
        actor=demo_budget_planner,
        from_row=tv,
        to_row=hv,
        series=B23,
        amount=3 * MNKR,
        reason="x",
    )
    before = counts()
    with pytest.raises(ValidationError) as refused:
        reallocate(
            table,
            actor=demo_budget_planner,
            from_row=tv,
            to_row=hv,
            series=R23,
            amount=256 * MNKR,
            reason="x",
        )
    (message,) = refused.value.message_dict["amount"]
    assert message == (
        "Beloppet att flytta är större än vad Tandvårdsenheten, varav har i Reviderad budget "
        "2023: 255 mnkr kan flyttas, inte 256 mnkr."
    )
    assert counts() == before


def test_reallocation_in_an_investment_budget_moves_the_other_way(
    demo_budget_tables, demo_budget_planner
):
    table = demo_budget_tables["4.4"]
    reallocate(
        table,
        actor=demo_budget_planner,
        from_row=row(table, "Immateriella anläggningstillgångar"),
        to_row=row(table, "Övrig utrustning"),
        series=B23,
        amount=Decimal("1400000"),
        reason="Ny utrustning",
    )
    doc = budget_document(table, columns=[B23, R23])
    assert doc.value(row(table, "Immateriella anläggningstillgångar"), R23) == 13 * MNKR
    assert doc.value(row(table, "Övrig utrustning"), R23) == Decimal("11.4") * MNKR
    assert doc.value(row(table, "Övrig utrustning"), B23) == 10 * MNKR


@pytest.mark.parametrize(
    ("from_label", "to_label", "amount", "reason", "message"),
    [
        ("Hälsovalsenheten, varav", "Tandvårdsenheten, varav", 5, "", "Ange varför"),
        ("Hälsovalsenheten, varav", "Tandvårdsenheten, varav", 0, "x", "större än noll"),
        ("Hälsovalsenheten, varav", "Hälsovalsenheten, varav", 5, "x", "två olika rader"),
        ("Vårdval Hälsoval", "Tandvårdsstöd", 5, "x", "varav-rader under samma rad"),
        ("Hälsovalsenheten, varav", "Vårdval Hälsoval", 5, "x", "vanliga rader"),
        ("Regionstyrelsen och regionkansliet, varav", "Omställning", 93, "x", "varav-raderna"),
        ("Omställning", "Hälsovalsenheten, varav", 10_000, "x", "större än vad Omställning har"),
    ],
)
def test_reallocation_is_refused_with_a_reason(
    demo_budget_tables, demo_budget_planner, from_label, to_label, amount, reason, message
):
    table = demo_budget_tables["4.3"]
    before = counts()
    with pytest.raises(ValidationError, match=message):
        reallocate(
            table,
            actor=demo_budget_planner,
            from_row=row(table, from_label),
            to_row=row(table, to_label),
            series=B23,
            amount=amount * MNKR,
            reason=reason,
        )
    assert counts() == before


def test_reallocation_between_varav_rows_of_one_row(demo_budget_tables, demo_budget_planner):
    table = demo_budget_tables["4.3"]
    reallocate(
        table,
        actor=demo_budget_planner,
        from_row=row(table, "Vårdval Hälsoval"),
        to_row=row(table, "Läkemedel, förskrivna inom primärvården"),
        series=B23,
        amount=MNKR,
        reason="Läkemedelskostnaderna stiger",
    )
    hv = row(table, "Vårdval Hälsoval")
    assert hv.figures.get(kind="reviderad", year=2023).amount == -1189 * MNKR
    assert hv.figures.get(kind="budget", year=2023).amount == -1190 * MNKR


moves = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "A1", "A2"]),
        st.sampled_from(["A", "B", "A1", "A2"]),
        st.integers(min_value=1, max_value=200),
    ),
    max_size=6,
)


@settings(max_examples=40, deadline=None)
@given(moves, st.sampled_from(["drift", "investering"]))
def test_reallocations_keep_the_total_and_refused_ones_change_nothing(steps, kind):
    """Property: every accepted reallocation keeps the revised budget's total equal to the
    decided budget's and leaves the decided budget as it was; every refused one changes
    nothing at all."""
    from django.db import transaction

    with transaction.atomic():
        table = small_table(kind)
        actor = user_with_role("planerare-prop", "planerare", "styrelsen")
        decided = {f.row_id: f.amount for f in Figure.objects.filter(row__table=table)}
        total = sum(amount for pk, amount in decided.items() if table.rows.get(pk=pk).kind == LINE)
        for from_code, to_code, amount in steps:
            before = counts()
            try:
                reallocate(
                    table,
                    actor=actor,
                    from_row=row(table, from_code),
                    to_row=row(table, to_code),
                    series=B23,
                    amount=Decimal(amount),
                    reason="egenskap",
                )
            except ValidationError:
                assert counts() == before
                continue
            revised = Figure.objects.filter(row__table=table, kind="reviderad", row__kind=LINE)
            assert sum(f.amount for f in revised) == total
            assert all(table.cost_sign * f.amount >= 0 for f in revised)
            assert {
                f.row_id: f.amount for f in Figure.objects.filter(row__table=table, kind="budget")
            } == decided
        transaction.set_rollback(True)


def test_figure_edit_is_checked_and_audited(demo_budget_tables, demo_budget_planner):
    table = plan_in_draft(demo_budget_tables["4.3"])
    tandvard = row(table, "Tandvårdsstöd")
    set_figure(
        tandvard, actor=demo_budget_planner, series=B23, amount=-35 * MNKR, reason="Rättelse"
    )
    assert tandvard.figures.get(kind="budget", year=2023).amount == -35 * MNKR
    (event,) = AuditEvent.objects.filter(action="budget.figure.set")
    assert event.before["belopp"] == "-34000000.00" and event.after["belopp"] == "-35000000"
    before = counts()
    with pytest.raises(ValidationError, match="varav-raderna summerar"):
        set_figure(tandvard, actor=demo_budget_planner, series=B23, amount=-50 * MNKR)
    with pytest.raises(ValidationError, match="räknas fram"):
        set_figure(row(table, "Summa:"), actor=demo_budget_planner, series=B23, amount=MNKR)
    assert counts() == before
    set_figure(tandvard, actor=demo_budget_planner, series=B23, amount=None)
    assert not tandvard.figures.filter(kind="budget", year=2023).exists()
    from django.test import Client

    client = Client()
    client.force_login(demo_budget_planner)
    html = client.get(tandvard.get_absolute_url()).content.decode()
    assert "Tandvårdsstöd, Budget 2023: −34,0 mnkr → −35,0 mnkr." in html
    assert "Motivering: Rättelse" in html


def test_the_history_shows_who_when_and_why(demo_budget_tables, demo_budget_planner, client):
    table = demo_budget_tables["4.3"]
    reallocate(
        table,
        actor=demo_budget_planner,
        from_row=row(table, "Hälsovalsenheten, varav"),
        to_row=row(table, "Tandvårdsenheten, varav"),
        series=B23,
        amount=5 * MNKR,
        reason="Tandvårdsstödet ökar",
    )
    assert "Tandvårdsstödet ökar" not in client.get(table.get_absolute_url()).content.decode()
    client.force_login(user_with_role("lasare-test", "lasare", "regionstyrelsen"))
    html = client.get(table.get_absolute_url()).content.decode()
    assert "Tandvårdsstödet ökar" in html and "planerare-test" in html
    assert "Flyttade 5,0 mnkr från Hälsovalsenheten, varav till Tandvårdsenheten, varav" in html
    html = client.get(row(table, "Tandvårdsenheten, varav").get_absolute_url()).content.decode()
    assert "Tandvårdsstödet ökar" in html
    assert Reallocation.objects.count() == 1


def test_figures_of_other_tables_are_untouched(demo_budget_tables, demo_budget_planner):
    fig = list(
        Figure.objects.filter(row__table=demo_budget_tables["5.1"]).values_list("amount", flat=True)
    )
    create_next_year_draft(
        demo_budget_tables["4.3"], actor=demo_budget_planner, rate=Decimal("4.3")
    )
    assert (
        list(
            Figure.objects.filter(row__table=demo_budget_tables["5.1"]).values_list(
                "amount", flat=True
            )
        )
        == fig
    )
    assert load(demo_budget_tables["4.3"]).table == demo_budget_tables["4.3"]


def test_small_table_builder_has_varav_within_rows():
    table = small_table()
    assert tree.check(load(table).roots) == []


def test_admin_edits_mapping_rules_through_the_action_and_only_reads_figures(
    demo_budget_tables, client
):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("chef", password="x-test-pass-1")
    client.force_login(admin_user)
    table = demo_budget_tables["4.3"]
    omst = row(table, "Omställning")
    data = {
        "table": table.pk,
        "row": omst.pk,
        "account_from": 3000,
        "account_to": 3999,
        "dimension": 1,
        "object_code": "2100",  # already Vårdval Hälsoval's
        "flip_sign": "on",
        "position": 99,
        "note": "",
    }
    response = client.post("/admin/budget/mappingrule/add/", data)
    assert response.status_code == 200 and "räknar samma belopp" in response.content.decode()
    data["object_code"] = "4400"
    assert client.post("/admin/budget/mappingrule/add/", data).status_code == 302
    assert AuditEvent.objects.filter(action="budget.mapping.save").count() == 1
    for url in (
        "/admin/budget/budgettable/",
        "/admin/budget/budgetrow/",
        f"/admin/budget/budgetrow/{omst.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/budget/budgettable/add/").status_code == 403


def test_the_audit_trail_shows_budget_amounts_in_swedish(
    demo_budget_tables, demo_budget_planner, client
):
    """The change log's pages show amounts as "−35 000 000 kr", not "-35000000.00"."""
    table = plan_in_draft(demo_budget_tables["4.3"])
    tandvard = row(table, "Tandvårdsstöd")
    set_figure(
        tandvard, actor=demo_budget_planner, series=B23, amount=Decimal("-35000000.5"), reason="R"
    )
    reallocate(
        table,
        actor=demo_budget_planner,
        from_row=row(table, "Hälsovalsenheten, varav"),
        to_row=row(table, "Tandvårdsenheten, varav"),
        series=B23,
        amount=5 * MNKR,
        reason="Tandvårdsstödet ökar",
    )
    client.force_login(demo_budget_planner)
    html = client.get(f"/andringslogg/objekt/budget.budgetrow/{tandvard.pk}/").content.decode()
    assert "Belopp ändrades" in html
    assert "\u221234\u00a0000\u00a0000 kr" in html and "\u221235\u00a0000\u00a0000,50 kr" in html
    assert "34000000" not in html and "35000000" not in html
    html = client.get(f"/andringslogg/objekt/budget.budgettable/{table.pk}/").content.decode()
    assert "Belopp omfördelades" in html and "5\u00a0000\u00a0000 kr" in html
    assert "Reviderad budget 2023" in html and "5000000" not in html
    # The audit record itself keeps the exact amount as text.
    event = AuditEvent.objects.get(action="budget.figure.set")
    assert event.after["belopp"] == "-35000000.5"


def test_a_decided_plans_budget_is_never_rewritten(demo_budget_tables, demo_budget_planner):
    """Neither an edit, a removal nor an import changes the budget a decided plan carries."""
    from uppsikt.budget.actions import apply_import, run_import_check, stage_import
    from uppsikt.budget.importers import ImportOptions

    table = demo_budget_tables["4.3"]
    tandvard = row(table, "Tandvårdsstöd")
    before = counts()
    with pytest.raises(ValidationError, match="Budget 2023 är beslutad och kan inte ändras"):
        set_figure(tandvard, actor=demo_budget_planner, series=B23, amount=-35 * MNKR)
    with pytest.raises(ValidationError, match="är beslutad"):
        set_figure(tandvard, actor=demo_budget_planner, series=B23, amount=None)
    content = f"rad;budget 2023\r\n{tandvard.label};-35\r\n".encode()
    staged = stage_import(
        table,
        actor=demo_budget_planner,
        file_name="b.csv",
        content=content,
        options=ImportOptions(unit="mnkr"),
    )
    staged = run_import_check(staged, actor=demo_budget_planner)
    assert [message for _where, message in staged.problems] == [
        "Budget 2023 är beslutad och kan inte ändras; för in ändringen i reviderad budget "
        "eller revidera planen"
    ]
    with pytest.raises(ValidationError):
        apply_import(staged, actor=demo_budget_planner)
    assert counts() == before
    assert tandvard.figures.get(kind="budget", year=2023).amount == -34 * MNKR
