"""An organisation's styrmodell: its goal levels, assessment scale, perspectives, the plan
content it uses and its follow-up calendar, held as data (``words.py`` reads it).

An organisation without a ``GovernanceModel`` uses the default (``words.DEFAULT``), which
is Region Örebro län's: effektmål, mål and nämndmål; uppfyllt, delvis uppfyllt and ej
uppfyllt; the perspectives of its 2023 plan.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation

key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Använd gemena bokstäver a–z, siffror och understreck, och börja med en bokstav."),
)
colour_validator = RegexValidator(
    r"^#[0-9a-f]{6}$", _("Ange färgen som #rrggbb med gemena hexadecimala siffror.")
)

# The automatic rule engine's three outcomes (``indicators.assessment``); each step of a
# scale may receive one of them as its proposal. "Ej bedömbar" lies outside every scale.
NOT_ASSESSABLE = "ej_bedombar"


class Outcome(models.TextChoices):
    MET = "uppfyllt", _("Regeln är uppfylld")
    PARTLY = "delvis_uppfyllt", _("Regeln är delvis uppfylld")
    NOT_MET = "ej_uppfyllt", _("Regeln är inte uppfylld")


class Calendar(models.TextChoices):
    """Which follow-ups a year has (``periods.defaults`` turns it into periods)."""

    MANAD = "manad", _("Periodrapporter per månad, delårsrapport och helår")
    TERTIAL = "tertial", _("Tertialrapporter, delårsrapport och helår")
    DELAR = "delar", _("Delårsrapport och helår")
    HELAR = "helar", _("Endast helår")


class GovernanceModel(models.Model):
    organisation = models.OneToOneField(
        Organisation,
        models.CASCADE,
        related_name="governance_model",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("namn"), max_length=200, default="Styrmodell")
    uses_perspectives = models.BooleanField(_("perspektiv"), default=True)
    uses_strategies = models.BooleanField(_("strategier"), default=True)
    uses_assignments = models.BooleanField(_("uppdrag"), default=True)
    uses_focus_areas = models.BooleanField(_("prioriterade områden"), default=True)
    uses_activities = models.BooleanField(_("aktiviteter"), default=True)
    calendar = models.CharField(
        _("uppföljningskalender"), max_length=10, choices=Calendar.choices, default=Calendar.MANAD
    )
    period_months = models.JSONField(
        _("månader med periodrapport"),
        default=list,
        blank=True,
        help_text=_("Månadernas nummer (1–12) när kalendern har periodrapporter per månad."),
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("styrmodell")
        verbose_name_plural = _("styrmodeller")

    def __str__(self) -> str:
        return f"{self.name} – {self.organisation}"


class GoalLevel(models.Model):
    """A målnivå: the key stored in ``plans.Goal.kind`` and its names."""

    model = models.ForeignKey(
        GovernanceModel, models.CASCADE, related_name="goal_levels", verbose_name=_("styrmodell")
    )
    key = models.CharField(_("nyckel"), max_length=40, validators=[key_validator])
    name = models.CharField(_("benämning"), max_length=60)
    plural = models.CharField(_("benämning i plural"), max_length=60)
    unit_kinds = models.JSONField(
        _("enhetstyper"),
        default=list,
        blank=True,
        help_text=_("Enhetstyperna vars planer har mål på nivån; tom lista betyder alla."),
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("målnivå")
        verbose_name_plural = _("målnivåer")
        ordering = ["model", "position"]
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="goal_level_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentStep(models.Model):
    """One step of the assessment scale: the key stored in ``indicators.Assessment``."""

    model = models.ForeignKey(
        GovernanceModel,
        models.CASCADE,
        related_name="assessment_steps",
        verbose_name=_("styrmodell"),
    )
    key = models.CharField(_("nyckel"), max_length=40, validators=[key_validator])
    label = models.CharField(_("benämning"), max_length=60)
    colour = models.CharField(_("färg"), max_length=7, validators=[colour_validator])
    symbol = models.CharField(_("symbol"), max_length=4)
    counts_as_met = models.BooleanField(_("räknas som uppfyllt"), default=False)
    proposal = models.CharField(
        _("automatiskt förslag"),
        max_length=16,
        choices=Outcome.choices,
        blank=True,
        help_text=_("Regelutfallet som föreslår steget."),
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("bedömningssteg")
        verbose_name_plural = _("bedömningssteg")
        ordering = ["model", "position"]
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="assessment_step_key_unique")
        ]

    def __str__(self) -> str:
        return self.label


class StandardPerspective(models.Model):
    """A perspective of the styrmodell, given to every new plan of the organisation."""

    model = models.ForeignKey(
        GovernanceModel, models.CASCADE, related_name="perspectives", verbose_name=_("styrmodell")
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("perspektiv i styrmodellen")
        verbose_name_plural = _("perspektiv i styrmodellen")
        ordering = ["model", "position"]

    def __str__(self) -> str:
        return self.name
