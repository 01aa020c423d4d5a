"""A background job as people see it: what it does, how far it has come, what it made.

The queue itself is django-tasks with its database backend (``django_tasks_db``), which
works on the embedded SQLite as well as on PostgreSQL; this model is the part the pages
show and poll.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Unit


class Job(models.Model):
    ACCESS_UNIT = "unit"

    class Status(models.TextChoices):
        QUEUED = "koad", _("I kö")
        RUNNING = "pagar", _("Pågår")
        DONE = "klar", _("Klar")
        FAILED = "misslyckad", _("Misslyckades")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("typ"), max_length=40)
    title = models.CharField(_("rubrik"), max_length=300)
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("enhet")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("startat av"),
    )
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    started_at = models.DateTimeField(_("startade"), null=True, blank=True)
    finished_at = models.DateTimeField(_("blev klart"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("klart"), default=0)
    total = models.PositiveIntegerField(_("totalt"), default=0)
    step = models.CharField(_("steg"), max_length=300, blank=True)
    result = models.JSONField(_("resultat"), null=True, blank=True)
    result_file = models.FileField(_("fil"), upload_to="jobb/%Y/", blank=True)
    result_name = models.CharField(_("filnamn"), max_length=200, blank=True)
    error = models.TextField(_("fel"), blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    # Which worker process runs the job ("host:pid") and when it last showed it was alive; a
    # job whose worker went silent is failed or, if ``repeatable``, queued again (``reaper``).
    worker = models.CharField(_("bakgrundsprocess"), max_length=300, blank=True)
    heartbeat_at = models.DateTimeField(_("senaste livstecken"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    repeatable = models.BooleanField(_("kan köras om"), default=False)

    class Meta:
        verbose_name = _("bakgrundsjobb")
        verbose_name_plural = _("bakgrundsjobb")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)
