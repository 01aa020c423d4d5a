"""Internal control in the shared follow-up and in the reports.

The control app registers its åtgärder in the follow-up scope and its sections in the
report: the form, the dashboard, the submission rule and the generated report all see
them, and each nämnd follows up a region-wide åtgärd on its own entry.
"""

import io
import re

import pytest
from django.core.exceptions import ValidationError

from uppsikt.control.actions.followup import add_deviation, follow_up_measure, save_unit_assessment
from uppsikt.control.actions.plans import create_measure, update_measure
from uppsikt.control.models import Measure
from uppsikt.followup.actions.entries import set_state
from uppsikt.followup.actions.reports import submit_report
from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.followup.queries import entries_for, progress_of
from uppsikt.followup.scope import in_scope, units_with_scope
from uppsikt.reports.build import build_document, render
from uppsikt.reports.document import Entry, Example, Status, Table

from .builders import user_with_role
from .control_setup import own_risk, region, region_wide_risk, system
from .followup_setup import complete, small_setting

pytestmark = pytest.mark.django_db


def measures_in(unit, period) -> list[tuple[str, int]]:
    return [
        (item.title, item.unit.pk)
        for item in in_scope(unit, period)
        if item.label == "control.measure"
    ]


def test_each_namnd_follows_up_its_own_and_the_region_wide_atgarder_in_its_own_entry():
    r = region()
    shared = region_wide_risk(r, measures=2)
    own = own_risk(r.namnd_a)
    shared_texts = [m.text for m in shared.measures.order_by("position")]
    assert measures_in(r.styrelsen, r.delar) == [(t, r.styrelsen.pk) for t in shared_texts]
    assert measures_in(r.namnd_a, r.delar) == [
        *((t, r.namnd_a.pk) for t in shared_texts),
        (own.measures.get().text, r.namnd_a.pk),
    ]
    assert measures_in(r.namnd_b, r.delar) == [(t, r.namnd_b.pk) for t in shared_texts]
    assert measures_in(r.forvaltning, r.delar) == []  # not a nämnd, no plan of its own
    # The same åtgärd is one item per nämnd, each with its own key (its own entry).
    keys = {
        item.key
        for unit in (r.styrelsen, r.namnd_a, r.namnd_b)
        for item in in_scope(unit, r.delar)
        if item.label == "control.measure" and item.target.pk == shared.measures.first().pk
    }
    assert len(keys) == 3


def test_an_atgard_is_in_scope_only_in_the_periods_it_is_reported_in():
    r = region()
    risk = own_risk(r.namnd_a)
    measure = risk.measures.get()
    update_measure(measure, actor=system(), reported_in=["verksamhetsberattelse"])
    assert measures_in(r.namnd_a, r.delar) == []
    assert measures_in(r.namnd_a, r.helar) == [(measure.text, r.namnd_a.pk)]


def test_a_namnd_created_later_has_the_region_wide_atgarder_in_its_scope():
    r = region()
    region_wide_risk(r)
    later = r.namnd_a.__class__.objects.create(
        organisation=r.organisation, parent=r.styrelsen.parent, slug="ny", name="Ny", kind="namnd"
    )
    assert len(measures_in(later, r.delar)) == 1


def test_the_dashboard_counts_the_atgarder_of_every_namnd():
    r = region()
    risk = region_wide_risk(r, measures=2)
    planner = user_with_role("planerare", "planerare")
    first = risk.measures.order_by("position").first()
    entry = follow_up_measure(first, r.delar, actor=planner, unit=r.namnd_b, status="pagar")
    set_state(entry, FollowUp.State.KLAR, actor=planner)
    rows = {unit.slug: items for unit, _depth, items in units_with_scope(r.delar)}
    assert {"namnd-a", "namnd-b"} <= set(rows)
    assert [item.label for item in rows["namnd-b"]] == ["control.measure"] * 2
    progress = progress_of(rows["namnd-b"], entries_for(r.delar, [r.namnd_b]))
    assert (progress.total, progress.started, progress.done) == (2, 1, 1)
    assert progress_of(rows["namnd-a"], entries_for(r.delar, [r.namnd_a])).done == 0


def test_submission_is_refused_while_an_atgard_entry_is_not_klar():
    setting = small_setting()
    risk = own_risk(setting.unit, text="Risken att bisysslor förekommer.")
    measure = risk.measures.get()
    planner = user_with_role("skrivare", "planerare")
    complete(setting, planner)  # every goal, uppdrag, aktivitet and budget table klar
    with pytest.raises(ValidationError) as refused:
        submit_report(setting.unit, setting.period, actor=planner)
    assert "1 av 6 uppföljningar är inte klara (Åtgärd Uppföljning enligt rutin.)" in str(
        refused.value
    )
    entry = follow_up_measure(measure, setting.period, actor=planner, status="genomford")
    with pytest.raises(ValidationError, match="1 av 6"):
        submit_report(setting.unit, setting.period, actor=planner)
    set_state(entry, FollowUp.State.KLAR, actor=planner)
    report = submit_report(setting.unit, setting.period, actor=planner)
    assert report.state == UnitReport.State.INLAMNAD
    # Submitted: the åtgärd is locked with the rest of the unit's follow-up.
    with pytest.raises(ValidationError, match="inlämnad"):
        follow_up_measure(measure, setting.period, actor=planner, comment="Ändrad.")


def test_the_follow_up_form_shows_and_saves_a_region_wide_atgard_for_the_namnd(client):
    r = region()
    risk = region_wide_risk(r)
    measure = risk.measures.get()
    planner = user_with_role("planerare", "planerare")
    client.force_login(planner)
    url = f"/uppfoljning/0099/{r.delar.slug}/namnd-a/"
    page = client.get(url).content.decode()
    assert measure.text in page
    assert "Risken att redovisningen inte är rättvisande." in page  # the risk as subheading
    link = f"/internkontroll/atgard/{measure.pk}/uppfoljning/{r.delar.pk}/namnd-a/"
    assert f'href="{link}"' in page
    prefix = f"f-measure-{measure.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-status": "forsenad",
            f"{prefix}-comment": "Utbildningen flyttas till hösten.",
            f"{prefix}-done": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = FollowUp.objects.get(object_id=measure.pk, content_type__model="measure")
    assert (entry.unit, entry.status, entry.state) == (r.namnd_a, "forsenad", "klar")
    assert "Utbildningen flyttas till hösten." in entry.comment
    # The nämnd's own follow-up page in the control app reads the same entry.
    assert "Utbildningen flyttas till hösten." in client.get(link).content.decode()


def test_the_form_refuses_an_unknown_status_for_an_atgard_and_saves_nothing(client):
    r = region()
    measure = region_wide_risk(r).measures.get()
    client.force_login(user_with_role("planerare", "planerare"))
    url = f"/uppfoljning/0099/{r.delar.slug}/namnd-b/"
    response = client.post(url, {f"f-measure-{measure.pk}-status": "uppfyllt"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not FollowUp.objects.exists()


def control_section(document):
    return next(s for s in document.walk() if s.title == "Intern styrning och kontroll")


def test_the_report_holds_every_atgard_with_its_status_comment_and_avvikelser():
    r = region()
    shared = region_wide_risk(r, measures=2)
    own = own_risk(r.namnd_a, score=(3, 4))
    planner = user_with_role("planerare", "planerare")
    first, second = shared.measures.order_by("position")
    follow_up_measure(
        first, r.delar, actor=planner, unit=r.namnd_a, status="genomford", comment="Klart i maj."
    )
    follow_up_measure(
        second, r.delar, actor=planner, unit=r.namnd_b, status="pagar", comment="Nämnd B:s text."
    )
    add_deviation(
        own.measures.get(),
        r.delar,
        actor=planner,
        unit=r.namnd_a,
        found="Två bisysslor saknade beslut.",
        handling="Besluten fattas i augusti.",
    )
    document = build_document(r.namnd_a, r.delar)
    section = control_section(document)
    entries = {b.title: b for s in section.walk() for b in s.blocks if isinstance(b, Entry)}
    assert set(entries) == {first.text, second.text, own.measures.get().text}
    assert entries[first.text].status.text == "Genomförd"
    assert "Klart i maj." in entries[first.text].comment.html
    # Nämnd B's follow-up of the same region-wide åtgärd is not nämnd A's.
    assert entries[second.text].status.key is None and entries[second.text].comment is None
    facts = dict(entries[own.measures.get().text].facts)
    assert facts["Avvikelse 1"] == "Två bisysslor saknade beslut."
    assert facts["Hantering av avvikelse 1"] == "Besluten fattas i augusti."
    risk_facts = [
        row for s in section.walk() for b in s.blocks if b.kind == "facts" for row in b.rows
    ]
    assert ("Riskvärde", "12, hög (sannolikhet 3 Sannolik × konsekvens 4 Mycket allvarlig)") in (
        risk_facts
    )
    deviations = next(
        b
        for s in section.walk()
        for b in s.blocks
        if isinstance(b, Table) and "Avvikelser" in b.caption
    )
    assert [[c.text for c in row.cells] for row in deviations.rows] == [
        [own.measures.get().text, "Två bisysslor saknade beslut.", "Besluten fattas i augusti."]
    ]
    # No ISK-bedömning in a delårsrapport without one.
    assert "ISK-bedömning" not in [s.title for s in section.walk()]
    # The inledning counts the åtgärder with the rest.
    intro = next(s for s in document.walk() if s.title == "Inledning")
    assert any("3 åtgärder i internkontrollplanen" in getattr(b, "text", "") for b in intro.blocks)


def test_the_year_end_report_holds_the_isk_bedomning_and_regionstyrelsens_samlad_bedomning():
    r = region()
    region_wide_risk(r)
    planner = user_with_role("planerare", "planerare")
    save_unit_assessment(
        r.namnd_a,
        r.helar,
        actor=planner,
        level="delvis_tillracklig",
        motivation="En åtgärd försenad.",
    )
    a = build_document(r.namnd_a, r.helar)
    isk = next(s for s in a.walk() if s.title == "ISK-bedömning")
    status = next(b for b in isk.blocks if isinstance(b, Status))
    assert (status.key, status.text, status.symbol) == (
        "delvis_tillracklig",
        "Delvis tillräcklig",
        "◐",
    )
    assert "Samlad bedömning" not in [s.title for s in a.walk()]  # only regionstyrelsen's
    b = build_document(r.namnd_b, r.helar)
    missing = next(s for s in b.walk() if s.title == "ISK-bedömning")
    assert next(x for x in missing.blocks if isinstance(x, Status)).text == (
        "Ingen ISK-bedömning är gjord"
    )
    board = build_document(r.styrelsen, r.helar)
    overall = next(s for s in board.walk() if s.title == "Samlad bedömning")
    table = next(x for x in overall.blocks if isinstance(x, Table))
    levels = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert levels["Nämnd A"] == "Delvis tillräcklig"
    assert levels["Nämnd B"] == "Ingen bedömning"
    proposal = next(x for x in overall.blocks if isinstance(x, Status))
    assert proposal.text == "Delvis tillräcklig"  # a missing bedömning never gives tillräcklig
    assert not any(isinstance(x, Example) for x in overall.blocks)


def test_the_control_section_in_pdf_docx_and_xlsx():
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    r = region()
    risk = own_risk(r.namnd_a, text="Risken att attestreglerna inte följs.")
    planner = user_with_role("planerare", "planerare")
    follow_up_measure(
        risk.measures.get(),
        r.delar,
        actor=planner,
        unit=r.namnd_a,
        status="forsenad",
        comment="Rutinen ses över.",
    )
    document = build_document(r.namnd_a, r.delar)
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render(document, "pdf"))).pages)
    pdf = re.sub(r"\s+", " ", pdf)
    assert "Intern styrning och kontroll" in pdf
    assert "Risken att attestreglerna inte följs." in pdf
    assert "Status: ▲ Försenad" in pdf and "Rutinen ses över." in pdf
    docx = Document(io.BytesIO(render(document, "docx")))
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert any(h.endswith("Intern styrning och kontroll") for h in headings)
    assert "Rutinen ses över." in " ".join(p.text for p in docx.paragraphs)
    book = load_workbook(io.BytesIO(render(document, "xlsx")))
    sheet = book[next(name for name in book.sheetnames if name.startswith("IK åtgärder"))]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert ("HR", "Uppföljning enligt rutin.", "Försenad") in [tuple(r[:3]) for r in rows]


def test_measures_of_other_organisations_or_years_are_not_in_scope():
    r = region()
    risk = own_risk(r.namnd_a)
    create_measure(risk, actor=system(), text="En andra åtgärd.")
    assert len(measures_in(r.namnd_a, r.delar)) == 2
    risk.control_plan.year = 2024
    risk.control_plan.save()
    assert measures_in(r.namnd_a, r.delar) == []
    assert Measure.objects.count() == 2
