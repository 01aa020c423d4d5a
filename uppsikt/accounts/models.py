"""Roles scoped to units: who may do what, where.

A role given on a unit holds for that unit and every unit beneath it, so a planerare on
regionstyrelsen also plans for regionkansliet and its staber. What each role may do is
decided in one table (``access.ROLE_PERMISSIONS``), not in views.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Unit


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administratör")
    PLANERARE = "planerare", _("Planerare/controller")
    RAPPORTOR = "rapportor", _("Rapportör")
    GRANSKARE = "granskare", _("Granskare")
    LASARE = "lasare", _("Läsare")


class RoleAssignment(models.Model):
    ACCESS_UNIT = "unit"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("användare"),
    )
    unit = models.ForeignKey(
        Unit,
        models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("enhet"),
        help_text=_("Rollen gäller enheten och alla enheter under den."),
    )
    role = models.CharField(_("roll"), max_length=14, choices=Role.choices)
    granted_at = models.DateTimeField(_("tilldelad"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tilldelad av"),
    )

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        ordering = ["user", "unit", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class LoginFailure(models.Model):
    """One failed login, kept for the lockout window (``lockout.py``)."""

    username = models.CharField(_("användarnamn"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("adress"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("misslyckad inloggning")
        verbose_name_plural = _("misslyckade inloggningar")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M}"


class ExternalIdentity(models.Model):
    """A person's identity at the organisation's OpenID Connect provider (``sub``).

    The first login through the provider links the account by e-mail address; later logins
    find it by the provider's subject, so a changed address does not make a new account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="external_identities",
        verbose_name=_("användare"),
    )
    issuer = models.CharField(_("identitetsleverantör"), max_length=300)
    subject = models.CharField(_("id hos leverantören"), max_length=255)
    linked_at = models.DateTimeField(_("kopplad"), auto_now_add=True)

    class Meta:
        verbose_name = _("extern identitet")
        verbose_name_plural = _("externa identiteter")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.subject})"


class Authenticator(models.Model):
    """A person's authenticator app for the second factor (TOTP, ``second_factor.py``).

    The secret is stored encrypted (``sealed.py``) and shown only while enrolling; the
    enrolment counts once the person has typed a first code (``confirmed_at``). The last
    time step a code was used in is kept, so no code works twice.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="authenticator",
        verbose_name=_("användare"),
    )
    sealed_secret = models.TextField(_("hemlighet (krypterad)"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("senast använda tidssteg"), null=True, blank=True)

    class Meta:
        verbose_name = _("autentiseringsapp")
        verbose_name_plural = _("autentiseringsappar")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """One single-use recovery code, stored hashed like a password; shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("användare"),
    )
    code_hash = models.CharField(_("kontrollvärde"), max_length=256)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    used_at = models.DateTimeField(_("använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("reservkod")
        verbose_name_plural = _("reservkoder")

    def __str__(self) -> str:
        return f"{self.user} ({self.pk})"
