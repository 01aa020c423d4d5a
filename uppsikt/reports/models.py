"""An organisation's own Word template for its reports (its graphic profile)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation


class ReportTemplate(models.Model):
    """Replaces the default ``resources/rapportmall.docx`` for one organisation's reports."""

    organisation = models.OneToOneField(
        Organisation,
        models.CASCADE,
        related_name="report_template",
        verbose_name=_("organisation"),
    )
    file = models.FileField(_("Word-mall"), upload_to="rapportmallar/")
    original_name = models.CharField(_("filnamn"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now=True)

    class Meta:
        verbose_name = _("rapportmall")
        verbose_name_plural = _("rapportmallar")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.original_name}"


class ApprovedReport(models.Model):
    """One approved version of a unit's report: the public report document as it was when
    a granskare approved it.

    Every approval adds a version (1, 2, …); none is replaced. The public page shows the
    latest (also while the report is returned and revised) and lists every version with
    its files (``versions``); figures imported later never change a version (``snapshot``).
    The files are made from it on request and kept.
    """

    report = models.ForeignKey(
        "followup.UnitReport",
        models.CASCADE,
        related_name="approved_versions",
        verbose_name=_("enhetens rapport"),
    )
    number = models.PositiveIntegerField(_("version"), default=1)
    approved_at = models.DateTimeField(_("godkänd"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkänd av"),
    )
    document = models.JSONField(_("dokument"))
    fingerprint = models.CharField(_("fingeravtryck"), max_length=64)

    class Meta:
        verbose_name = _("godkänd version")
        verbose_name_plural = _("godkända versioner")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="approved_report_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} (version {self.number})"


class ApprovedReportFile(models.Model):
    """A file (PDF, DOCX, XLSX, HTML) made from an approved version, kept once made."""

    approved = models.ForeignKey(
        ApprovedReport, models.CASCADE, related_name="files", verbose_name=_("godkänd version")
    )
    fmt = models.CharField(_("format"), max_length=8)
    data = models.BinaryField(_("innehåll"))
    made_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("fil av godkänd version")
        verbose_name_plural = _("filer av godkända versioner")
        constraints = [
            models.UniqueConstraint(fields=["approved", "fmt"], name="approved_report_file_unique")
        ]

    def __str__(self) -> str:
        return f"{self.approved} ({self.fmt})"
