"""Key figures an organisation shows residents on its public site ("En dag hos oss").

A key figure is a number and the sentence that follows it ("1 023" "personer gör besök på
vårdcentralerna och jourcentralerna"), in a group with a heading ("En dag hos oss"). The
organisation's administrator keeps them (``actions.save_key_figures``, audited).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation

MAX_DIGITS = 16
DECIMAL_PLACES = 4


class KeyFigure(models.Model):
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="key_figures", verbose_name=_("organisation")
    )
    heading = models.CharField(_("rubrik"), max_length=100)
    value = models.DecimalField(_("tal"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    text = models.CharField(_("text efter talet"), max_length=300)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    year = models.PositiveIntegerField(_("år"), null=True, blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("nyckeltal")
        verbose_name_plural = _("nyckeltal")
        ordering = ["organisation", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.value.normalize():f} {self.text}"
