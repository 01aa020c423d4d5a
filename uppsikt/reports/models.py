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
