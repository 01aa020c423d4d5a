"""The mapping table from ledger accounts to budget rows."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor

from .. import tree
from ..mapping import rule_conflicts
from ..models import MappingRule
from .common import fail_with, lock_table


def check_mapping_rule(rule: MappingRule) -> None:
    """Raise ``ValidationError`` (Swedish, by field) unless the rule may be saved: a real
    account range, a row of the table with its own figures, both dimension and object or
    neither, and no double counting with the table's other rules."""
    errors = {}
    if rule.account_from > rule.account_to:
        errors["account_to"] = _("Intervallet slutar före det börjar.")
    if rule.row.table_id != rule.table_id:
        errors["row"] = _("Raden hör till en annan tabell.")
    elif rule.row.kind not in tree.OWN_FIGURES:
        errors["row"] = _("Raden räknas fram och kan inte mappas.")
    if (rule.dimension is None) != (not rule.object_code):
        errors["object_code"] = _("Ange både dimension och objekt, eller ingetdera.")
    if errors:
        raise ValidationError(errors)
    others = [r for r in rule.table.mapping_rules.all() if r.pk != rule.pk]
    rows = {row.pk: row for row in rule.table.rows.all()}
    conflicts = rule_conflicts([*others, rule], rows)
    if conflicts:
        raise fail_with(conflicts)


def save_mapping_rule(rule: MappingRule, *, actor: Actor) -> MappingRule:
    """Create or change a mapping rule; refuses rules that would count money twice."""
    require(actor, Perm.PLAN, rule.table)
    with transaction.atomic():
        table = lock_table(rule.table)
        check_mapping_rule(rule)
        before = None
        if rule.pk:
            before = {"regel": str(MappingRule.objects.get(pk=rule.pk))}
        rule.save()
        record(
            actor=actor,
            action="budget.mapping.save",
            obj=table,
            before=before,
            after={"regel": str(rule)},
        )
    return rule


def delete_mapping_rule(rule: MappingRule, *, actor: Actor) -> None:
    require(actor, Perm.PLAN, rule.table)
    with transaction.atomic():
        record(
            actor=actor, action="budget.mapping.delete", obj=rule.table, before={"regel": str(rule)}
        )
        rule.delete()
