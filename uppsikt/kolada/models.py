"""Kolada's KPI catalogue as last read, each organisation's sync settings, and every sync run."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.indicators.models import ImportBatch
from uppsikt.organisations.models import Organisation


class KoladaKpi(models.Model):
    """One KPI of Kolada's catalogue (``/kpi``), kept here so that it can be searched offline."""

    class MunicipalityType(models.TextChoices):
        KOMMUN = "K", _("kommun")
        REGION = "L", _("region")
        ALLA = "A", _("kommun och region")

    code = models.CharField(_("KPI-id"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=400)
    description = models.TextField(_("beskrivning"), blank=True)
    operating_area = models.CharField(_("verksamhetsområde"), max_length=400, blank=True)
    divided_by_gender = models.BooleanField(_("redovisas per kön"), default=False)
    municipality_type = models.CharField(
        _("gäller"), max_length=1, choices=MunicipalityType.choices, default=MunicipalityType.ALLA
    )
    fetched_at = models.DateTimeField(_("hämtad"))
    # When a reading of the whole catalogue no longer found it: kept, since definitions may
    # still name it, and cleared when Kolada has it again (``catalogue.refresh_catalogue``).
    removed_at = models.DateTimeField(_("borttagen ur Kolada"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kolada-KPI")
        verbose_name_plural = _("Kolada-KPI:er")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CatalogueRefresh(models.Model):
    """One reading of Kolada's whole KPI catalogue: when, by whom, what it changed."""

    fetched_at = models.DateTimeField(_("hämtad"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("startad av"),
    )
    created = models.PositiveIntegerField(_("nya"), default=0)
    changed = models.PositiveIntegerField(_("ändrade"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade"), default=0)
    removed = models.PositiveIntegerField(_("borttagna ur Kolada"), default=0)
    requests = models.PositiveIntegerField(_("anrop"), default=0)

    class Meta:
        verbose_name = _("hämtning av Koladas KPI-katalog")
        verbose_name_plural = _("hämtningar av Koladas KPI-katalog")
        ordering = ["-fetched_at"]

    def __str__(self) -> str:
        return f"{_('KPI-katalogen')} {self.fetched_at:%Y-%m-%d %H:%M}"


class SyncSettings(models.Model):
    """What the scheduled sync of one organisation brings, besides its own values and Riket's."""

    class Comparison(models.TextChoices):
        SAME_KIND = "samma_slag", _("Alla organisationer av samma slag (regioner eller kommuner)")
        COUNTY = "lan", _("Kommunerna i samma län")
        NONE = "ingen", _("Inga jämförelseorganisationer")
        ALL = "alla", _("Alla regioner och kommuner")

    organisation = models.OneToOneField(
        Organisation, models.CASCADE, related_name="kolada_settings", verbose_name=_("organisation")
    )
    comparison = models.CharField(
        _("jämförelseorganisationer"),
        max_length=12,
        choices=Comparison.choices,
        default=Comparison.SAME_KIND,
    )
    scheduled = models.BooleanField(_("synkas automatiskt"), default=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("inställning för Kolada-synk")
        verbose_name_plural = _("inställningar för Kolada-synk")

    def __str__(self) -> str:
        return str(self.organisation)


class SyncRun(models.Model):
    """One sync of an organisation's linked KPIs: what it asked for, how far it came, its result.

    ``since`` is the day the run asked for changes from (the start of the last successful run
    of the same organisation); empty for a full sync.
    """

    class Status(models.TextChoices):
        RUNNING = "pagar", _("Pågår")
        DONE = "klar", _("Klar")
        FAILED = "misslyckad", _("Misslyckades")

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="kolada_runs", verbose_name=_("organisation")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RUNNING
    )
    kpis = models.JSONField(_("KPI:er"), default=list)
    since = models.DateField(_("ändringar sedan"), null=True, blank=True)
    started_at = models.DateTimeField(_("startad"))
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("startad av"),
    )
    requests = models.PositiveIntegerField(_("anrop"), default=0)
    values_read = models.PositiveIntegerField(_("lästa värden"), default=0)
    batch = models.ForeignKey(
        ImportBatch,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inläsning"),
    )
    error = models.TextField(_("fel"), blank=True)

    class Meta:
        verbose_name = _("Kolada-synk")
        verbose_name_plural = _("Kolada-synkar")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.started_at:%Y-%m-%d %H:%M}"
