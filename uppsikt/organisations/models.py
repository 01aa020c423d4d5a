"""Organisations (huvudmän), their unit trees, visions and värdegrunder."""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uppsikt.lib.contrast import WHITE

code_validator = RegexValidator(r"^\d{4}$", _("Koden ska bestå av fyra siffror."))
slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Använd gemena bokstäver a–z, siffror och bindestreck."),
)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        RIKET = "riket", _("Riket")
        REGION = "region", _("Region")
        KOMMUN = "kommun", _("Kommun")
        EXTERN = "extern", _("Extern part")

    code = models.CharField(
        _("kod"),
        max_length=4,
        unique=True,
        validators=[code_validator],
        help_text=_("Officiell kod: kommunkod (t.ex. 1880), region 00 + länskod, riket 0000."),
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    county_code = models.CharField(_("länskod"), max_length=2, blank=True)
    # Its profile on its public pages and reports (``administration.actions.update_branding``):
    # a colour drawn behind white text, and a logo (``OrganisationLogo``) whose version is
    # counted here, 0 for none, so pages know of it without reading the image.
    colour = models.CharField(
        _("profilfärg"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9a-f]{6}$", _("Ange färgen som #rrggbb."))],
        help_text=_("Bakgrund bakom vit text i sidhuvud och på rapporternas framsida."),
    )
    logo_version = models.PositiveIntegerField(_("logotypens version"), default=0)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.code])

    @property
    def has_brand(self) -> bool:
        """Whether it has its own colour or logo (else its pages look as before)."""
        return bool(self.colour or self.logo_version)

    @property
    def brand_text_colour(self) -> str:
        """The text drawn on ``colour``: always white, checked for contrast when set."""
        return WHITE

    @property
    def current_vision(self) -> "Vision | None":
        visions = list(self.visions.all())
        return visions[-1] if visions else None

    @property
    def current_value_base(self) -> "ValueBase | None":
        bases = list(self.value_bases.all())
        return bases[-1] if bases else None


class OrganisationLogo(models.Model):
    """An organisation's logo: a PNG or JPEG, judged by its content and size-limited when
    uploaded (``administration.actions.update_branding``), served only as an image."""

    organisation = models.OneToOneField(
        Organisation, models.CASCADE, related_name="logo", verbose_name=_("organisation")
    )
    data = models.BinaryField(_("bild"))
    content_type = models.CharField(_("filtyp"), max_length=20)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("logotyp")
        verbose_name_plural = _("logotyper")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.content_type}"


class Unit(models.Model):
    """A node in an organisation's tree: fullmäktige, styrelse, nämnd, förvaltning, stab …"""

    class Kind(models.TextChoices):
        FULLMAKTIGE = "fullmaktige", _("Fullmäktige")
        STYRELSE = "styrelse", _("Styrelse")
        NAMND = "namnd", _("Nämnd")
        FORVALTNING = "forvaltning", _("Förvaltning")
        KANSLI = "kansli", _("Kansli")
        STAB = "stab", _("Stab")
        ENHET = "enhet", _("Enhet")

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("överordnad enhet"),
    )
    slug = models.SlugField(_("kortnamn"), max_length=80, validators=[slug_validator])
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    responsibility = models.TextField(_("ansvar och sakområden"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["organisation", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unit_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:unit", args=[self.organisation.code, self.slug])

    def ancestors(self) -> list["Unit"]:
        """From the root down to the parent (one query per level; trees are shallow)."""
        chain: list[Unit] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Vision(models.Model):
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="visions", verbose_name=_("organisation")
    )
    text = models.TextField(_("vision"))
    description = models.TextField(_("beskrivning"), blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decided_by = models.CharField(_("beslutad av"), max_length=200, blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    note = models.TextField(_("anmärkning"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visioner")
        ordering = ["organisation", "position"]

    def __str__(self) -> str:
        return self.text


class ValueBase(models.Model):
    """A värdegrund: a set of value statements (värdeord) adopted together."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="value_bases", verbose_name=_("organisation")
    )
    title = models.CharField(_("rubrik"), max_length=200, default="Värdegrund")
    year = models.PositiveIntegerField(_("år"), null=True, blank=True)
    intro = models.TextField(_("inledning"), blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("värdegrund")
        verbose_name_plural = _("värdegrunder")
        ordering = ["organisation", "position"]

    def __str__(self) -> str:
        return f"{self.title} {self.year or ''}".strip()


class ValueStatement(models.Model):
    value_base = models.ForeignKey(
        ValueBase, models.CASCADE, related_name="statements", verbose_name=_("värdegrund")
    )
    word = models.CharField(_("värdeord"), max_length=100, blank=True)
    description = models.TextField(_("beskrivning"))
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("värdeord")
        verbose_name_plural = _("värdeord")
        ordering = ["value_base", "position"]

    def __str__(self) -> str:
        return self.word or self.description[:60]
