"""Measured values: one per organisation × period × kön with every earlier value kept, the
full-year forecasts given by hand, and each import of values."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation

from .definitions import EXAMPLE_SOURCE, MANUAL_SOURCE, IndicatorDefinition, period_validator


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


class ValueChunk(models.Model):
    """The values of one definition and one year, as an import last left them.

    ``digest`` names the file (``ImportFingerprint``) whose import last wrote or confirmed
    every value of the chunk, or is empty. A database trigger on ``Measurement`` (migration
    0009) empties it, and counts one more ``generation``, for every (definition, year) that
    any other write touches — a value by
    hand, the API, a derived recompute, a withdrawal, another import, the ORM, a deletion —
    so no writer can forget it. Plain integers, no keys: a chunk of a deleted definition
    is harmless (its digest is empty).
    """

    definition_id = models.BigIntegerField(_("definition"))
    year = models.IntegerField(_("år"))
    digest = models.CharField(_("fingeravtryck"), max_length=64, blank=True, default="")
    # Counts the writes that touched the chunk (the trigger adds one a statement).
    generation = models.BigIntegerField(_("ändringar"), default=0)
    # The chunk's periods with a current total value, comma-separated ("" for none), as
    # last read from the values; NULL (unknown) again after any write to the chunk, by the
    # same trigger, or by an import that wrote it (``fingerprints``). ``queries.
    # periods_with_values`` reads it and fills it in where it is unknown.
    total_periods = models.TextField(  # noqa: DJ001 -- NULL (unknown) is not "" (none)
        _("perioder med totalvärde"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("del av mätvärdena")
        verbose_name_plural = _("delar av mätvärdena")
        constraints = [
            models.UniqueConstraint(fields=["definition_id", "year"], name="valuechunk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.definition_id} {self.year}: {self.digest or '-'}"


class ImportFingerprint(models.Model):
    """A CSV file whose import wrote or confirmed every one of its rows (``importers.
    fingerprints``): its digest, row count, the distinct texts of its looked-up columns with
    their verdicts, and how many chunks (``ValueChunk``) carry its digest."""

    digest = models.CharField(_("fingeravtryck"), max_length=64, unique=True)
    rows = models.PositiveIntegerField(_("rader"))
    chunks = models.PositiveIntegerField(_("delar"))
    verdicts = models.JSONField(_("bedömda texter"))
    batch = models.ForeignKey(
        ImportBatch, models.CASCADE, related_name="+", verbose_name=_("inläsning")
    )

    class Meta:
        verbose_name = _("fingeravtryck av en inläst fil")
        verbose_name_plural = _("fingeravtryck av inlästa filer")

    def __str__(self) -> str:
        return self.digest
