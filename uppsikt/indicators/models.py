"""Indicator definitions, their series of measurements, target rules and assessments.

``IndicatorDefinition`` says what is measured; ``IndicatorTarget`` ties a plan's indicator
sentence (``plans.Indicator``) to a definition and the rule that judges it; ``Measurement``
holds one value per organisation × period × kön, with every earlier value kept as a
``MeasurementRevision``; ``Assessment`` keeps a goal's automatic proposal and the human
decision side by side.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uppsikt.governance.words import Styrmodell, styrmodell_for
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Goal, Indicator

from .rules import TargetRule, rule_from_data
from .wording import goal_gender_flag_text

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


class CurrentMeasurements(models.Manager):
    """The values in force: a value its source withdrew stays stored (with its history)
    but is no longer shown or used."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(withdrawn=False)


class Measurement(models.Model):
    class Gender(models.TextChoices):
        TOTALT = "T", _("Totalt")
        KVINNOR = "K", _("Kvinnor")
        MAN = "M", _("Män")

    class DataStatus(models.TextChoices):
        PRELIMINAR = "preliminar", _("Preliminär")
        SLUTLIG = "slutlig", _("Slutlig")

    # Neither key is a database constraint: PostgreSQL checks a foreign key row by row at
    # commit, which made a national import spend most of its time in those checks. The
    # import checks both keys for all its rows at once inside its transaction
    # (``importers.staging``), other writes go through the ORM, and Django's CASCADE
    # deletes measurements with their definition or organisation as before.
    # The natural key (the unique constraint below) is the table's index; the definition
    # and the organisation have none of their own (a definition's values are a prefix of
    # the key; deleting an organisation is rare and may scan). On PostgreSQL the table is
    # partitioned by year (migration 0008, ``importers.partitions``).
    definition = models.ForeignKey(
        IndicatorDefinition,
        models.CASCADE,
        related_name="measurements",
        verbose_name=_("definition"),
        db_index=False,
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        related_name="measurements",
        verbose_name=_("organisation"),
        db_index=False,
        db_constraint=False,
    )
    period = models.CharField(_("period"), max_length=7, validators=[period_validator])
    gender = models.CharField(_("kön"), max_length=1, choices=Gender.choices, default=Gender.TOTALT)
    value = models.DecimalField(_("värde"), max_digits=16, decimal_places=4)
    status = models.CharField(
        _("status"), max_length=10, choices=DataStatus.choices, default=DataStatus.SLUTLIG
    )
    source = models.CharField(
        _("källa"), max_length=200, blank=True, help_text=_('"exempeldata" för genererade värden.')
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)
    # Who entered the value by hand in a follow-up, and when (``manual.enter_values``);
    # empty for imported values. The value is by hand while ``source`` is MANUAL_SOURCE.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inmatat av"),
        db_index=False,  # see Meta.indexes: only the few values entered by hand
        # No database constraint either: PostgreSQL queues a deferred check for every row
        # an import inserts, even with no one entered; Django still sets it to NULL when
        # the person is deleted, and only ``manual`` sets it, to the signed-in user.
        db_constraint=False,
    )
    entered_at = models.DateTimeField(_("inmatat"), null=True, blank=True)
    # The source withdrew the value (an import row with "withdrawn"): its last value is kept
    # as a revision, and the row is no longer current (``objects`` leaves it out).
    withdrawn = models.BooleanField(_("borttaget av källan"), default=False, db_default=False)

    objects = CurrentMeasurements()
    # Every stored row, withdrawn ones too (for writers).
    stored = models.Manager()  # noqa: DJ012 -- a manager, not a field

    class Meta:
        verbose_name = _("mätvärde")
        verbose_name_plural = _("mätvärden")
        # Ids only: ordering by organisation code would join every query to organisations.
        ordering = ["definition_id", "period", "organisation_id", "gender"]
        constraints = [
            # Organisation before period: a series (an assessment reads a few definitions
            # of one or two organisations) is a range of the key. The comparison view reads
            # one definition and one period for every organisation: on PostgreSQL the period
            # picks the year's partition, where the definition is a short range.
            models.UniqueConstraint(
                fields=["definition", "organisation", "period", "gender"],
                name="measurement_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["entered_by"],
                condition=models.Q(entered_by__isnull=False),
                name="measurement_entered_by",
            )
        ]
        base_manager_name = "stored"

    def __str__(self) -> str:
        return f"{self.definition} {self.organisation.code} {self.period} {self.gender}"

    @property
    def is_example(self) -> bool:
        return self.source == EXAMPLE_SOURCE

    @property
    def is_preliminary(self) -> bool:
        return self.status == self.DataStatus.PRELIMINAR

    @property
    def by_hand(self) -> bool:
        return self.source == MANUAL_SOURCE


class Forecast(models.Model):
    """A full-year forecast (helårsprognos) of a definition's total for an organisation,
    given in a follow-up before the year ends: ``period`` is the assessment period it was
    given for (``2023-07``), the forecast is for that period's year. Entered by hand
    (``manual.enter_values``), preliminary until the unit's report is approved."""

    definition = models.ForeignKey(
        IndicatorDefinition, models.CASCADE, related_name="forecasts", verbose_name=_("definition")
    )
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    period = models.CharField(_("lämnad för period"), max_length=7, validators=[period_validator])
    value = models.DecimalField(_("helårsprognos"), max_digits=16, decimal_places=4)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Measurement.DataStatus.choices,
        default=Measurement.DataStatus.PRELIMINAR,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inmatad av"),
    )
    entered_at = models.DateTimeField(_("inmatad"), null=True, blank=True)

    class Meta:
        verbose_name = _("helårsprognos")
        verbose_name_plural = _("helårsprognoser")
        ordering = ["definition_id", "period", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "period", "organisation"], name="forecast_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.definition} {self.period}: {self.value}"

    @property
    def is_preliminary(self) -> bool:
        return self.status == Measurement.DataStatus.PRELIMINAR


class MeasurementRevision(models.Model):
    """A value a measurement had before it was corrected."""

    # No database constraint: on PostgreSQL ``Measurement`` is partitioned by year and its
    # id is not a primary key there (see migration 0008); Django deletes revisions with
    # their measurement.
    measurement = models.ForeignKey(
        Measurement,
        models.CASCADE,
        related_name="revisions",
        verbose_name=_("mätvärde"),
        db_constraint=False,
    )
    value = models.DecimalField(_("värde"), max_digits=16, decimal_places=4)
    status = models.CharField(_("status"), max_length=10, choices=Measurement.DataStatus.choices)
    source = models.CharField(_("källa"), max_length=200, blank=True)
    valid_until = models.DateTimeField(_("ersatt"), auto_now_add=True)

    class Meta:
        verbose_name = _("tidigare mätvärde")
        verbose_name_plural = _("tidigare mätvärden")
        ordering = ["measurement", "valid_until", "pk"]

    def __str__(self) -> str:
        return f"{self.measurement}: {self.value}"


class Assessment(models.Model):
    ACCESS_UNIT = "goal__plan__unit"

    """A goal's assessment for a period: the automatic proposal and the decision, both kept."""

    goal = models.ForeignKey(
        Goal, models.CASCADE, related_name="assessments", verbose_name=_("mål")
    )
    period = models.CharField(_("period"), max_length=7, validators=[period_validator])
    # A step of the organisation's assessment scale (``governance.words.Styrmodell.steps``)
    # or "ej_bedombar"; its label, symbol and colour come from the scale (``scale``).
    proposed_status = models.CharField(_("föreslagen bedömning"), max_length=40)
    proposed_reason = models.TextField(_("motivering till förslaget"), blank=True)
    proposed_preliminary = models.BooleanField(_("förslaget bygger på preliminära värden"))
    aggregation = models.CharField(
        _("sammanvägningsregel"),
        max_length=12,
        choices=Aggregation.choices,
        default=Aggregation.ALLA,
        help_text=_("Regeln som förslaget räknades fram med."),
    )
    indicator_results = models.JSONField(_("indikatorernas bedömningar"), default=list)
    proposed_at = models.DateTimeField(_("föreslagen"), auto_now=True)
    # None means "not decided yet"; an empty string would be a fifth, unnamed status.
    decided_status = models.CharField(  # noqa: DJ001
        _("beslutad bedömning"), max_length=40, null=True, blank=True
    )
    comment = models.TextField(_("kommentar"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bedömd av"),
    )
    decided_at = models.DateTimeField(_("bedömd"), null=True, blank=True)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        ordering = ["goal__plan", "goal__position", "period"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "period"], name="assessment_goal_period")
        ]

    def __str__(self) -> str:
        return f"{self.goal.label} {self.period}"

    @property
    def is_example_decision(self) -> bool:
        """Decided by the demo as an example (no person; the comment says "Exempel:")."""
        return (
            self.decided_status is not None
            and self.decided_by_id is None
            and self.comment.startswith("Exempel:")
        )

    @property
    def gender_flag_text(self) -> str:
        """ "1 indikator är uppfylld totalt men inte för kvinnor" when indicators carry a
        gender flag (shown beside the goal's assessment; it never lowers it), else ""."""
        return goal_gender_flag_text(self.indicator_results or [])

    @property
    def differs_from_proposal(self) -> bool:
        return self.decided_status is not None and self.decided_status != self.proposed_status

    @property
    def scale(self) -> Styrmodell:
        """The styrmodell of the organisation whose plan holds the goal (its scale's words)."""
        cached = self.__dict__.get("_scale")
        if cached is None:
            cached = styrmodell_for(self.goal.plan.unit.organisation_id)
            self.__dict__["_scale"] = cached
        return cached

    @property
    def status(self) -> str:
        """The decided step, else the proposed one."""
        return self.decided_status or self.proposed_status

    def get_proposed_status_display(self) -> str:
        return self.scale.status_label(self.proposed_status)

    def get_decided_status_display(self) -> str:
        return self.scale.status_label(self.decided_status)

    def get_status_display(self) -> str:
        return self.scale.status_label(self.status)


class AggregationChoice(models.Model):
    """The aggregation rule chosen for a whole plan (``goal`` empty) or for one goal.

    A goal's own choice wins over its plan's; without either the rule is "alla".
    """

    ACCESS_UNIT = "plan__unit"

    plan = models.ForeignKey("plans.Plan", models.CASCADE, related_name="+", verbose_name=_("plan"))
    goal = models.OneToOneField(
        Goal,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="aggregation_choice",
        verbose_name=_("mål"),
    )
    rule = models.CharField(_("sammanvägningsregel"), max_length=12, choices=Aggregation.choices)

    class Meta:
        verbose_name = _("sammanvägningsregel")
        verbose_name_plural = _("sammanvägningsregler")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(goal__isnull=True),
                name="aggregation_one_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal or self.plan}: {self.get_rule_display()}"


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


class ImportBatch(models.Model):
    """One import of measurements: what file, by whom, and what it changed."""

    filename = models.CharField(_("filnamn"), max_length=255)
    format = models.CharField(_("format"), max_length=10)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inläst av"),
    )
    imported_at = models.DateTimeField(_("inläst"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rader"), default=0)
    created = models.PositiveIntegerField(_("nya värden"), default=0)
    changed = models.PositiveIntegerField(_("ändrade värden"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade värden"), default=0)
    skipped = models.PositiveIntegerField(_("överhoppade rader"), default=0)
    withdrawn = models.PositiveIntegerField(_("borttagna värden"), default=0)

    class Meta:
        verbose_name = _("inläsning av mätvärden")
        verbose_name_plural = _("inläsningar av mätvärden")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"
