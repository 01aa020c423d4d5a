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

    class Source(models.TextChoices):
        HAND = "hand", _("given av en administratör")
        CLAIM = "claim", _("från inloggningen (OIDC)")

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
    # Roles from the identity provider's claims come and go with the claims at each login;
    # roles given by hand (or by an invitation) are never taken back by a login.
    source = models.CharField(_("källa"), max_length=8, choices=Source.choices, default=Source.HAND)

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


class Invitation(models.Model):
    """An invitation by e-mail to take a role on a unit (``invitations.py``).

    The link's token is shown once, in the e-mail; only its SHA-256 is stored, so the table
    does not hold usable links. An invitation is pending until it is accepted, withdrawn or
    past ``expires_at`` (``UPPSIKT_INVITATION_DAYS``).
    """

    ACCESS_UNIT = "unit"

    email = models.EmailField(_("e-postadress"))
    unit = models.ForeignKey(
        Unit, models.CASCADE, related_name="invitations", verbose_name=_("enhet")
    )
    role = models.CharField(_("roll"), max_length=14, choices=Role.choices)
    token_hash = models.CharField(_("kontrollvärde"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inbjuden av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gäller till"))
    accepted_at = models.DateTimeField(_("antagen"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("antagen av"),
    )
    withdrawn_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.unit}"


class ClaimRoleMapping(models.Model):
    """A role given by the identity provider: whoever signs in through OpenID Connect with
    ``claim`` equal to ``value`` (or, for a list claim such as ``groups``, containing it)
    holds ``role`` on ``unit``, for as long as the claim says so (``claim_roles.py``)."""

    ACCESS_UNIT = "unit"

    claim = models.CharField(_("claim"), max_length=100)
    value = models.CharField(_("värde"), max_length=300)
    unit = models.ForeignKey(
        Unit, models.CASCADE, related_name="claim_role_mappings", verbose_name=_("enhet")
    )
    role = models.CharField(_("roll"), max_length=14, choices=Role.choices)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )

    class Meta:
        verbose_name = _("roll från inloggningen")
        verbose_name_plural = _("roller från inloggningen")
        ordering = ["claim", "value", "unit", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "value", "unit", "role"], name="claim_role_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim}={self.value} → {self.get_role_display()} – {self.unit}"
