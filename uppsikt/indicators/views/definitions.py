from html import escape

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, units_with
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Plan

from .. import queries
from ..actions import require_definition_change
from ..chart import bar_chart
from ..definition_panels import definition_panels, list_panels, panels
from ..derived import expression, input_rows
from ..formatting import value_formatter
from ..models import DerivedIndicator, IndicatorDefinition
from ..outlook import METHOD_CONTEXT
from ..periods import PeriodError, format_period, parse_period


def definition_list(request):
    definitions = IndicatorDefinition.objects.order_by("name")
    return render(
        request,
        "indicators/definition_list.html",
        {
            "definitions": definitions,
            "may_import": bool(units_with(request.user, Perm.PLAN)),
            "panels": panels(list_panels, None, request.user),
            "breadcrumbs": [(_("Indikatorer"), None)],
        },
    )


def definition_detail(request, pk: int):
    definition = get_object_or_404(IndicatorDefinition, pk=pk)
    organisation = None
    if code := request.GET.get("organisation"):
        organisation = Organisation.objects.filter(code=code).first()
    organisation = organisation or queries.default_organisation(definition)
    others = Organisation.objects.filter(code=queries.RIKET)
    if organisation is not None:
        others = others.exclude(pk=organisation.pk)
    riket = others.first()
    shown = [org for org in (organisation, riket) if org is not None]
    rows = queries.series_rows(definition, [org.code for org in shown])
    genders = ["T", "K", "M"] if definition.by_gender else ["T"]
    columns = [(org.code, gender) for org in shown for gender in genders]
    # Only targets in plans the visitor may read: a draft (or a revision being written) is
    # not public.
    targets = list(
        definition.targets.filter(indicator__goal__plan__in=Plan.objects.visible_to(request.user))
        .select_related("indicator__goal__plan__unit__organisation", "definition")
        .order_by("indicator__goal__plan__unit__position", "indicator__goal__plan__version", "pk")
    )
    rule = targets[0].target_rule if targets else None
    results = _latest_results(targets)
    for target in targets:
        target.result = results.get(target.pk)  # type: ignore[attr-defined]  # for the page
    _mark_versions(targets)
    forecast_rows = _forecast_rows(targets, organisation)
    table = queries.series_table(rows + forecast_rows, columns, rule, definition.unit)
    chart = _chart(definition, shown, _merged(rows, forecast_rows), rule)
    return render(
        request,
        "indicators/definition_detail.html",
        {
            "definition": definition,
            "shown": shown,
            "genders": genders,
            "table": table,
            "has_target_column": any(row.target for row in table),
            "chart": chart,
            "targets": targets,
            "has_example": any(cell.example for row in table for cell in row.cells),
            "has_forecast": any(
                t.forecast and not t.forecast.known  # type: ignore[attr-defined]
                for t in targets
            ),
            **METHOD_CONTEXT,
            "periods": queries.periods_with_values(definition),
            "panels": panels(definition_panels, definition, request.user),
            "breadcrumbs": [
                (_("Indikatorer"), reverse("indicators:list")),
                (definition.name, None),
            ],
            **_derivation(request, definition),
        },
    )


def _chart(definition: IndicatorDefinition, shown, rows, rule):
    """The bar chart: the organisation (its kvinnor and män), Riket, targets, forecasts."""
    bars = []
    for i, org in enumerate(shown):
        bars.append((org.code, "T", f"bar--{i}", org.name))
        if definition.by_gender and i == 0:
            bars.append((org.code, "K", "bar--k", _("%(name)s, kvinnor") % {"name": org.name}))
            bars.append((org.code, "M", "bar--m", _("%(name)s, män") % {"name": org.name}))
    return bar_chart(
        rows,
        bars,
        definition.unit,
        queries.rule_targets(rule, [row.period for row in rows]),
        _("Målvärde"),
        _("Värde (%(unit)s)") % {"unit": definition.get_unit_display()},
    )


def _forecast_rows(targets, organisation) -> list[queries.SeriesRow]:
    """Set each target's ``forecast`` (prognos mot målet for its plan's organisation, at the
    end of the first of the plan's years without a measured value) and return the shown
    organisation's forecasts (and a reference organisation's) as rows, one per year."""
    wanted = []
    for target in targets:
        plan = target.indicator.goal.plan
        years = range(plan.year, max(plan.year, plan.horizon_end or plan.year) + 1)
        wanted.append((target.pk, target, plan.unit.organisation, years))
    forecasts = queries.target_forecasts(wanted)
    rows: dict[str, queries.SeriesRow] = {}
    for key, target, target_organisation, _years in wanted:
        target.forecast = forecast = forecasts.get(key)
        if forecast is None or forecast.projection is None or organisation is None:
            continue
        if target_organisation.pk != organisation.pk:
            continue
        row = rows.setdefault(forecast.year, queries.SeriesRow(forecast.year))
        cell = queries.Cell(forecast.projection.value, forecast=True)
        row.cells.setdefault(organisation.code, {"T": cell})
        if forecast.reference is not None:
            cell = queries.Cell(forecast.reference.value, forecast=True)
            row.cells.setdefault(target.target_rule.reference, {"T": cell})
    return [rows[year] for year in sorted(rows)]


def _merged(rows, forecast_rows) -> list[queries.SeriesRow]:
    """The chart's rows: a forecast joins the measured row of its year, if there is one."""
    merged = {row.period: queries.SeriesRow(row.period, dict(row.cells)) for row in rows}
    for row in forecast_rows:
        target = merged.setdefault(row.period, queries.SeriesRow(row.period))
        for code, cells in row.cells.items():
            target.cells.setdefault(code, cells)
    return sorted(merged.values(), key=lambda row: parse_period(row.period))


def _derivation(request, definition: IndicatorDefinition) -> dict:
    """The formula the indicator is computed with (its parts, inputs linked), the derived
    indicators it is an input of, and whether the visitor may change the formula."""
    derivation = DerivedIndicator.objects.filter(definition=definition).first()
    parts = []
    if derivation is not None:
        inputs = [item.definition for item in input_rows(derivation)]
        parts = expression(derivation.kind, inputs, derivation.factor)
    may_change = request.user.is_authenticated
    if may_change:
        try:
            require_definition_change(request.user, definition)
        except PermissionDenied:
            may_change = False
    return {
        "formula_parts": parts,
        "used_in": IndicatorDefinition.objects.filter(derivation__inputs__definition=definition)
        .distinct()
        .order_by("name"),
        "may_change_formula": may_change,
    }


def _mark_versions(targets) -> None:
    """Set ``version_note`` where a plan (unit and year) is listed in several versions.

    A revision copies the plan's indicators, so after one the same goal would be listed
    twice, alike; "version 2, utkast" tells them apart. A plan in one version gets none.
    """
    plans: dict[tuple[int, int], set[int]] = {}
    for target in targets:
        plan = target.indicator.goal.plan
        plans.setdefault((plan.unit_id, plan.year), set()).add(plan.pk)
    for target in targets:
        plan = target.indicator.goal.plan
        target.version_note = ""
        if len(plans[(plan.unit_id, plan.year)]) > 1:
            target.version_note = _("version %(version)s, %(status)s") % {
                "version": plan.version,
                "status": plan.get_status_display().lower(),
            }


def _latest_results(targets) -> dict[int, dict]:
    """Per plan indicator (target id), its result in its goal's latest assessment."""
    from ..models import Assessment
    from ..presentation import period_order
    from ..scale import outcome_words

    found: dict[int, dict] = {}
    goals = {t.indicator.goal_id for t in targets}
    by_indicator = {t.indicator_id: t.pk for t in targets}
    assessments = Assessment.objects.filter(goal__in=goals).select_related("goal__plan__unit")
    for assessment in sorted(assessments, key=lambda a: period_order(a.period)):
        for row in assessment.indicator_results:
            if row.get("indicator") in by_indicator:
                found[by_indicator[row["indicator"]]] = {
                    **row,
                    "period": assessment.period,
                    "goal_id": assessment.goal_id,
                    **outcome_words(assessment.scale, row),
                }
    return found


def _comparison_rows(definition: IndicatorDefinition, ranked) -> SafeString:
    """The comparison table's body, built in one go.

    The page lists every organisation of the country (312 rows): rendered cell by cell in
    the template, or with ``format_html``, escaping alone took most of the page's time.
    Every text put into the markup goes through ``html.escape``; a formatted value is
    digits, separators and signs with its unit escaped once (``value_formatter(html=True)``).
    """
    base = definition.get_absolute_url() + "?organisation="
    formatted = value_formatter(definition.unit, html=True)
    prelim = f' <span class="prelim">{escape(_("(preliminärt)"))}</span>'
    by_gender = definition.by_gender
    lines = []
    reference = escape(_("Referens"))
    for item in ranked:
        rank = reference if item.rank is None else item.rank
        row_class = ' class="reference-row"' if item.rank is None else ""
        line = (
            f'<tr{row_class}><td class="number">{rank}</td><th scope="row">'
            f'<a href="{escape(base + item.organisation.code)}">'
            f"{escape(item.organisation.name)}</a></th>"
            f'<td class="number">{formatted(item.value)}'
            f"{prelim if item.preliminary else ''}</td>"
        )
        if by_gender:
            line += (
                f'<td class="number">{formatted(item.women)}</td>'
                f'<td class="number">{formatted(item.men)}</td>'
            )
        lines.append(line + "</tr>\n")
    return mark_safe("".join(lines))  # noqa: S308 -- every text above is escaped


def comparison(request, pk: int, period: str):
    definition = get_object_or_404(IndicatorDefinition, pk=pk)
    try:
        period = format_period(parse_period(period))
    except PeriodError as error:
        raise Http404(str(error)) from error
    ranked = queries.ranking(definition, period)
    rows = _comparison_rows(definition, ranked)
    return render(
        request,
        "indicators/comparison.html",
        {
            "definition": definition,
            "period": period,
            "ranked": ranked,
            "rows": rows,
            "has_example": any(r.example for r in ranked),
            "has_reference": any(r.rank is None for r in ranked),
            "periods": _period_links(definition, period),
            "breadcrumbs": [
                (_("Indikatorer"), reverse("indicators:list")),
                (definition.name, definition.get_absolute_url()),
                (period, None),
            ],
        },
    )


def _period_links(definition: IndicatorDefinition, period: str) -> list[tuple[str, str]]:
    """(period, its comparison's address) for each period with totals: the address ends
    in the period, so one ``reverse`` serves them all."""
    here = reverse("indicators:comparison", args=[definition.pk, period])
    stem = here.removesuffix(f"{period}/")
    return [(p, f"{stem}{p}/") for p in queries.periods_with_values(definition, totals=True)]
