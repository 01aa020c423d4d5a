"""An organisation's profile on its public pages and reports: its colour and logo.

``update_branding`` (re-exported by ``actions``) is an administrator's action over the whole
organisation. The colour is drawn behind white text (the header band, the report cover), so
it must reach 4.5:1 against white (WCAG 1.4.3); a darker colour is refused with its ratio.
The logo is a PNG or JPEG judged by its content (``lib.filetypes.judge``: never SVG, which
may carry script), of at most ``MAX_LOGO_BYTES``. Both are validated before anything is
changed, and the change is one audit event.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require_on_organisation
from uppsikt.audit.trail import record
from uppsikt.lib.contrast import MIN_TEXT_RATIO, WHITE, contrast_ratio, is_hex_colour
from uppsikt.lib.filetypes import JPEG, PNG, judge
from uppsikt.lib.limits import InputRefused
from uppsikt.lib.problems import coded
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation, OrganisationLogo, Unit

MAX_LOGO_BYTES = 512 * 1024
LOGO_TYPES = (PNG, JPEG)


def _colour_problem(colour: str) -> ValidationError | None:
    if not colour:
        return None
    if not is_hex_colour(colour):
        return coded(_("Ange färgen som #rrggbb, t.ex. #1f4e79."), "colour")
    ratio = contrast_ratio(colour, WHITE)
    if ratio < MIN_TEXT_RATIO:
        return coded(
            _(
                "Färgen %(colour)s har kontrasten %(ratio)s:1 mot vit text; minst 4,5:1 krävs. "
                "Välj en mörkare färg."
            )
            % {"colour": colour, "ratio": f"{ratio:.2f}".replace(".", ",")},
            "contrast",
        )
    return None


def _logo_problem(logo: bytes) -> tuple[ValidationError | None, str]:
    """(the refusal, or None; the logo's content type)."""
    if len(logo) > MAX_LOGO_BYTES:
        return (
            coded(
                _("Logotypen är %(size)d kB; den får vara högst %(max)d kB.")
                % {"size": -(-len(logo) // 1024), "max": MAX_LOGO_BYTES // 1024},
                "too_large",
            ),
            "",
        )
    try:
        kind = judge(logo)
    except InputRefused as refused:
        return coded(_("Logotypen kan inte användas: %s.") % refused.message, refused.code), ""
    if kind not in LOGO_TYPES:
        return (
            coded(_("Logotypen ska vara en PNG- eller JPEG-bild."), "forbidden_type"),
            "",
        )
    return None, kind.content_type


def _state(organisation: Organisation) -> dict[str, Any]:
    state: dict[str, Any] = {"colour": organisation.colour, "logo": None}
    stored = OrganisationLogo.objects.filter(organisation=organisation).first()
    if stored is not None:
        data = bytes(stored.data)
        state["logo"] = {
            "type": stored.content_type,
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    return state


@transaction.atomic
def update_branding(
    organisation: Organisation,
    *,
    actor: Actor,
    colour: str | None = None,
    logo: bytes | None = None,
) -> Organisation:
    """Set the colour (``""`` removes it) and the logo (``b""`` removes it); ``None``
    leaves either as it is."""
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)
    errors: dict[str, list[ValidationError]] = {}
    colour = None if colour is None else colour.strip().lower()
    if colour:
        problem = _colour_problem(colour)
        if problem is not None:
            errors["colour"] = [problem]
    content_type = ""
    if logo:
        problem, content_type = _logo_problem(logo)
        if problem is not None:
            errors["logo"] = [problem]
    if errors:
        raise ValidationError(errors)
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _state(current)
    if colour is not None:
        current.colour = colour
    stored = before["logo"]["sha256"] if before["logo"] else None
    if logo is not None and (hashlib.sha256(logo).hexdigest() if logo else None) != stored:
        OrganisationLogo.objects.filter(organisation=current).delete()
        if logo:
            OrganisationLogo.objects.create(
                organisation=current, data=logo, content_type=content_type
            )
            current.logo_version = current.logo_version + 1
        else:
            current.logo_version = 0
    after = _state(current)
    if after == before:
        return current
    current.save(update_fields=["colour", "logo_version"])
    root = Unit.objects.filter(organisation=current, parent=None).order_by("position").first()
    record(
        actor=actor,
        action="organisation.branding",
        obj=current,
        before=before,
        after=after,
        unit=root,
    )
    organisation.colour, organisation.logo_version = current.colour, current.logo_version
    return current
