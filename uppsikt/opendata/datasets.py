"""The open datasets, each with its columns described. Column names and slugs are part of
the published interface (``/oppna-data/<slug>.csv``): add columns at the end, never rename."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .dataset import Column, Dataset
from .sources import plans, values

ORG = Column("organisation_kod", _("Organisationens officiella kod, t.ex. 0018 eller 1880."))
UNIT = Column("enhet", _("Enhetens kortnamn, unikt inom organisationen."))
YEAR = Column("ar", _("Planens år."))
URL = Column("url", _("Adressen till sidan där innehållet visas."))

ORGANISATIONS = Dataset(
    slug="organisationer",
    title=_("Organisationer"),
    title_en="Organisations",
    description=_("Riket, regionerna, kommunerna och andra huvudmän med officiell kod."),
    description_en="Sweden, the regions, the municipalities and other bodies, by official code.",
    columns=(
        ORG,
        Column("namn", _("Organisationens namn.")),
        Column("typ", _("riket, region, kommun eller extern (extern part).")),
        Column("lanskod", _("Länskoden, två siffror; tom för riket.")),
    ),
    rows=plans.organisation_rows,
    audited=("organisations.organisation",),
    keywords=("organisationer", "kommuner", "regioner"),
)

UNITS = Dataset(
    slug="enheter",
    title=_("Enheter"),
    title_en="Units",
    description=_(
        "Varje organisations enheter som ett träd: fullmäktige, styrelse, nämnder, "
        "förvaltningar, stabar och enheter."
    ),
    description_en="Each organisation's units as a tree, from the assembly down.",
    columns=(
        ORG,
        UNIT,
        Column("namn", _("Enhetens namn.")),
        Column("typ", _("fullmaktige, styrelse, namnd, forvaltning, kansli, stab eller enhet.")),
        Column("overordnad_enhet", _("Kortnamnet på enheten ovanför; tomt för trädets rot.")),
        Column("ordning", _("Enhetens plats bland enheterna, stigande.")),
    ),
    rows=plans.unit_rows,
    audited=("organisations.unit",),
    keywords=("organisation", "nämnder", "förvaltningar"),
)

PLANS = Dataset(
    slug="planer",
    title=_("Verksamhetsplaner"),
    title_en="Operational plans",
    description=_(
        "Beslutade verksamhetsplaner, varje beslutad version. Utkast ingår aldrig. "
        "Kolumnen galler visar vilken version som gäller."
    ),
    description_en="Decided operational plans, every decided version; never drafts.",
    columns=(
        Column("plan_id", _("Planens id; stabilt.")),
        ORG,
        UNIT,
        Column("enhet_namn", _("Enhetens namn.")),
        YEAR,
        Column("planeringshorisont_till", _("Sista året planeringsförutsättningarna gäller.")),
        Column("titel", _("Planens titel.")),
        Column("version", _("Versionens nummer, 1 för den först beslutade.")),
        Column("status", _("beslutad eller reviderad.")),
        Column("galler", _("true för den version som gäller, false för en ersatt version.")),
        Column("beslutad_av", _("Organet som beslutade planen.")),
        Column("beslutsdatum", _("Beslutsdatum, ÅÅÅÅ-MM-DD.")),
        Column("exempel", _("true om innehållet är exempeldata, inte en källa.")),
        Column("kalla", _("Källan planen är hämtad ur, om den anges.")),
        URL,
    ),
    rows=plans.plan_rows,
    audited=("plans.plan",),
    keywords=("verksamhetsplan", "styrdokument", "planering"),
)

GOALS = Dataset(
    slug="mal",
    title=_("Mål"),
    title_en="Goals",
    description=_(
        "Målen i de beslutade verksamhetsplanerna, med målnivå i organisationens egna ord "
        "och vilka mål i planen ovanför de bidrar till."
    ),
    description_en="The goals of the decided plans, with the goals above they contribute to.",
    columns=(
        Column("mal_id", _("Målets id; stabilt.")),
        Column("plan_id", _("Planens id (se datamängden planer).")),
        ORG,
        UNIT,
        YEAR,
        Column("plan_version", _("Planens version.")),
        Column("galler", _("true om planens version gäller.")),
        Column("malniva", _("Målnivåns nyckel i organisationens styrmodell, t.ex. effektmal.")),
        Column("malniva_namn", _("Målnivåns namn i organisationens egna ord, t.ex. Effektmål.")),
        Column("nummer", _("Målets nummer i planen.")),
        Column("text", _("Målet.")),
        Column("beskrivning", _("Beskrivning av målet.")),
        Column("perspektiv", _("Perspektivet målet hör till.")),
        Column(
            "bidrar_till",
            _("Id för de mål i en överordnad plan som målet bidrar till, åtskilda av mellanslag."),
        ),
        URL,
    ),
    rows=plans.goal_rows,
    audited=("plans.plan", "plans.goal"),
    keywords=("mål", "verksamhetsplan", "styrning"),
)

ASSESSMENTS = Dataset(
    slug="bedomningar",
    title=_("Bedömningar av mål"),
    title_en="Goal assessments",
    description=_(
        "Beslutade bedömningar av målen i beslutade planer, per uppföljningsperiod: "
        "organisationens egna ord och en kod som är densamma för alla organisationer."
    ),
    description_en="Decided assessments of the goals of decided plans, per follow-up period.",
    columns=(
        Column("mal_id", _("Målets id (se datamängden mal).")),
        Column("plan_id", _("Planens id.")),
        ORG,
        UNIT,
        YEAR,
        Column("period", _("Perioden: 2023 (år), 2023T2 (tertial) eller 2023-07 (månad).")),
        Column("mal_nummer", _("Målets nummer i planen.")),
        Column("mal_text", _("Målet.")),
        Column("bedomning", _("Bedömningen i organisationens egna ord, t.ex. Delvis uppfyllt.")),
        Column("bedomning_nyckel", _("Stegets nyckel i organisationens bedömningsskala.")),
        Column(
            "bedomning_kod",
            _(
                "Samma för alla organisationer: uppfyllt (steget räknas som uppfyllt), "
                "ej_uppfyllt eller ej_bedombar."
            ),
        ),
        Column("steg", _("Stegets plats i skalan, 1 är bäst; tomt för ej bedömbar.")),
        Column("antal_steg", _("Antal steg i organisationens bedömningsskala.")),
        Column("kommentar", _("Motiveringen till bedömningen.")),
        Column("bedomd", _("Dagen bedömningen beslutades, ÅÅÅÅ-MM-DD.")),
        Column("exempel", _("true om bedömningen är ett exempel i demon.")),
    ),
    rows=plans.assessment_rows,
    audited=("indicators.assessment",),
    keywords=("måluppfyllelse", "uppföljning", "bedömning"),
)

MEASUREMENTS = Dataset(
    slug="indikatorvarden",
    title=_("Indikatorvärden"),
    title_en="Indicator values",
    description=_(
        "Indikatorernas aktuella värden per organisation, period och kön, från Kolada, "
        "filer och uppföljningen. Värden som källan tagit bort ingår inte."
    ),
    description_en="Current indicator values per organisation, period and sex.",
    columns=(
        Column("indikator", _("Indikatordefinitionens nyckel; stabil.")),
        Column("indikator_namn", _("Indikatorns namn.")),
        Column("matenhet", _("procent, andel, antal, index, kronor, mnkr, dagar eller ingen.")),
        ORG,
        Column("period", _("2023 (år), 2023T2 (tertial) eller 2023-07 (månad).")),
        Column("kon", _("T (totalt), K (kvinnor) eller M (män).")),
        Column("varde", _("Värdet, exakt, med decimalpunkt, t.ex. 74.1000.")),
        Column("status", _("preliminar eller slutlig.")),
        Column("kalla", _("Varifrån värdet kom.")),
        Column("exempel", _("true för genererade exempelvärden.")),
        Column("andrad", _("När värdet senast ändrades (ISO 8601, UTC).")),
    ),
    rows=values.measurement_rows,
    audited=("indicators.measurement", "indicators.importbatch"),
    keywords=("indikatorer", "nyckeltal", "statistik", "Kolada"),
    streamed=True,
)

BUDGET = Dataset(
    slug="budget",
    title=_("Budget"),
    title_en="Budget figures",
    description=_(
        "Beloppen i de fastställda budgettabellerna i beslutade planer: budget, reviderad "
        "budget, och prognoser och utfall för perioder som är granskade. Belopp i kronor, "
        "exakta; summor räknas fram ur raderna."
    ),
    description_en="The figures of the settled budget tables of decided plans, in kronor.",
    columns=(
        Column("tabell_id", _("Tabellens id; stabilt.")),
        ORG,
        UNIT,
        Column("ar", _("Budgetåret.")),
        Column("tabelltyp", _("drift eller investering.")),
        Column("tabellnummer", _("Tabellens nummer i planen, t.ex. 4.3.")),
        Column("tabellrubrik", _("Tabellens rubrik.")),
        Column("rad_id", _("Radens id; stabilt.")),
        Column("rad_ordning", _("Radens plats i tabellen, i läsordning.")),
        Column("rad_kod", _("Radens kod, om den har en.")),
        Column("rad_text", _("Radens text.")),
        Column("radtyp", _("Radens typ: rad, varav, grupp, rubrik, summa eller totalt.")),
        Column("overordnad_rad", _("rad_id för raden ovanför i tabellens träd.")),
        Column("serie", _("Kolumnen som nyckel: budget-2023, prognos-2023-06, utfall-2023-07.")),
        Column("beloppstyp", _("budget, reviderad, prognos eller utfall.")),
        Column("beloppsar", _("Året beloppet gäller.")),
        Column("period", _("För prognos och utfall: månaden, ÅÅÅÅ-MM.")),
        Column("belopp_kr", _("Beloppet i kronor, exakt, med decimalpunkt; kostnader negativa.")),
        Column("exempel", _("true om beloppet är exempeldata.")),
        Column("plan_id", _("Planens id, om tabellen hör till en plan.")),
    ),
    rows=values.budget_rows,
    audited=("budget.budgettable", "budget.budgetrow", "budget.figure"),
    keywords=("budget", "ekonomi", "prognos", "utfall"),
    themes=("GOVE", "ECON"),
)

DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (ORGANISATIONS, UNITS, PLANS, GOALS, ASSESSMENTS, MEASUREMENTS, BUDGET)
}
