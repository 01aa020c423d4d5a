"""Small pieces the section builders share: names, dates, an entry's status and comment."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from uppsikt.followup.models import FollowUp
from uppsikt.followup.statuses import status_label

from ..charts import bar_chart
from ..document import (
    Cell,
    Chart,
    Column,
    Example,
    Facts,
    RichText,
    Row,
    Shown,
    Status,
    Table,
    symbol_for,
)
from ..sections import ReportContext


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def day(value: datetime.date | datetime.datetime | None) -> str:
    """ "31 juli 2023" (local date for a timestamp)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "j F Y")


def entry_status(target, entry: FollowUp | None, label: str) -> Status:
    """The status an entry holds itself (uppdrag, aktivitet, budget table)."""
    key = entry.status if entry is not None and entry.status else None
    if key is None:
        return Status(label, None, _("Ingen status angiven"))
    return Status(label, key, status_label(target, key))


def comment_block(entry: FollowUp | None) -> RichText | None:
    if entry is None or not entry.comment:
        return None
    return RichText(entry.comment, label=_("Kommentar"))


def entry_facts(entry: FollowUp | None) -> list[tuple[str, str]]:
    if entry is None:
        return [(_("Uppföljning"), _("Inte påbörjad"))]
    facts = []
    if entry.responsible_id:
        facts.append((_("Ansvarig"), person(entry.responsible)))
    if entry.written_at:
        facts.append(
            (
                _("Senast skriven"),
                f"{day(entry.written_at)}, {person(entry.written_by)}".strip(", "),
            )
        )
    facts.append((_("Arbetsläge"), str(FollowUp.State(entry.state).label)))
    return facts


def example_note(ctx: ReportContext, entry: FollowUp | None) -> Example | None:
    """A label on an example entry, and a note for the report's cover."""
    if entry is None or not entry.is_example:
        return None
    ctx.example(_("uppföljningarnas statusar och kommentarer"))
    return Example(_("Uppföljningen är exempeldata, inte en verklig rapport."))


def entry_blocks(ctx: ReportContext, entry: FollowUp | None) -> list:
    """Comment, facts and example label of an entry, in that order."""
    blocks = [comment_block(entry), Facts(entry_facts(entry)), example_note(ctx, entry)]
    return [block for block in blocks if block is not None]


def status_counts(
    statuses: list[tuple[str | None, str]],
    counts,
    *,
    title: str,
    caption: str,
    sheet: str,
    heading: str,
    counted: str,
    missing: str,
    example: str = "",
    shown: dict[str, Shown] | None = None,
) -> Chart | Table:
    """How many objects have each status, as a chart with its table (or the table alone
    when there is nothing to draw): the goals per assessment, the åtgärder per status.

    ``statuses`` are (key, label) in order, the key None for "no status yet" (shown with
    the ``missing`` key's symbol); ``counts`` maps a key to its count; ``shown`` gives the
    symbol and colour of keys of an organisation's own scale.
    """
    shown = shown or {}
    table = Table(
        caption,
        [Column(heading), Column(counted, numeric=True)],
        [
            Row(
                [
                    Cell(label, status=key or missing, shown=shown.get(key or missing)),
                    Cell(str(counts.get(key, 0)), counts.get(key, 0)),
                ]
            )
            for key, label in statuses
        ],
        sheet=sheet,
        example=example,
    )
    chart = bar_chart(
        [label for _key, label in statuses],
        [counted],
        [[counts.get(key, 0)] for key, _label in statuses],
        lambda value: str(int(value)),
        tones=[shown[key][1] if key in shown else symbol_for(key)[1] for key, _label in statuses],
    )
    return Chart(title, chart, table) if chart is not None else table
