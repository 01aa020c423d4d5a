"""Changing what the public site shows: an organisation's key figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction

from uppsikt.accounts.access import Perm, require_on_organisation
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, Unit

from .key_figures import Figure, check_rows, stored_figures
from .models import KeyFigure


def save_key_figures(
    organisation: Organisation, rows: Iterable[Mapping[str, object]], *, actor: Actor
) -> list[Figure]:
    """Replace the organisation's key figures with ``rows`` (in their order), for its
    administrator. Every row is checked first (``key_figures.check_rows``); on any problem
    ``ValidationError`` is raised and nothing changes. One audit event per change."""
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)
    figures = check_rows(rows)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        before = stored_figures(organisation)
        if before == figures:
            return figures
        KeyFigure.objects.filter(organisation=organisation).delete()
        for position, figure in enumerate(figures):
            KeyFigure.objects.create(
                organisation=organisation,
                heading=figure.heading,
                value=figure.value,
                text=figure.text,
                source=figure.source,
                year=figure.year,
                position=position,
            )
        root = Unit.objects.filter(organisation=organisation, parent=None).order_by("position")
        record(
            actor=actor,
            action="public.key_figures",
            obj=organisation,
            before={"figures": [figure.to_data() for figure in before]},
            after={"figures": [figure.to_data() for figure in figures]},
            unit=root.first(),
        )
    return figures
