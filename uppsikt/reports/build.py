"""Building a unit's report for a period, and rendering it to a file.

The same function serves the CLI (``uppsikt report``), the background job and the web
page::

    name, content_type, data = build_report(unit, period, "pdf", user=request.user,
                                            progress=TerminalProgress())

The report covers the unit and every unit beneath it that has something in scope in the
period (Regionstyrelsen's report includes Regionkansliet's chapter).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can, require
from uppsikt.followup.models import UnitReport
from uppsikt.followup.providers import plan_for
from uppsikt.followup.queries import entries_for
from uppsikt.followup.scope import in_scope, unit_tree
from uppsikt.lib.progress import Progress, no_progress
from uppsikt.organisations.models import Organisation, OrganisationLogo, Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.document import plan_document

from . import snapshot
from .content.intro import state_text
from .document import ReportDocument, Section
from .models import ApprovedReport
from .public import PUBLIC_KINDS, approved_unit_ids
from .sections import SUBUNITS_ORDER, ReportContext, registered
from .stamps import label


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    label: str


FORMATS = {
    "pdf": Format("pdf", "application/pdf", "PDF"),
    "docx": Format(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    "xlsx": Format(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"
    ),
    "html": Format("html", "text/html; charset=utf-8", "HTML"),
}
RENDER_STEPS = 2


class Steps:
    """Counts the work of one report for a ``Progress`` callable (CLI bar or job page)."""

    def __init__(self, progress: Progress = no_progress) -> None:
        self.progress, self.total, self.done = progress, 0, 0

    def add(self, count: int) -> None:
        self.total += count

    def __call__(self, message: str) -> None:
        self.done = min(self.done + 1, self.total)
        self.progress(self.done, self.total, message)


def report_context(
    unit: Unit, period: ReportingPeriod, *, user=None, public: bool = False
) -> ReportContext:
    """Read everything the report shows, once. ``user`` None is the operator (CLI).

    ``public``: the version anyone may read, holding only the units whose own report for
    the period is approved as it stands (``public.approved_unit_ids``: a unit whose report
    is returned for changes is left out, so nothing of a revision shows)."""
    if unit.organisation_id != period.organisation_id:
        raise ValidationError(
            _("%(unit)s hör inte till samma organisation som %(period)s.")
            % {"unit": unit.name, "period": period.name}
        )
    if user is not None:
        require(user, Perm.VIEW, unit)
    approved = approved_unit_ids(period) if public else None
    if approved is not None and unit.pk not in approved:
        raise PermissionDenied(_("Rapporten är inte godkänd och kan inte visas."))
    units, items = [unit], {unit.pk: in_scope(unit, period)}
    for below, _depth in unit_tree(unit.organisation_id, below=unit):
        if user is not None and not can(user, Perm.VIEW, below):
            continue
        if approved is not None and below.pk not in approved:
            continue
        found = in_scope(below, period)
        if found:
            units.append(below)
            items[below.pk] = found
    ctx = ReportContext(
        unit=unit,
        period=period,
        user=user,
        units=units,
        items=items,
        entries=entries_for(period, units),
        reports={
            report.unit_id: report
            for report in UnitReport.objects.filter(period=period, unit__in=units).select_related(
                "submitted_by", "reviewed_by"
            )
        },
    )
    for member in units:
        plan = plan_for(member, period)
        ctx.plans[member.pk] = plan
        if plan is not None:
            ctx.documents[plan.pk] = plan_document(plan)
    return ctx


def build_document(
    unit: Unit,
    period: ReportingPeriod,
    *,
    user=None,
    public: bool = False,
    progress: Progress = no_progress,
    steps: Steps | None = None,
) -> ReportDocument:
    """The report as a document model; ``progress`` is told after each section."""
    step = steps or Steps(progress)
    with translation.override("sv"):
        ctx = report_context(unit, period, user=user, public=public)
        builders = registered()
        per_unit = [b for b in builders if b.per_unit]
        step.add(len(per_unit) * len(ctx.units) + len(builders) - len(per_unit))
        sections: list[Section] = []
        chapters_added = False
        for builder in builders:
            if builder.order >= SUBUNITS_ORDER and not chapters_added:
                sections.extend(_chapters(ctx, per_unit, step))
                chapters_added = True
            if builder.per_unit:
                sections.extend(builder.builder(ctx, unit))
            else:
                sections.extend(builder.builder(ctx))
            step(_("Avsnitt: %(name)s") % {"name": builder.label})
        if not chapters_added:
            sections.extend(_chapters(ctx, per_unit, step))
        document = ReportDocument(
            title=period.name,
            unit_name=unit.name,
            organisation=unit.organisation.name,
            period_label=_("Per %(date)s") % {"date": period.ends_on_label},
            state_label=_state_line(ctx, unit, period, public),
            generated_at=timezone.now(),
            sections=sections,
            has_examples=bool(ctx.examples),
            examples=list(ctx.examples),
            brand_colour=unit.organisation.colour,
            logo=logo_data_uri(unit.organisation),
        )
        return document.finish()


def logo_data_uri(organisation: Organisation) -> str:
    """The organisation's logo as a ``data:`` URI for the report's cover ("" for none)."""
    if not organisation.logo_version:
        return ""
    logo = OrganisationLogo.objects.filter(organisation=organisation).first()
    if logo is None or logo.content_type not in ("image/png", "image/jpeg"):
        return ""
    return f"data:{logo.content_type};base64,{base64.b64encode(bytes(logo.data)).decode()}"


def _state_line(ctx: ReportContext, unit: Unit, period: ReportingPeriod, public: bool) -> str:
    """The report's state; for staff, with a warning when an approved report's data has
    changed since the approval (``snapshot``)."""
    text = state_text(ctx.reports.get(unit.pk))
    if public:
        return text
    warning = changed_since_approval(unit, period)
    return f"{text}. {warning}" if warning else text


def _chapters(ctx: ReportContext, per_unit, step) -> list[Section]:
    """One chapter per unit beneath the report's unit, holding that unit's sections."""
    chapters = []
    for member in ctx.units[1:]:
        children: list[Section] = []
        for builder in per_unit:
            children.extend(builder.builder(ctx, member))
            step(_("%(unit)s: %(name)s") % {"unit": member.name, "name": builder.label})
        if children:
            chapters.append(Section(member.name, [], children))
    return chapters


def render(
    document: ReportDocument, fmt: str, *, organisation=None, steps: Steps | None = None
) -> bytes:
    """The document as a file of ``fmt`` (pdf, docx, xlsx, html)."""
    step = steps or Steps()
    if fmt not in FORMATS:
        raise ValidationError(
            _("Okänt format ”%(format)s”: välj pdf, docx, xlsx eller html.") % {"format": fmt}
        )
    step(_("Skapar %(format)s") % {"format": FORMATS[fmt].label})
    with translation.override("sv"):
        if fmt == "pdf":
            from .render.pdf import to_pdf

            data = to_pdf(document)
        elif fmt == "docx":
            from .render.docx import to_docx

            data = to_docx(document, organisation=organisation)
        elif fmt == "xlsx":
            from .render.xlsx import to_xlsx

            data = to_xlsx(document)
        else:
            from .render.html import to_standalone_html

            data = to_standalone_html(document)
    step(_("Klar"))
    return data


def build_report(
    unit: Unit,
    period: ReportingPeriod,
    fmt: str,
    *,
    user=None,
    progress: Progress = no_progress,
) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of the unit's report for the period."""
    if fmt not in FORMATS:
        raise ValidationError(
            _("Okänt format ”%(format)s”: välj pdf, docx, xlsx eller html.") % {"format": fmt}
        )
    steps = Steps(progress)
    steps.add(RENDER_STEPS)
    document = build_document(unit, period, user=user, steps=steps)
    data = render(document, fmt, organisation=unit.organisation, steps=steps)
    name = f"{period.slug}-{unit.slug}.{FORMATS[fmt].extension}"
    return name, FORMATS[fmt].content_type, data


# -- the approved version ---------------------------------------------------------------


def freeze(report: UnitReport) -> ApprovedReport | None:
    """Store the public version of the approved ``report`` as its next version (earlier
    versions are kept). Periodrapporter are never public and are not frozen."""
    if report.period.kind not in PUBLIC_KINDS:
        return None
    return snapshot.store(report, build_document(report.unit, report.period, public=True))


def freeze_on_approval(sender, report: UnitReport, **kwargs) -> None:
    freeze(report)


def approved_file(approved: ApprovedReport, fmt: str) -> bytes:
    """The approved version as a file of ``fmt``; made once, then kept."""
    organisation = approved.report.unit.organisation
    return snapshot.kept_file(
        approved,
        fmt,
        lambda: render(snapshot.approved_document(approved), fmt, organisation=organisation),
    )


def changed_since_approval(unit: Unit, period: ReportingPeriod) -> str:
    """A warning for staff when the report was approved but its data has changed since
    (a re-import of figures, say); "" when it has not or the report is not approved.

    The public version is built afresh to compare: only when an approved version exists."""
    approved = snapshot.approved_version(unit, period)
    if approved is None:
        return ""
    now = build_document(unit, period, public=True)
    if snapshot.fingerprint(now) == approved.fingerprint:
        return ""
    return _(
        "Obs! Uppgifterna har ändrats sedan rapporten godkändes %(date)s. Den godkända "
        "versionen är den som visas för allmänheten; den här utskriften visar dagens uppgifter."
    ) % {"date": label(approved.approved_at)}
