"""The review dialogue: a thread of comments on a follow-up entry or on a unit's report.

Imported by ``models.py`` so Django finds the model in this app. A comment is never changed
or removed once written (no action does it; the admin reads only): the thread is what was
said, in order, with who said it and when (``actions.dialogue``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewComment(models.Model):
    """One post in the granskning's dialogue: on an entry (``entry``) or on the unit's report
    as a whole (``report``), exactly one of them. ``text`` is formatted text as entries'
    comments are (``text.sanitise_comment``): safe HTML."""

    ACCESS_UNIT = "unit"

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Kommentar")
        RETURN = "return", _("Återförd med kommentar")
        APPROVAL = "approval", _("Godkänd med kommentar")

    period = models.ForeignKey(
        "periods.ReportingPeriod",
        models.PROTECT,
        related_name="+",
        verbose_name=_("uppföljningstillfälle"),
    )
    unit = models.ForeignKey(
        "organisations.Unit", models.CASCADE, related_name="+", verbose_name=_("enhet")
    )
    entry = models.ForeignKey(
        "followup.FollowUp",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="review_comments",
        verbose_name=_("uppföljning"),
    )
    report = models.ForeignKey(
        "followup.UnitReport",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="review_comments",
        verbose_name=_("enhetens rapport"),
    )
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skriven av"),
    )
    author_name = models.CharField(_("namn"), max_length=150, blank=True)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("skriven"))

    class Meta:
        verbose_name = _("kommentar i granskningen")
        verbose_name_plural = _("kommentarer i granskningen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry__isnull=True, report__isnull=False)
                | models.Q(entry__isnull=False, report__isnull=True),
                name="review_comment_one_subject",
            )
        ]
        indexes = [models.Index(fields=["period", "unit"], name="review_comment_unit_idx")]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:60]}"
