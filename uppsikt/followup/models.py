"""Follow-up entries and each unit's report, per reporting period (``periods``).

A unit's report (``UnitReport``) is its submission for a period: the entries in scope
(``scope.in_scope``), submitted when all are klar and approved or returned by a granskare
(``actions.reports``).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.concurrency import row_version_field
from uppsikt.periods.models import ReportingPeriod


class FollowUp(models.Model):
    """One object's follow-up by one unit in one period: status, comment, who is responsible.

    Usually the unit is the one owning the object; a region-wide object (a regionövergripande
    risk's åtgärd, say) is followed up by each unit on its own, one entry per unit.

    The object is any governed thing (a goal, an uppdrag, an aktivitet, an internal-control
    åtgärd, a budget table): ``target``. Which statuses apply depends on its kind
    (``statuses.choices_for``). Entries go utkast → klar → granskad (``actions``).
    """

    ACCESS_UNIT = "unit"

    class State(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        KLAR = "klar", _("Klar")
        GRANSKAD = "granskad", _("Granskad")

    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="followups",
        verbose_name=_("uppföljningstillfälle"),
    )
    # A unit's follow-ups go with the unit (a unit holding a plan is protected by it), so a
    # full reload of the demo can replace units; a period with entries cannot be deleted.
    unit = models.ForeignKey(
        "organisations.Unit",
        models.CASCADE,
        related_name="followups",
        verbose_name=_("enhet"),
        help_text=_("Enheten som rapporterar."),
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", models.PROTECT, verbose_name=_("objekttyp")
    )
    object_id = models.PositiveBigIntegerField(_("objekt-id"))
    target = GenericForeignKey("content_type", "object_id")
    status = models.CharField(_("status"), max_length=30, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups_responsible",
        verbose_name=_("ansvarig"),
    )
    state = models.CharField(
        _("arbetsläge"), max_length=10, choices=State.choices, default=State.UTKAST
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skriven av"),
    )
    written_at = models.DateTimeField(_("skriven"), null=True, blank=True)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Exempeldata, inte en verklig uppföljning.")
    )
    copied_from = models.ForeignKey(
        ReportingPeriod,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kopierad från"),
        help_text=_("Texten hämtades från detta tillfälle och har inte ändrats sedan."),
    )
    row_version = row_version_field()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["period", "unit", "content_type", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "content_type", "object_id", "unit"], name="followup_unique"
            )
        ]
        indexes = [models.Index(fields=["period", "unit"], name="followup_period_unit_idx")]

    def __str__(self) -> str:
        """The period and what is followed up by its own name ("…: Mål 3: Länets …")."""
        target = self.target
        if target is None:  # removed since: the type and id are all that is left
            return f"{self.period}: {self.content_type.name} {self.object_id}"
        name = str(target)
        return f"{self.period}: {name if len(name) <= 150 else name[:149] + '…'}"

    def status_label(self) -> str:
        from .statuses import choices_for

        model = self.content_type.model_class()
        choices = choices_for(model._meta.label_lower) if model is not None else None
        if choices is None or not self.status:
            return self.status
        return dict(choices).get(self.status, self.status)


class UnitReport(models.Model):
    """A unit's report for a period: its submission of the follow-up entries in scope.

    States (``actions.reports.TRANSITIONS``): utkast → inlämnad (all entries klar) → godkänd, or
    inlämnad → återförd (with the granskare's comment) → inlämnad again.
    """

    ACCESS_UNIT = "unit"

    class State(models.TextChoices):
        UTKAST = "utkast", _("Under arbete")
        INLAMNAD = "inlamnad", _("Inlämnad")
        GODKAND = "godkand", _("Godkänd")
        ATERFORD = "aterford", _("Återförd")

    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="unit_reports",
        verbose_name=_("uppföljningstillfälle"),
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        models.CASCADE,
        related_name="unit_reports",
        verbose_name=_("enhet"),
    )
    state = models.CharField(_("läge"), max_length=10, choices=State.choices, default=State.UTKAST)
    summary = models.TextField(
        _("sammanfattning"),
        blank=True,
        help_text=_("Enhetens egen inledning till rapporten. Stycken skiljs åt med en tomrad."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inlämnad av"),
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granskad av"),
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Exempeldata, inte en verklig rapport.")
    )
    row_version = row_version_field()

    class Meta:
        verbose_name = _("enhetens rapport")
        verbose_name_plural = _("enheternas rapporter")
        ordering = ["period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="unit_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.unit}"

    @property
    def review_comment(self) -> str:
        """The granskare's latest return comment as plain text ("" if never returned). The
        comment itself is a post in the report's thread (``ReviewComment``), kept after
        resubmission and approval; show this while the report is återförd."""
        from .text import comment_as_text

        latest = (
            self.review_comments.filter(kind=ReviewComment.Kind.RETURN)
            .order_by("-created_at", "-pk")
            .first()
            if self.pk
            else None
        )
        return comment_as_text(latest.text) if latest is not None else ""


# A model in a module of its own is registered by being imported here.
from .attachments import Attachment  # noqa: E402
from .dialogue_models import ReviewComment  # noqa: E402  (Django finds models on import)

__all__ = ["Attachment", "FollowUp", "ReviewComment", "UnitReport"]
