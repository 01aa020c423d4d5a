"""Changing an organisation's Word template: validated, permission-checked, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Organisation
from uppsikt.periods.rules import require_on_organisation

from .models import ReportTemplate
from .render.docx import template_problems

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


@transaction.atomic
def set_report_template(
    organisation: Organisation, *, actor: Actor, name: str, data: bytes
) -> ReportTemplate:
    """Use ``data`` (a .docx) as the organisation's template; refused with the reasons."""
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)
    if not name.lower().endswith(".docx"):
        raise ValidationError({"file": _("Mallen ska vara en Word-fil (.docx).")})
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ValidationError({"file": _("Mallen får vara högst 5 MB.")})
    problems = template_problems(data)
    if problems:
        raise ValidationError({"file": problems})
    template = ReportTemplate.objects.filter(organisation=organisation).first()
    before = {"file": template.original_name} if template else None
    if template is None:
        template = ReportTemplate(organisation=organisation)
    elif template.file:
        template.file.delete(save=False)
    template.file.save(f"{organisation.code}.docx", ContentFile(data), save=False)
    template.original_name = name[:200]
    template.uploaded_by = actor if getattr(actor, "pk", None) else None
    template.save()
    record(
        actor=actor,
        action="report_template.set",
        obj=template,
        before=before,
        after={"file": template.original_name, "bytes": len(data)},
    )
    return template


@transaction.atomic
def remove_report_template(organisation: Organisation, *, actor: Actor) -> None:
    """Go back to the default template."""
    require_on_organisation(actor, Perm.ADMIN, organisation.pk)
    template = ReportTemplate.objects.filter(organisation=organisation).first()
    if template is None:
        raise ValidationError(_("Organisationen använder redan standardmallen."))
    record(
        actor=actor,
        action="report_template.remove",
        obj=template,
        before={"file": template.original_name},
    )
    if template.file:
        template.file.delete(save=False)
    template.delete()
