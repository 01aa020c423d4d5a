"""A unit's verksamhetsplan and everything it holds, in document order.

Every object of a plan carries ``position``, one counter over the whole plan in the order
the document reads, so a page or report can lay the plan out by sorting alone.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uppsikt.accounts.access import EVERYWHERE, Perm, scope, units_with
from uppsikt.governance.words import Styrmodell, styrmodell_for
from uppsikt.lib.concurrency import row_version_field
from uppsikt.organisations.models import Unit


def origin_field(verbose_name: Any) -> models.ForeignKey:
    """What a copied object (a plan, a part of one, an indicator) was copied from: a
    revision or another year's plan. The version diff and the year-over-year comparison pair
    objects by it (``plans.lineage``)."""
    return models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=verbose_name,
    )


class PlanQuerySet(models.QuerySet["Plan"]):
    def published(self) -> "PlanQuerySet":
        return self.filter(status__in=Plan.PUBLISHED_STATUSES)

    def visible_to(self, user) -> "PlanQuerySet":
        """Decided plans for everyone; drafts too in the units where ``user`` may read them,
        and in the unit directly above a unit where ``user`` plans: its goals are what that
        unit's plan breaks down while both are being written."""
        readable = scope(self, user, published=Q(status__in=Plan.PUBLISHED_STATUSES))
        planning = units_with(user, Perm.PLAN)
        if planning is EVERYWHERE or not planning:
            return readable
        above = Unit.objects.filter(pk__in=sorted(planning)).exclude(parent=None)
        return readable | self.filter(unit__in=above.values("parent_id"))

    def with_superseded(self) -> "PlanQuerySet":
        """Annotate ``superseded``: a newer version of the same unit and year is decided."""
        newer = Plan.objects.filter(
            unit=OuterRef("unit"),
            year=OuterRef("year"),
            version__gt=OuterRef("version"),
            status__in=Plan.PUBLISHED_STATUSES,
        )
        return self.annotate(superseded=Exists(newer))


class Plan(models.Model):
    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        BESLUTAD = "beslutad", _("Beslutad")
        REVIDERAD = "reviderad", _("Reviderad")

    PUBLISHED_STATUSES = (Status.BESLUTAD, Status.REVIDERAD)
    ACCESS_UNIT = "unit"

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="plans", verbose_name=_("enhet"))
    year = models.PositiveIntegerField(_("år"))
    horizon_end = models.PositiveIntegerField(
        _("planeringshorisont till och med"),
        null=True,
        blank=True,
        help_text=_("Sista året som planeringsförutsättningarna gäller, t.ex. 2025."),
    )
    title = models.CharField(_("titel"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UTKAST
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    decided_by = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_plans",
        verbose_name=_("beslutad av"),
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Innehållet är ett exempel, inte en källa.")
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    note = models.TextField(_("anmärkning"), blank=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)
    origin = origin_field(_("kopierad från"))
    breaks_down = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="breakdowns",
        editable=False,
        verbose_name=_("bryter ned"),
        help_text=_("Planen för enheten ovanför vars mål den här planen bryter ned."),
    )
    review_requested_at = models.DateTimeField(
        _("skickad på beredning"), null=True, blank=True, editable=False
    )
    row_version = row_version_field()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("verksamhetsplan")
        verbose_name_plural = _("verksamhetsplaner")
        ordering = ["unit__organisation__code", "unit__position", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "version"], name="plan_unit_year_version_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status in self.PUBLISHED_STATUSES

    @property
    def horizon_label(self) -> str:
        if self.horizon_end and self.horizon_end > self.year:
            return f"{self.year}–{self.horizon_end}"
        return str(self.year)

    def clean(self) -> None:
        if self.horizon_end is not None and self.horizon_end < self.year:
            raise ValidationError(
                {
                    "horizon_end": ValidationError(
                        _("Planeringshorisonten kan inte sluta före planens år."),
                        code="before_year",
                    )
                }
            )
        if self.unit_id and self.decided_by is not None:
            decided_org = self.decided_by.organisation_id
            if decided_org != self.unit.organisation_id:
                raise ValidationError(
                    {
                        "decided_by": ValidationError(
                            _("Beslutande organ måste höra till samma organisation."),
                            code="other_organisation",
                        )
                    }
                )


class PlanPart(models.Model):
    """What every object inside a plan shares: the plan and its place in the document."""

    ACCESS_UNIT = "plan__unit"

    plan = models.ForeignKey(Plan, models.CASCADE, verbose_name=_("plan"))
    position = models.PositiveIntegerField(_("ordning"), default=0)
    # The object this one was copied from (a revision, or another year's plan): what the
    # version diff and the year-over-year comparison pair it with.
    origin = origin_field(_("kopierat från"))
    row_version = row_version_field()

    class Meta:
        abstract = True
        ordering = ["position"]
        default_related_name = "%(model_name)ss"


class Perspective(PlanPart):
    number = models.CharField(_("nummer"), max_length=20, blank=True)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    responsibilities = models.JSONField(_("ansvar"), default=list, blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = _("perspektiv")
        verbose_name_plural = _("perspektiv")

    def __str__(self) -> str:
        return self.name


class FocusArea(PlanPart):
    number = models.CharField(_("nummer"), max_length=20, blank=True)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = _("prioriterat område")
        verbose_name_plural = _("prioriterade områden")
        default_related_name = "focus_areas"

    def __str__(self) -> str:
        return self.name


class Section(PlanPart):
    """A free-text part of the plan: inledning, ansvar, syfte, uppföljning …"""

    perspective = models.ForeignKey(
        Perspective, models.CASCADE, null=True, blank=True, verbose_name=_("perspektiv")
    )
    number = models.CharField(_("nummer"), max_length=20, blank=True)
    heading = models.CharField(_("rubrik"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    items = models.JSONField(_("punktlista"), default=list, blank=True)
    note = models.TextField(_("anmärkning"), blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")

    def __str__(self) -> str:
        return f"{self.number} {self.heading}".strip()


class Strategy(PlanPart):
    perspective = models.ForeignKey(
        Perspective, models.CASCADE, null=True, blank=True, verbose_name=_("perspektiv")
    )
    focus_area = models.ForeignKey(
        FocusArea, models.CASCADE, null=True, blank=True, verbose_name=_("prioriterat område")
    )
    number = models.CharField(_("nummer"), max_length=20, blank=True)
    name = models.CharField(_("namn"), max_length=200, blank=True)
    lead = models.CharField(_("ingress"), max_length=300, blank=True)
    statements = models.JSONField(_("strategier"), default=list, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")
        default_related_name = "strategies"

    def __str__(self) -> str:
        return self.name or self.lead


class Goal(PlanPart):
    # ``kind`` holds a goal level's key of the organisation's styrmodell
    # (``governance.words``): Region Örebro län's are effektmal, mal and namndmal.
    kind = models.CharField(
        _("målnivå"),
        max_length=40,
        default="mal",
        help_text=_("Målnivån i organisationens styrmodell."),
    )
    number = models.CharField(_("nummer"), max_length=20, blank=True)
    text = models.TextField(_("mål"))
    description = models.TextField(_("beskrivning"), blank=True)
    note = models.TextField(
        _("anmärkning"), blank=True, help_text=_("T.ex. att källtexten är ofullständig.")
    )
    perspective = models.ForeignKey(
        Perspective, models.CASCADE, null=True, blank=True, verbose_name=_("perspektiv")
    )
    section = models.ForeignKey(
        Section, models.CASCADE, null=True, blank=True, verbose_name=_("avsnitt")
    )
    strategy = models.ForeignKey(
        Strategy, models.CASCADE, null=True, blank=True, verbose_name=_("strategi")
    )
    focus_area = models.ForeignKey(
        FocusArea, models.CASCADE, null=True, blank=True, verbose_name=_("prioriterat område")
    )
    contributes_to = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="contributions",
        verbose_name=_("bidrar till"),
        help_text=_("Mål i en överordnad enhets plan som detta mål bidrar till."),
    )

    class Meta(PlanPart.Meta):
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return f"{self.label}: {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("plans:goal", args=[self.pk])

    @property
    def styrmodell(self) -> Styrmodell:
        """The organisation's styrmodell (its plan and unit are read once and kept; lists
        load them with ``select_related("plan__unit")`` or through ``plan.goals``)."""
        return styrmodell_for(self.plan.unit.organisation_id)

    @property
    def kind_label(self) -> str:
        """The goal level's name in the organisation's words ("Effektmål", "Nämndmål")."""
        return self.styrmodell.goal_kind_label(self.kind)

    @property
    def kind_plural(self) -> str:
        return self.styrmodell.goal_kind_plural(self.kind)

    @property
    def label(self) -> str:
        kind = self.kind_label
        return f"{kind} {self.number}" if self.number else kind

    @property
    def text_is_editor_mark(self) -> bool:
        """Whether the text is the transcription's mark for a heading lost in the source,
        written in parentheses ("(Effektmålets rubrik saknas i källdokumentet)"): an
        editor's note for staff, not text of the plan."""
        text = self.text.strip()
        return text.startswith("(") and text.endswith(")")


class Indicator(models.Model):
    ACCESS_UNIT = "goal__plan__unit"

    goal = models.ForeignKey(Goal, models.CASCADE, related_name="indicators", verbose_name=_("mål"))
    text = models.TextField(_("indikator"))
    note = models.TextField(_("anmärkning"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    origin = origin_field(_("kopierad från"))
    row_version = row_version_field()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text


class Assignment(PlanPart):
    """Uppdrag."""

    perspective = models.ForeignKey(
        Perspective, models.CASCADE, null=True, blank=True, verbose_name=_("perspektiv")
    )
    strategy = models.ForeignKey(
        Strategy, models.CASCADE, null=True, blank=True, verbose_name=_("strategi")
    )
    text = models.TextField(_("uppdrag"))
    responsible = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ansvarig")
    )

    class Meta(PlanPart.Meta):
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")

    def __str__(self) -> str:
        return self.text


class Activity(PlanPart):
    focus_area = models.ForeignKey(
        FocusArea, models.CASCADE, null=True, blank=True, verbose_name=_("prioriterat område")
    )
    section = models.ForeignKey(
        Section, models.CASCADE, null=True, blank=True, verbose_name=_("avsnitt")
    )
    text = models.TextField(_("aktivitet"))
    responsible = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ansvarig")
    )
    starts_on = models.DateField(_("startdatum"), null=True, blank=True)
    ends_on = models.DateField(_("slutdatum"), null=True, blank=True)
    contributes_to = models.ManyToManyField(
        Goal, blank=True, related_name="activities_contributing", verbose_name=_("bidrar till")
    )

    class Meta(PlanPart.Meta):
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        default_related_name = "activities"

    def __str__(self) -> str:
        return self.text


class GoalExemption(models.Model):
    """A unit's answer to a goal of the plan above that it does not break down: "berör inte
    enheten", with the reason. (A goal it does break down is answered by a "bidrar till"
    link from a goal of its own plan.)"""

    ACCESS_UNIT = "plan__unit"

    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="exemptions", verbose_name=_("plan")
    )
    goal = models.ForeignKey(
        Goal, models.CASCADE, related_name="exemptions", verbose_name=_("mål ovanför")
    )
    reason = models.TextField(_("motivering"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("berör inte enheten")
        verbose_name_plural = _("berör inte enheten")
        ordering = ["goal__position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "goal"], name="goal_exemption_unique")
        ]

    def __str__(self) -> str:
        return f"{self.goal.label}: {self.reason}"


class PlanComment(models.Model):
    """A comment in the beredning of a draft: on the plan as a whole (``subject_type`` empty)
    or on one object of it. The comments on one object, oldest first, are its thread."""

    ACCESS_UNIT = "plan__unit"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="comments", verbose_name=_("plan"))
    subject_type = models.CharField(_("objekttyp"), max_length=40, blank=True)
    subject_id = models.PositiveBigIntegerField(_("objekt-id"), null=True, blank=True)
    subject_label = models.CharField(_("gäller"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("skriven av"),
    )
    author_name = models.CharField(_("namn"), max_length=150, blank=True)
    body = models.TextField(_("kommentar"))
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)

    class Meta:
        verbose_name = _("kommentar i beredningen")
        verbose_name_plural = _("kommentarer i beredningen")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["plan", "subject_type", "subject_id"], name="plan_comment_subject")
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:60]}"


class PlanEvent(models.Model):
    """Which audit events belong to a plan's history: every change to the plan or anything in
    it (the audit trail names only the changed object, which may since have been removed)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="+")
    # No database constraint, as for the trail's own references: the trail is checked by
    # its hash chain (``audit verify``), which must be able to find a row deleted behind
    # its back rather than be stopped by a key.
    event = models.ForeignKey(
        "audit.AuditEvent", models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "event"], name="plan_event_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.event_id}"
