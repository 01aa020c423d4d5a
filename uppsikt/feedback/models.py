"""The accessibility statement (one per installation), reports of accessibility problems,
and the answers to "Hade du nytta av innehållet på denna sida?".

Texts written by residents are plain text (``text.py``), shown escaped everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation

# Limits of what residents write, in characters (checked with a message naming the field).
DESCRIPTION_MAX = 5000
COMMENT_MAX = 1000
NAME_MAX = 200
PATH_MAX = 500


class AccessibilityStatement(models.Model):
    """The installation's tillgänglighetsredogörelse, following the structure of DIGG's
    model: who answers for the site, how far it meets the law, what is not accessible and
    why, how it was assessed, how to reach us, and the dates. One row (``pk`` 1)."""

    SINGLETON = 1

    class Compliance(models.TextChoices):
        FULL = "helt", _("helt förenlig")
        PARTIAL = "delvis", _("delvis förenlig")
        NONE = "inte", _("inte förenlig")

    class Method(models.TextChoices):
        SELF = "egen", _("självskattning (vi har granskat webbplatsen själva)")
        EXTERNAL = "extern", _("granskning av en extern part")
        BOTH = "bada", _("självskattning och granskning av en extern part")

    site_name = models.CharField(_("webbplatsens namn"), max_length=200)
    site_owner = models.CharField(_("offentlig aktör som ansvarar för webbplatsen"), max_length=200)
    statement_owner = models.CharField(
        _("ansvarig för redogörelsen"),
        max_length=200,
        blank=True,
        help_text=_("Lämna tomt om det är samma som ansvarar för webbplatsen."),
    )
    contact_email = models.EmailField(_("e-post för frågor om tillgänglighet"))
    contact_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    contact_hours = models.CharField(_("när vi svarar i telefon"), max_length=200, blank=True)
    response_time = models.CharField(
        _("hur snart vi svarar"),
        max_length=200,
        help_text=_("Till exempel ”inom fem arbetsdagar”."),
    )
    compliance = models.CharField(
        _("förenlighet med lagen"), max_length=10, choices=Compliance.choices
    )
    non_compliant = models.TextField(
        _("innehåll som inte uppfyller kraven"),
        blank=True,
        help_text=_("En brist per rad: vad det gäller, vem det påverkar och varför."),
    )
    disproportionate = models.TextField(
        _("oskäligt betungande anpassning (12 §)"),
        blank=True,
        help_text=_("En rad per undantag, med skälet. Lämna tomt om inget undantas."),
    )
    out_of_scope = models.TextField(
        _("innehåll som inte omfattas av lagen (9 §)"),
        blank=True,
        help_text=_("En rad per slag av innehåll. Lämna tomt om inget."),
    )
    method = models.CharField(_("utvärderingsmetod"), max_length=10, choices=Method.choices)
    testing = models.TextField(
        _("så har webbplatsen testats"),
        help_text=_("Skriv bara det som faktiskt har gjorts."),
    )
    assessed_on = models.DateField(_("datum för bedömningen"))
    published_on = models.DateField(_("webbplatsen publicerades"))
    reviewed_on = models.DateField(_("redogörelsen uppdaterades senast"))
    is_example = models.BooleanField(
        _("exempeluppgifter"),
        default=False,
        help_text=_(
            "Visas tydligt som exempel på sidan. Ta bort markeringen när uppgifterna är riktiga."
        ),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        verbose_name = _("tillgänglighetsredogörelse")
        verbose_name_plural = _("tillgänglighetsredogörelse")

    def __str__(self) -> str:
        return str(_("Tillgänglighetsredogörelse för %(site)s")) % {"site": self.site_name}

    @property
    def responsible_for_statement(self) -> str:
        return self.statement_owner or self.site_owner


class AccessibilityReport(models.Model):
    """A problem someone met on the site, as they reported it."""

    page = models.CharField(_("sidans adress"), max_length=PATH_MAX)
    description = models.TextField(_("beskrivning"))
    name = models.CharField(_("namn"), max_length=NAME_MAX, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    created_at = models.DateTimeField(_("inkom"), auto_now_add=True)
    receipt_sent = models.BooleanField(_("kvitto skickat"), default=False)
    handled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hanterad av"),
    )
    handled_note = models.TextField(_("vad som gjordes"), blank=True)

    class Meta:
        verbose_name = _("rapport om tillgänglighetsproblem")
        verbose_name_plural = _("rapporter om tillgänglighetsproblem")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The ärendenummer the reporter is given: the year and the report's number."""
        return f"TG-{self.created_at:%Y}-{self.pk:05d}"


class PageAnswer(models.Model):
    """One answer to "Hade du nytta av innehållet på denna sida?", and its comment if any."""

    path = models.CharField(_("sida"), max_length=PATH_MAX)
    organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    useful = models.BooleanField(_("hade nytta"))
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(_("svarade"), auto_now_add=True)
    commented_at = models.DateTimeField(_("kommenterade"), null=True, blank=True)

    class Meta:
        verbose_name = _("svar om sidans nytta")
        verbose_name_plural = _("svar om sidornas nytta")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "path"], name="feedback_answer_page_idx"),
            models.Index(fields=["path"], name="feedback_answer_path_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.path}: {_('ja') if self.useful else _('nej')}"
