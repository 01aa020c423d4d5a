"""What the demo's example kommun is made of: its unit tree, its styrmodell, its people and
its example plans, as plain data (``demo_kommun`` sets it up through the actions).

Everything here is invented example data, not taken from any kommun's documents: the
plans are marked ``is_example`` and say so in their note; the units, the styrmodell and
the indicator definitions, which have no such flag, say "Exempel" in their text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from uppsikt.accounts.models import Role
from uppsikt.governance.actions import LevelSpec, StepSpec, StyrmodellSpec
from uppsikt.governance.models import Calendar, Outcome
from uppsikt.indicators.rules import ChangeRule, TargetRule, TargetValueRule, ThresholdRule
from uppsikt.organisations.models import Unit

CODE = "1881"  # Kumla kommun: in the demo a bare comparison row until this sets it up
YEAR = 2023
EXAMPLE = "Exempel"
EXAMPLE_NOTE = (
    "Exempel: en påhittad plan som visar hur en kommun med egen styrmodell arbetar i "
    "Uppsikt (inriktningsmål, nämndmål, en fyrgradig skala och perspektiven Medborgare, "
    "Verksamhet, Medarbetare och Ekonomi). Innehållet är exempeldata, inte kommunens."
)


@dataclass(frozen=True)
class UnitSpec:
    slug: str
    name: str
    kind: str
    parent: str | None
    responsibility: str


def _unit(slug: str, name: str, kind: str, parent: str | None, what: str) -> UnitSpec:
    return UnitSpec(slug, name, kind, parent, f"{EXAMPLE}: {what}")


# Parents before children. The nämnder sit beside kommunstyrelsen under kommunfullmäktige,
# which appoints them; each has its förvaltning.
UNITS: tuple[UnitSpec, ...] = (
    _unit(
        "kommunfullmaktige",
        "Kommunfullmäktige",
        Unit.Kind.FULLMAKTIGE,
        None,
        "kommunens högsta beslutande organ; beslutar mål och budget.",
    ),
    _unit(
        "kommunstyrelsen",
        "Kommunstyrelsen",
        Unit.Kind.STYRELSE,
        "kommunfullmaktige",
        "leder och samordnar kommunens verksamheter och har uppsikt över nämnderna.",
    ),
    _unit(
        "kommunledningsforvaltningen",
        "Kommunledningsförvaltningen",
        Unit.Kind.FORVALTNING,
        "kommunstyrelsen",
        "ekonomi, personal, kommunikation och utveckling.",
    ),
    _unit(
        "barn-och-utbildningsnamnden",
        "Barn- och utbildningsnämnden",
        Unit.Kind.NAMND,
        "kommunfullmaktige",
        "förskola, grundskola, gymnasieskola och vuxenutbildning.",
    ),
    _unit(
        "barn-och-utbildningsforvaltningen",
        "Barn- och utbildningsförvaltningen",
        Unit.Kind.FORVALTNING,
        "barn-och-utbildningsnamnden",
        "verkställer barn- och utbildningsnämndens beslut.",
    ),
    _unit(
        "socialnamnden",
        "Socialnämnden",
        Unit.Kind.NAMND,
        "kommunfullmaktige",
        "äldreomsorg, funktionshinderomsorg och individ- och familjeomsorg.",
    ),
    _unit(
        "socialforvaltningen",
        "Socialförvaltningen",
        Unit.Kind.FORVALTNING,
        "socialnamnden",
        "verkställer socialnämndens beslut.",
    ),
)
ROOT = UNITS[0].slug
BOARD, NAMND = "kommunstyrelsen", "barn-och-utbildningsnamnden"

INRIKTNINGSMAL, NAMNDMAL, VERKSAMHETSMAL = "inriktningsmal", "namndmal", "verksamhetsmal"
PERSPECTIVES = (
    ("Medborgare", "Kommunens invånare, brukare och företag."),
    ("Verksamhet", "Verksamheternas kvalitet, tillgänglighet och utveckling."),
    ("Medarbetare", "Kommunen som arbetsgivare och arbetsmiljön."),
    ("Ekonomi", "En långsiktigt hållbar ekonomi."),
)


def styrmodell(kommun: str) -> StyrmodellSpec:
    """A kommun's styrmodell: three goal levels, a four-step scale (two steps count as met,
    every colour at least 4.5:1 on white), balanced-scorecard perspectives, tertials."""
    return StyrmodellSpec(
        name=f"{EXAMPLE}: styrmodell för {kommun} kommun",
        levels=[
            LevelSpec(INRIKTNINGSMAL, "Inriktningsmål", "Inriktningsmål", [Unit.Kind.FULLMAKTIGE]),
            LevelSpec(NAMNDMAL, "Nämndmål", "Nämndmål", [Unit.Kind.STYRELSE, Unit.Kind.NAMND]),
            LevelSpec(
                VERKSAMHETSMAL,
                "Verksamhetsmål",
                "Verksamhetsmål",
                [Unit.Kind.FORVALTNING, Unit.Kind.ENHET],
            ),
        ],
        steps=[
            StepSpec("uppfyllt", "Uppfyllt", "#1b5e20", "●", True, Outcome.MET),
            StepSpec("till_stor_del", "Till stor del uppfyllt", "#33691e", "◕", True, ""),
            StepSpec("delvis_uppfyllt", "Delvis uppfyllt", "#7a4d00", "◑", False, Outcome.PARTLY),
            StepSpec("ej_uppfyllt", "Ej uppfyllt", "#b3261e", "○", False, Outcome.NOT_MET),
        ],
        perspectives=list(PERSPECTIVES),
        uses=["perspectives", "assignments", "activities"],
        calendar=Calendar.TERTIAL,
        period_months=[4],  # the first tertial's report; the second is the delårsrapport
    )


@dataclass(frozen=True)
class Person:
    part: str  # the username is the kommun's name, then this: kumla-admin
    full_name: str  # %(kommun)s: the kommun's name
    role: str
    unit: str  # slug


PEOPLE = (
    Person("admin", "Administratör för %(kommun)s kommun i demo", Role.ADMINISTRATOR, ROOT),
    Person("planerare", "Planerare i %(kommun)s kommun i demo", Role.PLANERARE, NAMND),
)


def password(username: str) -> str:
    """The demo users' convention (accounts' demo_users): published, for a demo only."""
    return f"uppsikt-demo-{username}"


# Indicator definitions in the shared library, by key: {field: value} for a new definition.
DEFINITIONS: dict[str, dict[str, str]] = {
    "exempel-kommun-nojda-invanare": {
        "name": "Exempel: andel invånare som är nöjda med kommunens service",
        "unit": "procent",
    },
    "exempel-kommun-behoriga-gymnasiet": {
        "name": "Exempel: andel elever i årskurs 9 som är behöriga till gymnasieskolan",
        "unit": "procent",
    },
    "exempel-kommun-behoriga-yrkesprogram": {
        "name": "Exempel: andel elever i årskurs 9 som är behöriga till ett yrkesprogram",
        "unit": "procent",
    },
    "exempel-kommun-svar-i-tid": {
        "name": "Exempel: andel ärenden som besvaras inom utlovad tid",
        "unit": "procent",
    },
    "exempel-kommun-personalkontinuitet": {
        "name": "Exempel: antal personal som en hemtjänsttagare möter under 14 dagar",
        "unit": "antal",
        "polarity": "lower_better",
    },
    "exempel-kommun-hme": {
        "name": "Exempel: hållbart medarbetarengagemang (HME), totalindex",
        "unit": "index",
    },
    "exempel-kommun-sjukfranvaro": {
        "name": "Exempel: sjukfrånvaro bland kommunens medarbetare",
        "unit": "procent",
        "polarity": "lower_better",
    },
    "exempel-kommun-resultat": {
        "name": "Exempel: resultat i procent av skatteintäkter och generella statsbidrag",
        "unit": "procent",
    },
    "exempel-kommun-sjalvfinansiering": {
        "name": "Exempel: självfinansieringsgrad av investeringar",
        "unit": "procent",
    },
}


@dataclass(frozen=True)
class ExampleGoal:
    perspective: str
    text: str
    indicator: str
    definition: str  # a key of DEFINITIONS
    rule: TargetRule


# Kommunfullmäktige's inriktningsmål, two per perspective, each with one indicator and its
# target rule.
COUNCIL_GOALS = (
    ExampleGoal(
        "Medborgare",
        "Invånarna är nöjda med kommunens service och bemötande.",
        "Andelen invånare som är nöjda med kommunens service ska öka.",
        "exempel-kommun-nojda-invanare",
        ChangeRule("increase"),
    ),
    ExampleGoal(
        "Medborgare",
        "Barn och unga når målen i skolan.",
        "Minst 85 procent av eleverna i årskurs 9 ska vara behöriga till gymnasieskolan.",
        "exempel-kommun-behoriga-gymnasiet",
        ThresholdRule(minimum=Decimal("85")),
    ),
    ExampleGoal(
        "Verksamhet",
        "Kommunens verksamheter är tillgängliga och håller god kvalitet.",
        "Minst 90 procent av ärendena ska besvaras inom utlovad tid.",
        "exempel-kommun-svar-i-tid",
        ThresholdRule(minimum=Decimal("90")),
    ),
    ExampleGoal(
        "Verksamhet",
        "Äldre får en trygg omsorg med kontinuitet.",
        "Antalet personal som en hemtjänsttagare möter under 14 dagar ska minska.",
        "exempel-kommun-personalkontinuitet",
        ChangeRule("decrease"),
    ),
    ExampleGoal(
        "Medarbetare",
        "Kommunen är en attraktiv arbetsgivare.",
        "Hållbart medarbetarengagemang (HME) ska vara minst 80.",
        "exempel-kommun-hme",
        ThresholdRule(minimum=Decimal("80")),
    ),
    ExampleGoal(
        "Medarbetare",
        "Medarbetarna har en hälsosam arbetsmiljö.",
        "Sjukfrånvaron ska vara högst 7 procent.",
        "exempel-kommun-sjukfranvaro",
        ThresholdRule(maximum=Decimal("7")),
    ),
    ExampleGoal(
        "Ekonomi",
        "Kommunen har en ekonomi i balans.",
        "Resultatet ska vara minst 2 procent av skatteintäkter och generella statsbidrag.",
        "exempel-kommun-resultat",
        TargetValueRule(((str(YEAR), Decimal("2")),)),
    ),
    ExampleGoal(
        "Ekonomi",
        "Investeringarna finansieras på ett långsiktigt hållbart sätt.",
        "Minst 80 procent av investeringarna ska finansieras med egna medel.",
        "exempel-kommun-sjalvfinansiering",
        ThresholdRule(minimum=Decimal("80")),
    ),
)
COUNCIL_TITLE = f"Mål och budget {YEAR}"
COUNCIL_DECIDED_ON = datetime.date(YEAR - 1, 11, 21)

# Barn- och utbildningsnämnden breaks one inriktningsmål down into a nämndmål.
BROKEN_DOWN = COUNCIL_GOALS[1].text
NAMND_GOAL = ExampleGoal(
    "Medborgare",
    "Fler elever lämnar grundskolan behöriga till ett yrkesprogram.",
    "Andelen elever i årskurs 9 som är behöriga till ett yrkesprogram ska öka.",
    "exempel-kommun-behoriga-yrkesprogram",
    ChangeRule("increase"),
)
NAMND_DECIDED_ON = datetime.date(YEAR - 1, 12, 13)


# -- the profile: an invented colour and logo ---------------------------------------------
# Set through the branding action, as an administrator sets it on the profile page. Both are
# made up for the demo (not the kommun's own colours or coat of arms); the logo says
# "Exempel" in itself.
BRAND_COLOUR = "#1d5c3a"  # a dark green, 7.9:1 against white text
LOGO_SIZE = 240


def logo() -> bytes:
    """The example logo, drawn here: a green tile with a white K and the word EXEMPEL
    (the same bytes every run, so that running the demo again changes nothing)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    size = LOGO_SIZE
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([8, 8, size - 8, size - 8], radius=36, fill=BRAND_COLOUR)
    draw.rectangle([70, 44, 96, 168], fill="white")  # the K's stem
    draw.polygon([(96, 110), (156, 44), (188, 44), (116, 120)], fill="white")
    draw.polygon([(108, 112), (134, 100), (190, 168), (158, 168)], fill="white")
    draw.text(
        (size // 2, 204),
        EXAMPLE.upper(),
        fill="white",
        font=ImageFont.load_default(26),
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()
