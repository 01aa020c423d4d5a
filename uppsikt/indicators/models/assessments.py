"""A goal's assessment per period (the proposal and the decision), and the aggregation rule
chosen for a plan or a goal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uppsikt.governance.words import Styrmodell, styrmodell_for
from uppsikt.plans.models import Goal

from ..wording import goal_gender_flag_text
from .definitions import Aggregation, period_validator


class Assessment(models.Model):
    ACCESS_UNIT = "goal__plan__unit"

    """A goal's assessment for a period: the automatic proposal and the decision, both kept."""

    goal = models.ForeignKey(
        Goal, models.CASCADE, related_name="assessments", verbose_name=_("mål")
    )
    period = models.CharField(_("period"), max_length=7, validators=[period_validator])
    # A step of the organisation's assessment scale (``governance.words.Styrmodell.steps``)
    # or "ej_bedombar"; its label, symbol and colour come from the scale (``scale``).
    proposed_status = models.CharField(_("föreslagen bedömning"), max_length=40)
    proposed_reason = models.TextField(_("motivering till förslaget"), blank=True)
    proposed_preliminary = models.BooleanField(_("förslaget bygger på preliminära värden"))
    aggregation = models.CharField(
        _("sammanvägningsregel"),
        max_length=12,
        choices=Aggregation.choices,
        default=Aggregation.ALLA,
        help_text=_("Regeln som förslaget räknades fram med."),
    )
    indicator_results = models.JSONField(_("indikatorernas bedömningar"), default=list)
    proposed_at = models.DateTimeField(_("föreslagen"), auto_now=True)
    # None means "not decided yet"; an empty string would be a fifth, unnamed status.
    decided_status = models.CharField(  # noqa: DJ001
        _("beslutad bedömning"), max_length=40, null=True, blank=True
    )
    comment = models.TextField(_("kommentar"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bedömd av"),
    )
    decided_at = models.DateTimeField(_("bedömd"), null=True, blank=True)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        ordering = ["goal__plan", "goal__position", "period"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "period"], name="assessment_goal_period")
        ]

    def __str__(self) -> str:
        return f"{self.goal.label} {self.period}"

    @property
    def is_example_decision(self) -> bool:
        """Decided by the demo as an example (no person; the comment says "Exempel:")."""
        return (
            self.decided_status is not None
            and self.decided_by_id is None
            and self.comment.startswith("Exempel:")
        )

    @property
    def gender_flag_text(self) -> str:
        """ "1 indikator är uppfylld totalt men inte för kvinnor" when indicators carry a
        gender flag (shown beside the goal's assessment; it never lowers it), else ""."""
        return goal_gender_flag_text(self.indicator_results or [])

    @property
    def differs_from_proposal(self) -> bool:
        return self.decided_status is not None and self.decided_status != self.proposed_status

    @property
    def scale(self) -> Styrmodell:
        """The styrmodell of the organisation whose plan holds the goal (its scale's words)."""
        cached = self.__dict__.get("_scale")
        if cached is None:
            cached = styrmodell_for(self.goal.plan.unit.organisation_id)
            self.__dict__["_scale"] = cached
        return cached

    @property
    def status(self) -> str:
        """The decided step, else the proposed one."""
        return self.decided_status or self.proposed_status

    def get_proposed_status_display(self) -> str:
        return self.scale.status_label(self.proposed_status)

    def get_decided_status_display(self) -> str:
        return self.scale.status_label(self.decided_status)

    def get_status_display(self) -> str:
        return self.scale.status_label(self.status)


class AggregationChoice(models.Model):
    """The aggregation rule chosen for a whole plan (``goal`` empty) or for one goal.

    A goal's own choice wins over its plan's; without either the rule is "alla".
    """

    ACCESS_UNIT = "plan__unit"

    plan = models.ForeignKey("plans.Plan", models.CASCADE, related_name="+", verbose_name=_("plan"))
    goal = models.OneToOneField(
        Goal,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="aggregation_choice",
        verbose_name=_("mål"),
    )
    rule = models.CharField(_("sammanvägningsregel"), max_length=12, choices=Aggregation.choices)

    class Meta:
        verbose_name = _("sammanvägningsregel")
        verbose_name_plural = _("sammanvägningsregler")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(goal__isnull=True),
                name="aggregation_one_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal or self.plan}: {self.get_rule_display()}"
