"""Small hand-written plan documents in styles other than the seed's, as blocks, for the
proposal's tests."""

from __future__ import annotations

from uppsikt.proposals.propose import Context
from uppsikt.proposals.reading.blocks import Block, Kind, ReadDocument, Source

H, P, L, T = Kind.HEADING, Kind.PARAGRAPH, Kind.LIST_ITEM, Kind.TABLE

KOMMUN_LEVELS = (
    ("inriktning", "Inriktningsmål", "Inriktningsmål"),
    ("namndmal", "Nämndmål", "Nämndmål"),
)
KOMMUN = Context(
    organisation="0099",
    unit="bun",
    year=2024,
    levels=KOMMUN_LEVELS,
    perspectives=("Medborgare", "Ekonomi"),
    units=(
        ("bun", "Barn- och utbildningsnämnden"),
        ("forvaltningen", "Förvaltningen"),
        ("kulturskolan", "Kulturskolan"),
    ),
)


def document(*specs: tuple, pages: bool = False) -> ReadDocument:
    """Blocks from (kind, text, number, level[, rows]) tuples, numbered in order."""
    blocks = []
    for index, spec in enumerate(specs, start=1):
        kind, text, number, level, *rest = (*spec, "", 0)[:4] + spec[4:5]
        source = Source(index, page=1 + index // 10 if pages else None)
        blocks.append(
            Block(kind, source, text=text, number=number, level=level, rows=rest[0] if rest else ())
        )
    return ReadDocument("docx", blocks, pages=len(blocks) // 10 + 1 if pages else 0, title="Plan")


def kommun_plan() -> ReadDocument:
    """A kommun's nämndplan: "Nämndmål 1:" goals under perspectives, "Mått" lists with
    lettered items, an uppdrag naming a unit, aktiviteter and a budget table in tkr."""
    return document(
        (H, "Inledning", "1", 1),
        (P, "Nämndplanen beskriver barn- och utbildningsnämndens mål för 2024."),
        (H, "Medborgare", "2", 1),
        (P, "Inriktningsmål 1 – Alla barn och elever ska nå sin fulla potential."),
        (P, "Nämndmål 1: Andelen elever som når målen i alla ämnen ska öka."),
        (P, "Mått"),
        (
            L,
            "Andelen elever i åk 9 som når målen i alla ämnen ska öka jämfört med föregående år.",
            "a)",
            1,
        ),
        (L, "Minst 85 procent av eleverna ska vara behöriga till gymnasiet.", "b)", 1),
        (P, "Nämndmål 2: Eleverna ska känna sig trygga i skolan."),
        (P, "Målet följs upp i elevenkäten varje vår."),
        (P, "Mått:"),
        (L, "Andelen elever som känner sig trygga ska vara högre än rikets.", "a)", 1),
        (L, "Antalet kränkningsanmälningar ska minska.", "b)", 1),
        (P, "Trygghetsarbetet leds av rektorerna."),
        (H, "Ekonomi", "3", 1),
        (P, "Nämndmål 3: Nämnden ska ha en ekonomi i balans."),
        (P, "Nyckeltal"),
        (P, "Nämndens resultat i balans vid årets slut."),
        (P, "Uppdrag: Kulturskolan ska utreda avgifterna inför 2025."),
        (P, "Aktiviteter"),
        (L, "Ny resursfördelningsmodell införs.", "", 1),
        (L, "Lokalförsörjningsplanen revideras.", "", 1),
        (H, "Budget", "4", 1),
        (
            T,
            "Driftbudget (tkr)",
            "",
            0,
            (
                ("Verksamhet", "Budget 2024", "Budget 2023"),
                ("Grundskola", "−412 300", "−398 100"),
                ("Förskola", "(180 250)", "−175 000"),
                ("Gymnasieskola", "−150 000", "−151 200,5"),
                ("Summa", "−742 550", "−724 300,5"),
            ),
        ),
    )


def malvarde_plan() -> ReadDocument:
    """A plan whose indicators are a table with Målvärde columns."""
    return document(
        (H, "Mål och mått", "1", 1),
        (P, "Nämndmål A. Fler invånare ska vara nöjda med verksamheten."),
        (
            T,
            "",
            "",
            0,
            (
                ("Indikator", "Utgångsläge 2023", "Målvärde 2024", "Målvärde 2025"),
                ("Nöjd medborgarindex", "62", "65", "68"),
                ("Andel nöjda brukare (%)", "81 %", "85 %", "90 %"),
                ("Antal synpunkter", "", "", ""),
            ),
        ),
        (P, "Nämndmål B. Verksamheten ska ha en låg sjukfrånvaro."),
        (P, "Målvärde"),
        (P, "Sjukfrånvaron ska vara högst 6 procent."),
    )


def control_plan() -> ReadDocument:
    """An internkontrollplan table with the control app's import columns."""
    return document(
        (H, "Internkontrollplan", "5", 1),
        (
            T,
            "",
            "",
            0,
            (
                ("Verksamhet", "Risk", "Sannolikhet", "Konsekvens", "Åtgärd", "Ansvarig"),
                (
                    "Ekonomi",
                    "Risken att fakturor attesteras felaktigt.",
                    "2",
                    "3",
                    "Stickprov på attester.",
                    "Ekonomichef",
                ),
                ("", "", "", "", "Utbildning i attestregler.", "Controller"),
                (
                    "HR",
                    "Risken att löner betalas ut felaktigt.",
                    "1",
                    "4",
                    "Avstämning varje månad.",
                    "",
                ),
            ),
        ),
    )


def malmatris_plan() -> ReadDocument:
    """A målmatris: one table of goals (a cell left blank continues the goal above, as
    merged cells read), their mått and target values; then strategies under a bare head."""
    return document(
        (H, "Prioriterat område Trygghet", "2", 1),
        (
            T,
            "",
            "",
            0,
            (
                ("Nämndmål", "Mått", "Målvärde 2024"),
                ("Nämndmål 1: Invånarna ska känna sig trygga.", "Andel trygga invånare (%)", "75"),
                ("", "Antal anmälda brott ska minska.", ""),
                ("Fler ska röra sig ute på kvällen.", "Andel som går ut på kvällen", "60"),
            ),
        ),
        (P, "Strategier"),
        (L, "Att samverka med polisen.", "", 1),
        (L, "Att belysa gångvägar.", "", 1),
        (P, "Arbetet leds av kommunstyrelsen."),
    )
