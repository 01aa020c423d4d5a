"""The indicator chart: labelled axes with units, a range that holds everything, labels
that never overlap, and the same figures as the table beside it."""

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.indicators.chart import BOTTOM, HEIGHT, LINE, TOP, WIDTH, bar_chart, text_width
from uppsikt.indicators.models import IndicatorDefinition
from uppsikt.indicators.queries import Cell, SeriesRow

amounts = st.decimals(min_value=-100_000, max_value=100_000, places=1)
COLUMNS = [("0018", "T", "bar--0", "Regionen"), ("0000", "T", "bar--1", "Riket")]


def _rows(values, periods):
    return [
        SeriesRow(period, {"0018": {"T": Cell(a)}, "0000": {"T": Cell(b)}})
        for period, (a, b) in zip(periods, values, strict=False)
    ]


period_lists = st.sampled_from(
    [
        [str(year) for year in range(2019, 2024)],
        [str(year) for year in range(2000, 2026)],
        [f"2023-{month:02d}" for month in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 13)],
        [f"{year}T{t}" for year in range(2015, 2024) for t in (1, 2, 3)],
    ]
)


@given(
    period_lists,
    st.lists(st.tuples(st.one_of(st.none(), amounts), amounts), min_size=1, max_size=30),
    st.one_of(st.none(), amounts, st.tuples(amounts, amounts)),
    st.sampled_from(["procent", "antal", "mnkr"]),
)
def test_chart_axes_range_and_labels(periods, values, target, unit):
    rows = _rows(values, periods)
    if target is not None and isinstance(target, tuple):
        target = sorted(target)
    targets = {rows[0].period: target} if target is not None else {}
    chart = bar_chart(rows, COLUMNS, unit, targets, "Mål", "Värde (x)")
    assert chart.axis_title == "Värde (x)"
    suffix = {"procent": "%", "mnkr": "mnkr", "antal": ""}[unit]
    assert len(chart.ticks) >= 2
    for tick in chart.ticks:
        assert tick.label.endswith(suffix)
        assert text_width(tick.label) <= chart.label_x  # fits left of the plot
    ys = sorted(tick.y for tick in chart.ticks)
    assert all(b - a >= LINE for a, b in pairwise(ys))
    # Every value and target lies inside the value axis's range.
    plot_top, plot_bottom = TOP - 0.1, HEIGHT - BOTTOM + 0.1
    for group in chart.groups:
        for bar in group.bars:
            assert plot_top <= bar.y and bar.y + bar.height <= plot_bottom
            assert chart.left <= bar.x and bar.x + bar.width <= WIDTH
    for mark in chart.marks:
        assert plot_top <= mark.y <= plot_bottom
    assert len(chart.marks) == (0 if target is None else 2 if isinstance(target, list) else 1)
    # Period labels that are shown never overlap, and the newest is always shown.
    shown = [g for g in chart.groups if g.show_label]
    assert shown[-1] is chart.groups[-1]
    for a, b in pairwise(shown):
        assert b.x - a.x >= (text_width(a.period) + text_width(b.period)) / 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key", ["tillgang-till-varden", "levnadsvaneformular", "fardigbehandlade-ett-besok"]
)
def test_chart_shows_what_the_table_says(client, demo_with_indicators, key):
    definition = IndicatorDefinition.objects.get(key=key)
    response = client.get(definition.get_absolute_url())
    chart, table = response.context["chart"], response.context["table"]
    html = response.content.decode()
    assert f"Värde ({definition.get_unit_display()})" in html
    assert 'class="tick"' in html
    table_values = {
        row.period: sorted(cell.value for cell in row.cells if cell.value is not None)
        for row in table
    }
    assert [group.period for group in chart.groups] == [row.period for row in table]
    for group in chart.groups:
        for bar in group.bars:
            assert bar.value in table_values[group.period]
            head, shown = bar.label.split(": ")
            assert head.endswith(f" {group.period}")
            assert shown in html
    # Targets drawn are the ones the table's target column states.
    for mark in chart.marks:
        period = mark.label.split(": ")[0].split(" ")[-1]
        row = next(row for row in table if row.period == period)
        assert row.target


def test_a_forecast_is_a_dashed_labelled_bar_named_in_the_legend():
    from decimal import Decimal

    rows = _rows([(Decimal(50), Decimal(48))], ["2023"])
    rows.append(SeriesRow("2024", {"0018": {"T": Cell(Decimal("51.5"), forecast=True)}}))
    chart = bar_chart(rows, COLUMNS, "procent")
    (bar,) = chart.groups[1].bars
    assert bar.forecast and bar.css == "bar--0 bar--forecast"
    assert bar.label == "Regionen, prognos 2024: 51,5\xa0%"  # said in words, not by colour
    assert ("bar--forecast", "Prognos (streckad ram)") in chart.legend
    assert not any(b.forecast for b in chart.groups[0].bars)
    assert all(css != "bar--forecast" for css, _label in bar_chart(rows[:1], COLUMNS, "").legend)
