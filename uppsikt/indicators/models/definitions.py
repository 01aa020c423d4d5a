"""What is measured: indicator definitions, how a plan's indicator sentence is tied to one with
its target rule, and indicators computed from others."""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uppsikt.plans.models import Indicator

from ..rules import TargetRule, rule_from_data

period_validator = RegexValidator(
    r"^\d{4}(T[1-3]|-(0[1-9]|1[0-2]))?$",
    _("Ange perioden som 2023 (år), 2023T2 (tertial) eller 2023-07 (månad)."),
)
EXAMPLE_SOURCE = "exempeldata"
# A value a reporter entered by hand in the follow-up (``manual.enter_values``).
MANUAL_SOURCE = "inmatat för hand"


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("Högre är bättre")
    LOWER_BETTER = "lower_better", _("Lägre är bättre")
    NEUTRAL = "neutral", _("Varken högre eller lägre är bättre")


class Aggregation(models.TextChoices):
    """How a goal's proposal is put together from its indicators (see ``assessment.aggregate``)."""

    ALLA = "alla", _("Alla bedömbara indikatorer ska vara uppfyllda")
    MAJORITET = "majoritet", _("Mer än hälften av indikatorerna ska vara uppfyllda")


class IndicatorDefinition(models.Model):
    class Unit(models.TextChoices):
        PROCENT = "procent", _("procent")
        ANDEL = "andel", _("andel (procent)")
        ANTAL = "antal", _("antal")
        INDEX = "index", _("index")
        KRONOR = "kronor", _("kronor")
        MNKR = "mnkr", _("miljoner kronor")
        DAGAR = "dagar", _("dagar")
        # A statement judged by a person (qualitative, or "ska redovisas" without a figure):
        # nothing is measured, so no unit is claimed.
        INGEN = "ingen", _("ingen enhet (bedöms kvalitativt)")

    class SourceKind(models.TextChoices):
        KOLADA = "kolada", _("Kolada")
        HSB = "hsb", _("Hälso- och sjukvårdsbarometern")
        MEDARBETARENKAT = "medarbetarenkat", _("Medarbetarenkät")
        EKONOMISYSTEM = "ekonomisystem", _("Ekonomisystem")
        MANUELL = "manuell", _("Manuell inrapportering")

    key = models.SlugField(_("nyckel"), max_length=80, unique=True)
    name = models.CharField(_("namn"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices)
    polarity = models.CharField(
        _("riktning"), max_length=15, choices=Polarity.choices, default=Polarity.HIGHER_BETTER
    )
    source_kind = models.CharField(
        _("källa"), max_length=20, choices=SourceKind.choices, default=SourceKind.MANUELL
    )
    source_code = models.CharField(
        _("källans id"), max_length=50, blank=True, help_text=_("T.ex. Koladas KPI-id N79179.")
    )
    by_gender = models.BooleanField(_("redovisas per kön"), default=False)

    class Meta:
        verbose_name = _("indikatordefinition")
        verbose_name_plural = _("indikatordefinitioner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:definition", args=[self.pk])


class IndicatorTarget(models.Model):
    ACCESS_UNIT = "indicator__goal__plan__unit"

    """A plan's indicator sentence linked to what it measures and its target rule."""

    indicator = models.OneToOneField(
        Indicator, models.CASCADE, related_name="target", verbose_name=_("indikator i planen")
    )
    definition = models.ForeignKey(
        IndicatorDefinition, models.PROTECT, related_name="targets", verbose_name=_("definition")
    )
    rule = models.JSONField(
        _("målregel"),
        default=dict,
        blank=True,
        help_text=_('Regeln som data, t.ex. {"kind": "change", "direction": "increase"}.'),
    )
    rule_is_proposed = models.BooleanField(
        _("föreslagen regel"),
        default=True,
        help_text=_("Regeln är tolkad automatiskt ur indikatorns text och inte granskad."),
    )
    rule_confirmed_as_example = models.BooleanField(
        _("bekräftad som exempel"),
        default=False,
        help_text=_("Demons exempelbekräftelse av regeln, inte en persons granskning."),
    )

    class Meta:
        verbose_name = _("målregel")
        verbose_name_plural = _("målregler")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.describe_rule()}"

    @property
    def target_rule(self) -> TargetRule:
        return rule_from_data(self.rule)

    def describe_rule(self) -> str:
        return self.target_rule.describe(self.definition.unit)

    @property
    def awaits_confirmation(self) -> bool:
        """No person has confirmed the rule yet (a proposal, or the demo's example)."""
        return self.rule_is_proposed or self.rule_confirmed_as_example


class DerivedIndicator(models.Model):
    """An indicator computed from others (``derived.py``): its values are never imported or
    entered, they are recomputed whenever one of its inputs changes.

    Inputs by position: a ratio is input 0 divided by input 1, times ``factor`` ("per 1 000
    invånare": 1000; a share in procent: 100); a difference is input 0 minus input 1; a sum
    adds every input. A value exists for an organisation, period and kön only where every
    input has one.
    """

    class Kind(models.TextChoices):
        RATIO = "kvot", _("Kvot")
        SUM = "summa", _("Summa")
        DIFFERENCE = "skillnad", _("Skillnad")

    definition = models.OneToOneField(
        IndicatorDefinition,
        models.CASCADE,
        related_name="derivation",
        verbose_name=_("beräknad indikator"),
    )
    kind = models.CharField(_("beräkning"), max_length=10, choices=Kind.choices)
    factor = models.DecimalField(
        _("faktor"),
        max_digits=12,
        decimal_places=4,
        default=1,
        help_text=_("Kvoten multipliceras med faktorn, t.ex. 1000 för per 1 000 invånare."),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimaler"),
        default=1,
        help_text=_("Antal decimaler de beräknade värdena avrundas till."),
    )

    class Meta:
        verbose_name = _("beräknad indikator")
        verbose_name_plural = _("beräknade indikatorer")

    def __str__(self) -> str:
        return str(self.definition)


class DerivedInput(models.Model):
    """One input of a derived indicator, at its position in the formula."""

    derived = models.ForeignKey(
        DerivedIndicator,
        models.CASCADE,
        related_name="inputs",
        verbose_name=_("beräknad indikator"),
    )
    definition = models.ForeignKey(
        IndicatorDefinition, models.PROTECT, related_name="used_in", verbose_name=_("indata")
    )
    position = models.PositiveSmallIntegerField(_("plats"))

    class Meta:
        verbose_name = _("indata till beräknad indikator")
        verbose_name_plural = _("indata till beräknade indikatorer")
        ordering = ["derived", "position"]
        constraints = [
            models.UniqueConstraint(fields=["derived", "position"], name="derived_input_position")
        ]

    def __str__(self) -> str:
        return f"{self.derived}: {self.definition}"
