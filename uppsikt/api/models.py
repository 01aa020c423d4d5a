"""Personal API tokens: a user's key for the REST API, carrying exactly their permissions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """Only a hash of the key is kept; the key itself is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("användare"),
    )
    name = models.CharField(
        _("namn"), max_length=100, help_text=_("Vad nyckeln används till, t.ex. Power BI.")
    )
    prefix = models.CharField(_("nyckelns början"), max_length=16, unique=True)
    key_hash = models.CharField(_("hash av nyckeln"), max_length=64)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    expires_on = models.DateField(
        _("gäller till och med"), null=True, blank=True, help_text=_("Tomt: gäller tills vidare.")
    )
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["user", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired
