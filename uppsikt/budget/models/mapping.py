"""The mapping table: which ledger lines (account range × object) make a budget row.

A rule "accounts 4000–4999 on kostnadsställe 2100 → Vårdval Hälsoval" matches the SIE
period balances of those accounts booked on exactly that one object; a rule without object
matches the accounts' totals (the lines with an empty object list). See ``mapping.py``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .tables import BudgetRow, BudgetTable


class MappingRule(models.Model):
    ACCESS_UNIT = "table__unit"

    table = models.ForeignKey(
        BudgetTable, models.CASCADE, related_name="mapping_rules", verbose_name=_("tabell")
    )
    row = models.ForeignKey(
        BudgetRow, models.CASCADE, related_name="mapping_rules", verbose_name=_("budgetrad")
    )
    account_from = models.PositiveIntegerField(_("från konto"))
    account_to = models.PositiveIntegerField(_("till och med konto"))
    dimension = models.PositiveSmallIntegerField(
        _("dimension"),
        null=True,
        blank=True,
        help_text=_("SIE-dimension, t.ex. 1 för kostnadsställe. Tom: kontots totalsaldo."),
    )
    object_code = models.CharField(
        _("objekt"),
        max_length=40,
        blank=True,
        help_text=_("Objektets kod i dimensionen, t.ex. kostnadsställe 2100."),
    )
    flip_sign = models.BooleanField(
        _("byt tecken"),
        default=True,
        help_text=_(
            "I SIE är kostnader positiva (debet) och intäkter negativa (kredit). En "
            "driftbudget skriver kostnader negativa: byt tecken. En investeringsbudget "
            "skriver investeringar positiva: behåll tecknet."
        ),
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    note = models.CharField(_("anmärkning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mappningsregel")
        verbose_name_plural = _("mappningsregler")
        ordering = ["table", "position", "account_from", "dimension", "object_code"]

    def __str__(self) -> str:
        where = f" {self.dimension}:{self.object_code}" if self.dimension else ""
        return f"{self.account_from}–{self.account_to}{where} → {self.row}"

    def matches(self, account: int, objects: tuple[tuple[int, str], ...]) -> bool:
        """Whether a ledger line on ``account`` with the object list ``objects`` belongs here."""
        if not self.account_from <= account <= self.account_to:
            return False
        if self.dimension is None:
            return not objects
        return objects == ((self.dimension, self.object_code),)
