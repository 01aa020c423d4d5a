"""One budget row's figures edited by anna_and_bo_on_table people at once: a figure written since the page was
opened is not overwritten (both amounts are shown); another figure of the row goes through."""

from decimal import Decimal

import pytest

from uppsikt.budget.actions.figures import set_figure
from uppsikt.budget.models import BudgetTable, Figure
from uppsikt.budget.series import Series
from uppsikt.lib.concurrency import EditConflict

from .budget_helpers import row
from .builders import two_planner_clients, user_with_role
from .html_forms import form_data

pytestmark = pytest.mark.django_db
JUNE, OCTOBER = Series.from_key("prognos-2023-06"), Series.from_key("prognos-2023-10")


@pytest.fixture
def anna_and_bo_on_table(small_budget_table):
    """Anna and Bo with the page open, each in their own session."""
    return two_planner_clients()


def _open(client, url):
    return form_data(client.get(url).content.decode(), containing="amount")


def _amount(budget_row, series):
    figure = Figure.objects.filter(
        row=budget_row, kind=series.kind, year=series.year, period=series.period
    ).first()
    return None if figure is None else figure.amount


def test_the_second_write_of_the_same_figure_is_refused_with_both_amounts(
    small_budget_table, anna_and_bo_on_table
):
    first, second = anna_and_bo_on_table
    enhet_b = row(small_budget_table, "Enhet B")
    url = f"/budget/rad/{enhet_b.pk}/belopp/"
    annas, bos = _open(first, url), _open(second, url)
    annas.update(new_series="prognos 2023-06", amount="-55")
    assert first.post(url, annas).status_code == 302
    bos.update(new_series="prognos 2023-06", amount="-60")
    response = second.post(url, bos)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enhet B, Prognos" in page and "har skrivits av någon annan" in page
    assert "−55 kr" in page and "Sparat av Anna Ek" in page  # theirs
    assert 'value="-60"' in page  # the user's own amount, kept in the form
    assert _amount(enhet_b, JUNE) == -55
    again = form_data(page, containing="amount")
    assert second.post(url, again).status_code == 302  # after seeing it, Bo may overwrite
    assert _amount(enhet_b, JUNE) == -60


def test_another_figure_of_the_same_row_goes_through_and_keeps_the_first(
    small_budget_table, anna_and_bo_on_table
):
    first, second = anna_and_bo_on_table
    enhet_b = row(small_budget_table, "Enhet B")
    url = f"/budget/rad/{enhet_b.pk}/belopp/"
    annas, bos = _open(first, url), _open(second, url)
    annas.update(new_series="prognos 2023-06", amount="-55")
    assert first.post(url, annas).status_code == 302
    bos.update(new_series="prognos 2023-10", amount="-52")
    assert second.post(url, bos).status_code == 302
    assert (_amount(enhet_b, JUNE), _amount(enhet_b, OCTOBER)) == (-55, -52)


def test_the_table_version_moves_with_every_write_and_the_action_checks_it(small_budget_table):
    planner = user_with_role("anna", "planerare")
    enhet_b = row(small_budget_table, "Enhet B")
    start = BudgetTable.objects.get(pk=small_budget_table.pk).row_version
    set_figure(enhet_b, actor=planner, series=JUNE, amount=Decimal(-55), expected_version=0)
    assert BudgetTable.objects.get(pk=small_budget_table.pk).row_version == start + 1
    written = Figure.objects.get(row=enhet_b, kind="prognos")
    assert written.row_version == start + 1
    with pytest.raises(EditConflict) as refused:
        set_figure(enhet_b, actor=planner, series=JUNE, amount=Decimal(-56), expected_version=0)
    assert refused.value.code == "conflict"
    set_figure(enhet_b, actor=planner, series=JUNE, amount=None, expected_version=start + 1)
    set_figure(enhet_b, actor=planner, series=JUNE, amount=Decimal(-57))  # entered again
    with pytest.raises(EditConflict):  # a removed and re-entered figure is a new version
        set_figure(
            enhet_b, actor=planner, series=JUNE, amount=Decimal(-58), expected_version=start + 1
        )
    assert _amount(enhet_b, JUNE) == -57
