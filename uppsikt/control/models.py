"""Intern styrning och kontroll: the internkontrollplan, risk assessments and ISK-bedömningar.

A unit's plan for a year (``ControlPlan``) holds process areas (verksamhet), their risks and
each risk's åtgärder (``Measure``). Region-wide risks (regionövergripande) are defined once,
in the plan of the organisation's styrelse, and belong to every nämnd's plan at query time
(``units.plan_risks``): nothing is copied, so a nämnd created later has them too.

Every change goes through ``actions``; the models only hold data and database-level rules.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uppsikt.followup.models import FollowUp
from uppsikt.lib.concurrency import row_version_field
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod

from .scale import DEFAULT_SCALE, Level, Scale


class Requirement(models.TextChoices):
    """The five krav of section 6 that a risk can threaten (a–b styrning, c–e kontroll)."""

    A = "a", _("a) Föreskrivna uppgifter, mål och uppdrag")
    B = "b", _("b) Tilldelade ekonomiska ramar")
    C = "c", _("c) Styrande dokument, lagar och avtal")
    D = "d", _("d) Rättvisande redovisning och uppföljning")
    E = "e", _("e) Informationssäkerhet")


class Decision(models.TextChoices):
    ACCEPTED = "accepterad", _("Accepterad")
    NOT_ACCEPTED = "ej_accepterad", _("Ej accepterad")


class Sufficiency(models.TextChoices):
    """The ISK-bedömning: was the internal control sufficient (KL 6 kap. 6 §)?"""

    SUFFICIENT = "tillracklig", _("Tillräcklig")
    PARTLY = "delvis_tillracklig", _("Delvis tillräcklig")
    INSUFFICIENT = "ej_tillracklig", _("Ej tillräcklig")


class RiskScale(models.Model):
    """An organisation's own scale; without one the default 4 × 4 applies (``scale.py``)."""

    organisation = models.OneToOneField(
        Organisation, models.CASCADE, related_name="risk_scale", verbose_name=_("organisation")
    )
    likelihood_labels = models.JSONField(
        _("sannolikhetens steg"), help_text=_("Benämningen på varje steg, från 1 och uppåt.")
    )
    consequence_labels = models.JSONField(
        _("konsekvensens steg"), help_text=_("Benämningen på varje steg, från 1 och uppåt.")
    )
    medium_from = models.PositiveSmallIntegerField(
        _("medel från riskvärde"), default=DEFAULT_SCALE.medium_from
    )
    high_from = models.PositiveSmallIntegerField(
        _("hög från riskvärde"), default=DEFAULT_SCALE.high_from
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("riskskala")
        verbose_name_plural = _("riskskalor")

    def __str__(self) -> str:
        return (
            f"{self.organisation}: {len(self.likelihood_labels)} × {len(self.consequence_labels)}"
        )

    def as_scale(self) -> Scale:
        return Scale(
            tuple(self.likelihood_labels),
            tuple(self.consequence_labels),
            self.medium_from,
            self.high_from,
        )


class ControlPlan(models.Model):
    """A unit's internkontrollplan for one year.

    It is published (readable by everyone) when the unit's verksamhetsplan of the same year
    is decided; see ``visibility.py``.
    """

    ACCESS_UNIT = "unit"

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="control_plans", verbose_name=_("enhet")
    )
    year = models.PositiveIntegerField(_("år"))
    section_number = models.CharField(
        _("avsnitt i verksamhetsplanen"),
        max_length=20,
        blank=True,
        help_text=_("Avsnittet där planen visas i verksamhetsplanen, t.ex. 6.1."),
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    note = models.TextField(_("anmärkning"), blank=True)
    requirements = models.JSONField(
        _("krav som planens risker avser"),
        default=list,
        blank=True,
        help_text=_(
            "Bokstäverna a–e när planen säger vilka krav alla dess risker avser, utan att ange "
            "det per risk."
        ),
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("internkontrollplan")
        verbose_name_plural = _("internkontrollplaner")
        ordering = ["unit__organisation__code", "-year", "unit__position"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="controlplan_unit_year")
        ]

    def __str__(self) -> str:
        return f"Internkontrollplan {self.year} – {self.unit}"

    def get_absolute_url(self) -> str:
        return unit_plan_url(self.unit, self.year)

    def requirement_labels(self) -> list[str]:
        labels = dict(Requirement.choices)
        return [str(labels[letter]) for letter in self.requirements if letter in labels]


def unit_plan_url(unit: Unit, year: int) -> str:
    return reverse("control:unit_plan", args=[unit.organisation.code, unit.slug, year])


class ProcessArea(models.Model):
    """Verksamhet: a process or area (HR, Ekonomi, Informationssäkerhet …)."""

    ACCESS_UNIT = "control_plan__unit"

    control_plan = models.ForeignKey(
        ControlPlan, models.CASCADE, related_name="areas", verbose_name=_("internkontrollplan")
    )
    name = models.CharField(_("verksamhet"), max_length=200)
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("verksamhet (process/område)")
        verbose_name_plural = _("verksamheter (processer/områden)")
        ordering = ["control_plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["control_plan", "name"], name="processarea_name")
        ]

    def __str__(self) -> str:
        return self.name


class Risk(models.Model):
    ACCESS_UNIT = "control_plan__unit"

    control_plan = models.ForeignKey(
        ControlPlan, models.CASCADE, related_name="risks", verbose_name=_("internkontrollplan")
    )
    area = models.ForeignKey(
        ProcessArea, models.CASCADE, related_name="risks", verbose_name=_("verksamhet")
    )
    text = models.TextField(_("risk"))
    requirements = models.JSONField(
        _("krav som hotas"),
        default=list,
        blank=True,
        help_text=_("Bokstäverna a–e för kraven i avsnittet om intern styrning och kontroll."),
    )
    is_region_wide = models.BooleanField(
        _("regionövergripande"),
        default=False,
        help_text=_("Gäller samtliga nämnder; läggs in i regionstyrelsens plan."),
    )
    note = models.TextField(_("anmärkning"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    row_version = row_version_field()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risker")
        ordering = ["control_plan", "area__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["area", "text"], name="risk_text_in_area"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self) -> str:
        return reverse("control:risk", args=[self.pk])

    def requirement_labels(self) -> list[str]:
        labels = dict(Requirement.choices)
        return [str(labels[letter]) for letter in self.requirements if letter in labels]


class Measure(models.Model):
    """Åtgärd: how a risk that is not accepted is handled, with its kontrollmoment."""

    ACCESS_UNIT = "risk__control_plan__unit"

    risk = models.ForeignKey(Risk, models.CASCADE, related_name="measures", verbose_name=_("risk"))
    text = models.TextField(_("åtgärd"))
    responsible = models.CharField(
        _("ansvarig"), max_length=200, blank=True, help_text=_("Roll eller person.")
    )
    control_method = models.TextField(
        _("kontrollmoment"), blank=True, help_text=_("Hur det kontrolleras att åtgärden fungerar.")
    )
    frequency = models.CharField(
        _("frekvens"), max_length=100, blank=True, help_text=_("T.ex. årligen, per tertial.")
    )
    reported_in = models.JSONField(
        _("rapporteras i"),
        default=list,
        blank=True,
        help_text=_("Uppföljningstillfällen där åtgärden redovisas."),
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    row_version = row_version_field()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["risk", "position"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "text"], name="measure_text_in_risk"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    @property
    def is_region_wide(self) -> bool:
        return self.risk.is_region_wide

    def reported_in_labels(self) -> list[str]:
        labels = dict(ReportingPeriod.Kind.choices)
        return [str(labels[kind]) for kind in self.reported_in if kind in labels]


class RiskAssessment(models.Model):
    """A risk's assessment for one year: likelihood × consequence and the decision.

    One per risk and year, kept, so the risk's history shows. ``score`` is computed by the
    action from the two steps and the database refuses any other value.
    """

    ACCESS_UNIT = "risk__control_plan__unit"

    risk = models.ForeignKey(
        Risk, models.CASCADE, related_name="assessments", verbose_name=_("risk")
    )
    year = models.PositiveIntegerField(_("år"))
    likelihood = models.PositiveSmallIntegerField(_("sannolikhet"), null=True, blank=True)
    consequence = models.PositiveSmallIntegerField(_("konsekvens"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("riskvärde"), null=True, blank=True, help_text=_("Sannolikhet × konsekvens.")
    )
    # None is "not decided"; an empty string would be a third, unnamed decision.
    decision = models.CharField(  # noqa: DJ001
        _("beslut"), max_length=14, choices=Decision.choices, null=True, blank=True
    )
    motivation = models.TextField(_("motivering"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bedömd av"),
    )
    assessed_at = models.DateTimeField(_("bedömd"), null=True, blank=True)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Exempeldata, inte en verklig bedömning.")
    )

    class Meta:
        verbose_name = _("riskbedömning")
        verbose_name_plural = _("riskbedömningar")
        ordering = ["risk", "year"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "year"], name="riskassessment_risk_year"),
            models.CheckConstraint(
                condition=(
                    Q(likelihood__isnull=True, consequence__isnull=True, score__isnull=True)
                    | Q(
                        likelihood__gte=1,
                        consequence__gte=1,
                        score=F("likelihood") * F("consequence"),
                    )
                ),
                name="riskassessment_score_is_product",
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=True) | Q(score__isnull=False),
                name="riskassessment_decision_needs_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk} {self.year}"


class Deviation(models.Model):
    """Avvikelse: something found when following up an åtgärd, and what is done about it."""

    ACCESS_UNIT = "followup__unit"

    followup = models.ForeignKey(
        FollowUp, models.CASCADE, related_name="deviations", verbose_name=_("uppföljning")
    )
    found = models.TextField(_("avvikelse"), help_text=_("Vad som upptäcktes."))
    handling = models.TextField(
        _("hantering"), blank=True, help_text=_("Vad som görs med anledning av avvikelsen.")
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skriven av"),
    )
    written_at = models.DateTimeField(_("skriven"), auto_now=True)
    is_example = models.BooleanField(_("exempel"), default=False)
    row_version = row_version_field()

    class Meta:
        verbose_name = _("avvikelse")
        verbose_name_plural = _("avvikelser")
        ordering = ["followup", "position", "pk"]

    def __str__(self) -> str:
        return self.found[:80]


class ControlAssessment(models.Model):
    """ISK-bedömning of a unit for a year, or regionstyrelsens samlad bedömning.

    The samlad bedömning keeps the proposal computed from the units' bedömningar
    (``rules.propose_overall``) and what it was built from (``basis``) beside the level a
    person confirmed with a motivation.
    """

    ACCESS_UNIT = "unit"

    class Kind(models.TextChoices):
        UNIT = "enhet", _("ISK-bedömning")
        OVERALL = "samlad", _("Samlad bedömning")

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="control_assessments", verbose_name=_("enhet")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="control_assessments",
        verbose_name=_("uppföljningstillfälle"),
    )
    kind = models.CharField(_("typ"), max_length=6, choices=Kind.choices, default=Kind.UNIT)
    level = models.CharField(_("bedömning"), max_length=20, choices=Sufficiency.choices)
    motivation = models.TextField(_("motivering"))
    proposed_level = models.CharField(  # noqa: DJ001
        _("föreslagen bedömning"),
        max_length=20,
        choices=Sufficiency.choices,
        null=True,
        blank=True,
    )
    basis = models.JSONField(_("underlag"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bedömd av"),
    )
    decided_at = models.DateTimeField(_("bedömd"), null=True, blank=True)
    is_example = models.BooleanField(_("exempel"), default=False)

    class Meta:
        verbose_name = _("ISK-bedömning")
        verbose_name_plural = _("ISK-bedömningar")
        ordering = ["period", "kind", "unit__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "kind"], name="controlassessment_unit_period_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period.year} – {self.unit}"


__all__ = [
    "ControlAssessment",
    "ControlPlan",
    "Decision",
    "Deviation",
    "Level",
    "Measure",
    "ProcessArea",
    "Requirement",
    "Risk",
    "RiskAssessment",
    "RiskScale",
    "Sufficiency",
]


def scale_for(organisation) -> Scale:
    """The organisation's configured scale, or the default 4 × 4."""
    stored = RiskScale.objects.filter(organisation=organisation).first()
    return stored.as_scale() if stored is not None else DEFAULT_SCALE
