"""XLSX export and import of the internkontrollplan, and the seed's data file.

Workbooks are made with openpyxl and read back the way Excel would; every bad row is named
by line, column and reason, and nothing is imported when anything is wrong.
"""

import os
import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from uppsikt.audit.models import AuditEvent
from uppsikt.control.actions.followup import follow_up_measure
from uppsikt.control.actions.plans import assess_risk
from uppsikt.control.datafile import load_control_data, load_control_file
from uppsikt.control.importing import ImportRejected
from uppsikt.control.models import Measure, Risk, RiskAssessment
from uppsikt.control.queries import plan_table
from uppsikt.control.tabular import COLUMNS
from uppsikt.control.xlsx import import_workbook, plan_workbook

from .builders import load_demo, user_with_role
from .control_setup import own_risk, region_wide_risk, system

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
HEADER = [header for _name, header in COLUMNS]
# The seed documents are not in the repository; UPPSIKT_SEEDS_DIR points at them elsewhere.
SEEDS = Path(os.environ.get("UPPSIKT_SEEDS_DIR", "/work/shared/seeds"))
SEED = SEEDS / "orebro-regionstyrelsen-verksamhetsplan-budget-2023.txt"
DEMO_FILE = ROOT / "demo" / "internkontroll-2023.yaml"


def workbook(rows, header=HEADER, title=True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["Internkontrollplan 2023"])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def row(
    area="HR",
    risk="Risk A.",
    krav="",
    s=None,
    k=None,
    score=None,
    beslut="",
    atgard="Åtgärd 1.",
    ro="Nej",
):
    return [area, risk, krav, s, k, score, beslut, atgard, ro, "", "", "", "", "", "", ""]


def snapshot(unit, year=2023):
    """What a plan holds, in order, for comparing imports."""
    return [
        (
            area.name,
            risk.text,
            risk.requirements,
            risk.likelihood,
            risk.consequence,
            risk.decision,
            risk.is_region_wide,
            risk.motivation,
            [
                (m.text, m.responsible, m.control_method, m.frequency, m.reported_in)
                for m in risk.measures
            ],
        )
        for area in plan_table(unit, year).areas
        for risk in area.risks
    ]


def test_export_opens_in_a_real_reader_and_imports_back_unchanged(control_region):
    region_wide_risk(control_region, measures=2)
    risk = own_risk(
        control_region.styrelsen,
        area="Kommunikation",
        text="Risken för otillåten informationspåverkan.",
        score=(3, 4),
    )
    Measure.objects.filter(risk=risk).update(
        responsible="Kommunikationsdirektören",
        frequency="Årligen",
        reported_in=["verksamhetsberattelse"],
    )
    before = snapshot(control_region.styrelsen)
    content = plan_workbook(plan_table(control_region.styrelsen, 2023))
    core = zipfile.ZipFile(BytesIO(content)).read("docProps/core.xml").decode()
    # Stamped in Stockholm time with its offset, not as UTC ("…Z").
    assert re.search(r"<dcterms:created\b[^>]*>\d{4}-\d\d-\d\dT[\d:]{8}\+0[12]:00<", core)
    sheet = load_workbook(BytesIO(content)).active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    header_at = next(i for i, line in enumerate(values) if line[0] == "Verksamhet")
    assert values[header_at][: len(HEADER)] == HEADER
    data = values[header_at + 1 :]
    assert [line[7] for line in data] == [
        "Utbildning av ekonomer, del 1.",
        "Utbildning av ekonomer, del 2.",
        "Uppföljning enligt rutin.",
    ]
    assert data[2][3:7] == [3, 4, 12, "Ej accepterad"] and data[2][13] == "Hög"
    assert data[0][8] == "Ja" and data[2][8] == "Nej"
    assert data[2][12] == "Verksamhetsberättelse"
    result = import_workbook(
        control_region.styrelsen, 2023, content, actor=system(), file_name="plan.xlsx"
    )
    assert snapshot(control_region.styrelsen) == before
    assert result.counts["nya risker"] == 0 and result.counts["borttagna åtgärder"] == 0
    event = AuditEvent.objects.get(action="control.plan.import")
    assert event.after["file"] == "plan.xlsx" and event.after["counts"]["risker"] == 2


words = (
    st.text(alphabet="abcdefghijklmnopqråäö ", min_size=1, max_size=12).map(str.strip).filter(bool)
)


@st.composite
def plans(draw):
    areas = draw(st.lists(words, min_size=1, max_size=3, unique=True))
    out = []
    for area in areas:
        for index in range(draw(st.integers(1, 3))):
            measures = draw(st.lists(words, min_size=0, max_size=3, unique=True))
            assessed = draw(st.booleans())
            s = draw(st.integers(1, 4)) if assessed else None
            k = draw(st.integers(1, 4)) if assessed else None
            decision = ""
            if assessed:
                decision = draw(
                    st.sampled_from(["", "Accepterad"] + (["Ej accepterad"] if measures else []))
                )
            krav = ", ".join(draw(st.lists(st.sampled_from("abcde"), unique=True, max_size=3)))
            out.append((area, f"Risk {index} {area}.", krav, s, k, decision, measures))
    return out


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=plans())
def test_any_plan_round_trips_through_xlsx(control_region, plan):
    rows = []
    for area, risk, krav, s, k, decision, measures in plan:
        for text in measures or [""]:
            rows.append(
                row(
                    area,
                    risk,
                    krav,
                    s,
                    k,
                    None,
                    decision,
                    f"{text.capitalize()} ({risk})" if text else "",
                )
            )
    with transaction.atomic():
        import_workbook(control_region.namnd_a, 2023, workbook(rows), actor=system())
        first = snapshot(control_region.namnd_a)
        exported = plan_workbook(plan_table(control_region.namnd_a, 2023))
        import_workbook(control_region.namnd_b, 2023, exported, actor=system())
        assert snapshot(control_region.namnd_b) == first
        import_workbook(control_region.namnd_a, 2023, exported, actor=system())
        assert snapshot(control_region.namnd_a) == first
        assert len(first) == len(plan)
        transaction.set_rollback(True)


def test_merged_cells_and_labels_are_read_like_controllers_write_them(control_region):
    rows = [
        row("HR", "Risk A.", "c,d", "Sannolik", "Allvarlig", None, "ej accepterad", "Åtgärd 1."),
        row(None, None, None, None, None, None, None, "Åtgärd 2."),
        row("", "Risk B.", "", 1, 1, 1, "Accepterad", ""),
    ]
    import_workbook(control_region.namnd_a, 2023, workbook(rows, title=False), actor=system())
    [a, b] = plan_table(control_region.namnd_a, 2023).risks
    assert (a.likelihood, a.consequence, a.score, a.requirements) == (3, 3, 9, ["c", "d"])
    assert [m.text for m in a.measures] == ["Åtgärd 1.", "Åtgärd 2."]
    assert (b.area, b.score, b.decision, b.measures) == ("HR", 1, "accepterad", [])


def test_every_bad_row_is_named_and_nothing_is_imported(control_region):
    own_risk(control_region.namnd_a, text="Befintlig risk.")
    before = snapshot(control_region.namnd_a)
    events = AuditEvent.objects.count()
    rows = [
        row("HR", "Risk A.", "c, f", 5, 2),
        row("HR", "Risk B.", "", 2, 3, 7, "", "Åtgärd."),
        row("HR", "Risk C.", "", 2, None, None, "", "Åtgärd."),
        row("HR", "Risk D.", "", 3, 3, None, "Ej accepterad", ""),
        row("HR", "Risk E.", "", 1, 1, None, "kanske", "Åtgärd."),
        row("HR", "Risk F.", "", None, None, None, "", "Åtgärd.", "Ja"),
        row("HR", "Risk F.", "", None, None, None, "", "Åtgärd."),
        row(None, "Risk G.", "", "tre", 1, None, "", "Åtgärd.", "kanske"),
    ]
    rows[0][12] = "Kvartalsrapport"
    with pytest.raises(ImportRejected) as rejected:
        import_workbook(
            control_region.namnd_a, 2023, workbook(rows), actor=system(), file_name="fel.xlsx"
        )
    messages = [str(problem) for problem in rejected.value.problems]
    expected = [
        r"rad 4, kolumn C \(Krav\): Okänt krav ”f”",
        r"rad 4, kolumn D \(Sannolikhet\): 5 ligger utanför skalan för sannolikhet, 1–4",
        r"rad 4, kolumn M \(Rapporteras\): Okänt uppföljningstillfälle ”Kvartalsrapport”",
        r"rad 5, kolumn F \(Riskvärde\): Riskvärdet 7 stämmer inte med sannolikhet × konsekvens \(6\)",
        r"rad 6, kolumn E \(Konsekvens\): Ange både sannolikhet och konsekvens",
        r"rad 7, kolumn G \(Beslut\): En risk som inte accepteras ska ha minst en åtgärd",
        r"rad 8, kolumn G \(Beslut\): ”kanske”: skriv Accepterad, Ej accepterad",
        r"rad 10, kolumn H \(Åtgärd\): Åtgärden står redan under samma risk",
        r"rad 11, kolumn D \(Sannolikhet\): ”tre” är inte ett steg",
        r"rad 11, kolumn I \(Regionövergripande\): ”kanske”: skriv Ja eller Nej",
        r"rad 9, kolumn B \(Risk\): Risken är markerad som regionövergripande men finns inte",
    ]
    for pattern in expected:
        assert any(re.search(pattern, message) for message in messages), (pattern, messages)
    assert snapshot(control_region.namnd_a) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"inte en arbetsbok", "kan inte läsas som en Excel-arbetsbok"),
        (b"PK\x03\x04trasig zip", "kan inte läsas som en Excel-arbetsbok"),
        (None, "Hittar ingen rubrikrad"),
        ("empty", "Filen har inga risker"),
    ],
)
def test_malformed_workbooks_are_refused_with_a_reason(control_region, content, message):
    if content is None:
        content = workbook([row()], header=["Område", "Beskrivning", "Vad"])
    elif content == "empty":
        content = workbook([])
    with pytest.raises(ImportRejected) as rejected:
        import_workbook(control_region.namnd_a, 2023, content, actor=system(), file_name="x.xlsx")
    assert message in str(rejected.value)
    assert not Risk.objects.exists()


def test_missing_columns_leave_values_alone_and_unknown_columns_are_reported(control_region):
    risk = own_risk(control_region.namnd_a, text="Risk A.", score=(2, 2))
    content = workbook(
        [["HR", "Risk A.", "Uppföljning enligt rutin.", "x"]],
        header=["Verksamhet", "Risk", "Åtgärd", "Egen kolumn"],
    )
    result = import_workbook(control_region.namnd_a, 2023, content, actor=system())
    assert result.ignored_columns == ["Egen kolumn"]
    assert RiskAssessment.objects.get(risk=risk).score == 4
    content = workbook(
        [["HR", "Risk A.", 2, ""]], header=["Verksamhet", "Risk", "Sannolikhet", "Åtgärd"]
    )
    with pytest.raises(ImportRejected, match="hör ihop"):
        import_workbook(control_region.namnd_a, 2023, content, actor=system())


def test_followed_up_atgarder_cannot_be_removed_by_an_import(control_region):
    measure = own_risk(control_region.namnd_a, text="Risk A.").measures.get()
    follow_up_measure(measure, control_region.delar, actor=system(), status="pagar")
    with pytest.raises(ImportRejected) as rejected:
        import_workbook(
            control_region.namnd_a,
            2023,
            workbook([row("HR", "Risk A.", atgard="Ny åtgärd.")]),
            actor=system(),
        )
    assert "Uppföljning enligt rutin." in str(rejected.value) and "kan inte tas bort" in str(
        rejected.value
    )
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_an_atgarder_followed_up_in_two_periods_is_named_once(control_region):
    measure = own_risk(control_region.namnd_a, text="Risk A.").measures.get()
    follow_up_measure(measure, control_region.delar, actor=system(), status="pagar")
    follow_up_measure(measure, control_region.helar, actor=system(), status="genomford")
    with pytest.raises(ImportRejected) as rejected:
        import_workbook(
            control_region.namnd_a,
            2023,
            workbook([row("HR", "Risk A.", atgard="Ny åtgärd.")]),
            actor=system(),
        )
    [problem] = rejected.value.problems
    assert "Nämnd A (Delårsrapport 2023, Verksamhetsberättelse 2023)" in str(problem)


def test_a_namnd_file_keeps_region_wide_rows_as_the_regions(control_region):
    risk = region_wide_risk(control_region)
    assess_risk(risk, actor=system(), likelihood=2, consequence=4, decision="ej_accepterad")
    own_risk(control_region.namnd_a, text="Egen risk.")
    content = plan_workbook(plan_table(control_region.namnd_a, 2023))
    result = import_workbook(control_region.namnd_a, 2023, content, actor=system())
    assert result.counts["regionövergripande från regionstyrelsen"] == 1
    assert Risk.objects.filter(text=risk.text).count() == 1
    sheet_rows = [
        row(
            "Ekonomi",
            risk.text,
            "",
            3,
            4,
            None,
            "Ej accepterad",
            "Utbildning av ekonomer, del 1.",
            "Ja",
        )
    ]
    with pytest.raises(ImportRejected, match="bedöms där"):
        import_workbook(control_region.namnd_a, 2023, workbook(sheet_rows), actor=system())


def test_import_needs_plan_permission(control_region):
    reader = user_with_role("lasare", "lasare", control_region.namnd_a)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_workbook(control_region.namnd_a, 2023, workbook([row()]), actor=reader)


def _seed_table_text() -> str:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = lines.index("6.1 Internkontrollplan ")
    text = "\n".join(lines[start:])
    text = text[: text.index(" 1 Inledning")]
    text = re.sub(r"(\w)-[ \t]*\n\s*", r"\1", text)  # a word broken over a line end
    return re.sub(r"\s+", " ", text)


def _in_seed(seed: str, text: str) -> bool:
    """``text`` is in the seed, possibly split once by a page break inside the table."""
    if text in seed:
        return True
    words = text.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if head in seed and tail in seed[seed.index(head) + len(head) :]:
            return True
    return False


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents are not on this machine")
def test_the_demo_file_holds_the_seeds_plan_word_for_word():
    seed = _seed_table_text()
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    [plan] = data["plans"]
    assert [area["name"] for area in plan["areas"]] == [
        "HR",
        "Ekonomi",
        "Informationssäkerhet",
        "Kvalitet och utveckling",
        "Kommunikation",
        "Digitalisering",
        "Staben hälso- och sjukvård",
    ]
    counted = 0
    for area in plan["areas"]:
        assert _in_seed(seed, area["name"]), area["name"]
        for risk in area["risks"]:
            assert _in_seed(seed, risk["text"]), risk["text"]
            for measure in risk["measures"]:
                counted += 1
                marked = "Regionövergripande åtgärd: " + measure["text"]
                if risk.get("region_wide"):
                    assert marked in seed, measure["text"]
                else:
                    assert measure["text"] in seed and marked not in seed, measure["text"]
    assert counted == 16
    assert seed.count("Regionövergripande åtgärd:") == sum(
        len(risk["measures"])
        for area in plan["areas"]
        for risk in area["risks"]
        if risk.get("region_wide")
    )


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents are not on this machine")
def test_the_demo_files_krav_ansvarig_and_frekvens_come_from_the_seed_only():
    """The plan's krav are the seed's explanation of the column Risk; no risk gets krav of its
    own, and an åtgärd's ansvarig or frekvens is filled only with words of its own text."""
    seed = _seed_table_text()
    [plan] = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["plans"]
    assert plan["requirements"] == ["c", "d", "e"]
    assert "leda till att verksamheten inte bedrivs i enlighet med krav c, d och e." in seed
    filled = []
    for area in plan["areas"]:
        for risk in area["risks"]:
            assert not risk.get("requirements"), risk["text"]
            for measure in risk["measures"]:
                assert not measure.get("control_method"), measure["text"]
                for key in ("responsible", "frequency"):
                    if measure.get(key):
                        filled.append(measure[key])
                        assert measure[key].lower() in measure["text"].lower(), measure[key]
    assert filled == ["Varje chef", "Årligen", "Informationsägare/objektägare"]


def test_the_demo_file_loads_as_regionstyrelsens_plan():
    load_demo()
    counts = load_control_file(DEMO_FILE, actor=system())
    assert counts == {"planer": 1, "risker": 10, "åtgärder": 16}
    unit = Risk.objects.first().control_plan.unit
    table = plan_table(unit, 2023)
    assert unit.slug == "regionstyrelsen" and table.control_plan.section_number == "6.1"
    assert sum(risk.is_region_wide for risk in table.risks) == 5
    assert not RiskAssessment.objects.exists()  # the seed gives no scores
    assert table.control_plan.requirements == ["c", "d", "e"]
    assert load_control_file(DEMO_FILE, actor=system()) == counts  # loading again changes nothing


def test_a_bad_data_file_is_named_by_path_and_loads_nothing(control_region):
    data = {
        "format": "uppsikt-internkontroll/1",
        "organisation": "0099",
        "plans": [
            {
                "unit": "styrelsen",
                "year": 2023,
                "areas": [
                    {
                        "name": "HR",
                        "risks": [
                            {"text": "Risk.", "region_wide": True, "measures": [{"text": "Å."}]}
                        ],
                    },
                ],
            },
            {
                "unit": "namnd-a",
                "year": 2023,
                "areas": [
                    {"name": "HR", "risks": [{"text": "Risk.", "requirements": ["x"], "extra": 1}]}
                ],
            },
            {"unit": "finns-inte", "year": "i år", "areas": []},
        ],
    }
    with pytest.raises(ImportRejected) as rejected:
        load_control_data(data, actor=system())
    text = str(rejected.value)
    assert "plans[1].areas[0].risks[0].extra: okänd nyckel" in text
    assert "plans[2].unit: ingen enhet ”finns-inte”" in text
    assert "plans[2].year: ska vara ett årtal" in text
    assert "plans[2].areas: ska vara en lista" in text
    del data["plans"][2]
    del data["plans"][1]["areas"][0]["risks"][0]["extra"]
    with pytest.raises(ImportRejected) as rejected:
        load_control_data(data, actor=system())
    assert "plans[1].areas[0].risks[0].requirements: Okänt krav ”x”" in str(rejected.value)
    assert not Risk.objects.exists()


def test_a_blank_risk_cell_with_other_values_says_the_row_joined_the_risk_above(control_region):
    content = workbook(
        [
            row("HR", "Risk A.", s=2, k=3, beslut="Ej accepterad", atgard="Åtgärd 1."),
            row("HR", "", s=4, k=4, beslut="Ej accepterad", atgard="Åtgärd 2."),
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_workbook(control_region.namnd_a, 2023, content, actor=system())
    text = str(rejected.value)
    assert "Cellen Risk är tom, så raden räknas till risken ovan (”Risk A.”)" in text
    assert "Risken har redan ett annat värde" not in text
    assert len(rejected.value.problems) == 2  # Sannolikhet and Konsekvens, each once
