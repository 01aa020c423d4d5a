from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """The audit trail's pages: an object's, a person's and one's own history, and the
    chain check. The trail itself (``audit``) sits low so every app can write to it; its
    pages need access rules and background jobs, so they live up here."""

    name = "uppsikt.history"
    verbose_name = _("Historik")
