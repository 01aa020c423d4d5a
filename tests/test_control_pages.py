"""Internal-control pages through Django's test client: who sees what, forms, query counts."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from uppsikt.control.actions.followup import follow_up_measure, save_unit_assessment
from uppsikt.control.actions.plans import create_measure, create_risk, ensure_control_plan
from uppsikt.control.datafile import load_control_file
from uppsikt.control.demo import load_demo_control
from uppsikt.control.models import ControlAssessment, Deviation, Risk, RiskAssessment
from uppsikt.followup.models import FollowUp
from uppsikt.periods.actions import close_period
from uppsikt.plans.models import Plan

from .builders import load_demo, user_with_role
from .control_setup import system
from .test_control_import import DEMO_FILE, row, workbook

pytestmark = pytest.mark.django_db


def unit_url(unit, suffix=""):
    return f"/internkontroll/0099/enhet/{unit.slug}/2023/{suffix}"


def login(client, username, role="planerare", unit=None):
    user = user_with_role(username, role, unit)
    client.force_login(user)
    return user


def test_the_public_reads_a_decided_plan_only(client, control_region_with_risks):
    html = client.get(unit_url(control_region_with_risks.styrelsen)).content.decode()
    assert "Risken att redovisningen inte är rättvisande." in html
    assert "Regionövergripande åtgärd:" in html and "<svg" in html and "<caption" in html
    assert (
        client.get(unit_url(control_region_with_risks.namnd_a)).status_code == 404
    )  # no decided verksamhetsplan
    assert (
        client.get(
            f"/internkontroll/0099/enhet/{control_region_with_risks.namnd_a.slug}/2023.xlsx"
        ).status_code
        == 404
    )
    region_html = client.get("/internkontroll/0099/2023/").content.decode()
    assert "Nämnd A:s egen risk." not in region_html and "1 risk i" in region_html
    assert "/enhet/namnd-a/" not in region_html  # its page would not open for the public
    Plan.objects.update(status=Plan.Status.UTKAST)
    assert client.get(unit_url(control_region_with_risks.styrelsen)).status_code == 404
    assert client.get(control_region_with_risks.risk.get_absolute_url()).status_code == 404
    login(client, "lasare", "lasare", control_region_with_risks.styrelsen)
    assert client.get(unit_url(control_region_with_risks.styrelsen)).status_code == 200


def test_a_namnd_plan_shows_the_region_wide_risks_with_its_own(client, control_region_with_risks):
    login(client, "pa", "planerare", control_region_with_risks.namnd_a)
    html = client.get(unit_url(control_region_with_risks.namnd_a)).content.decode()
    assert "Risken att redovisningen inte är rättvisande." in html
    assert "Nämnd A:s egen risk." in html
    assert "Regionövergripande, från Regionstyrelsens plan" in html
    assert html.index("Risken att redovisningen") < html.index("Nämnd A:s egen risk.")
    assert client.get(unit_url(control_region_with_risks.namnd_b)).status_code == 404


def test_xlsx_export_is_a_workbook_with_the_plan(client, control_region_with_risks):
    response = client.get("/internkontroll/0099/enhet/styrelsen/2023.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    texts = [cell.value for line in sheet.iter_rows() for cell in line]
    assert (
        "Risken att redovisningen inte är rättvisande." in texts and "Regionövergripande" in texts
    )


def test_risk_list_filters(client, control_region_with_risks):
    login(client, "admin", "administrator")
    base = "/internkontroll/0099/2023/risker/"
    html = client.get(base).content.decode()
    assert "Nämnd A:s egen risk." in html and "Risken att redovisningen" in html
    html = client.get(base + "?niva=medel").content.decode()
    assert "Nämnd A:s egen risk." in html and "Risken att redovisningen" not in html
    html = client.get(base + "?beslut=ej_bedomd").content.decode()
    assert "Risken att redovisningen" in html and "Nämnd A:s egen risk." not in html
    html = client.get(base + "?enhet=namnd-b").content.decode()
    assert "Risken att redovisningen" in html and "Nämnd A:s egen risk." not in html
    html = client.get(base + "?omrade=HR&sannolikhet=2&konsekvens=3").content.decode()
    assert "Nämnd A:s egen risk." in html and "1 risk<" in html
    assert client.get(base + "?minsta=abc").status_code == 200
    measure = control_region_with_risks.risk.measures.get()
    follow_up_measure(
        measure,
        control_region_with_risks.delar,
        actor=system(),
        unit=control_region_with_risks.namnd_b,
        status="forsenad",
    )
    html = client.get(
        base + f"?uppfoljning=forsenad&period={control_region_with_risks.delar.pk}"
    ).content.decode()
    assert "Risken att redovisningen" in html and "Nämnd A:s egen risk." not in html
    html = client.get(
        base + f"?uppfoljning=forsenad&period={control_region_with_risks.delar.pk}&enhet=namnd-a"
    ).content.decode()
    assert "Risken att redovisningen" not in html
    html = client.get(
        base + f"?uppfoljning=ej_uppfoljd&period={control_region_with_risks.delar.pk}"
    ).content.decode()
    assert "Nämnd A:s egen risk." in html and "Risken att redovisningen" not in html
    html = client.get(base + "?uppfoljning=forsenad").content.decode()  # the latest period
    assert "Risken att redovisningen" not in html


def test_assess_form_enforces_the_decision_rule(client, control_region_with_risks):
    plan = ensure_control_plan(control_region_with_risks.namnd_a, 2023, actor=system())
    bare = create_risk(plan, actor=system(), area="HR", text="Risk utan åtgärd.")
    login(client, "pa", "planerare", control_region_with_risks.namnd_a)
    url = f"/internkontroll/risk/{bare.pk}/bedom/"
    response = client.post(
        url, {"likelihood": "4", "consequence": "4", "decision": "ej_accepterad"}
    )
    assert response.status_code == 200
    assert "En risk som inte accepteras ska ha minst en åtgärd." in response.content.decode()
    assert not RiskAssessment.objects.filter(risk=bare).exists()
    create_measure(bare, actor=system(), text="Kontroll.")
    response = client.post(
        url, {"likelihood": "4", "consequence": "4", "decision": "ej_accepterad"}
    )
    assert response.status_code == 302
    assert RiskAssessment.objects.get(risk=bare).score == 16
    history = client.get(bare.get_absolute_url()).content.decode().split("Ändringshistorik")[1]
    assert "Risken lades till" in history and "Risken bedömdes" in history
    assert "control." not in history  # codes are not shown, their Swedish labels are
    assert (
        client.get(f"/internkontroll/risk/{control_region_with_risks.risk.pk}/bedom/").status_code
        == 403
    )


@pytest.mark.parametrize(
    ("role", "unit_attr", "status"),
    [
        (None, None, 302),  # to the login page
        ("lasare", "namnd_a", 403),  # reads the plan, may not change it
        ("planerare", "namnd_b", 404),  # may not even read nämnd A's unpublished plan
        ("planerare", "namnd_a", 200),
    ],
)
def test_import_page_permissions(client, control_region_with_risks, role, unit_attr, status):
    if role:
        login(client, "anv", role, getattr(control_region_with_risks, unit_attr))
    assert (
        client.get(unit_url(control_region_with_risks.namnd_a, "importera/")).status_code == status
    )


def test_import_page_names_bad_rows_and_imports_good_files(client, control_region_with_risks):
    login(client, "pa", "planerare", control_region_with_risks.namnd_a)
    bad = SimpleUploadedFile("plan.xlsx", workbook([row("HR", "Risk X.", "", 9, 1)]))
    response = client.post(unit_url(control_region_with_risks.namnd_a, "importera/"), {"file": bad})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert "rad 4, kolumn D (Sannolikhet)" in html
    assert not Risk.objects.filter(text="Risk X.").exists()
    good = SimpleUploadedFile(
        "plan.xlsx", workbook([row("HR", "Risk X.", "c", 1, 2, 2, "Accepterad", "")])
    )
    response = client.post(
        unit_url(control_region_with_risks.namnd_a, "importera/"), {"file": good}
    )
    assert response.status_code == 302
    assert Risk.objects.get(text="Risk X.").requirements == ["c"]
    assert not Risk.objects.filter(text="Nämnd A:s egen risk.").exists()  # replaced by the file


def test_follow_up_with_avvikelser_through_the_forms(client, control_region_with_risks):
    measure = control_region_with_risks.risk.measures.get()
    url = f"/internkontroll/atgard/{measure.pk}/uppfoljning/{control_region_with_risks.delar.pk}/{control_region_with_risks.namnd_a.slug}/"
    assert client.get(url).status_code == 404  # an open period's follow-up is not public
    login(client, "pa", "planerare", control_region_with_risks.namnd_a)
    response = client.post(
        url, {"action": "followup", "status": "forsenad", "comment": "Sen start."}
    )
    assert response.status_code == 302
    entry = FollowUp.objects.get(unit=control_region_with_risks.namnd_a)
    assert (entry.status, entry.comment) == ("forsenad", "<p>Sen start.</p>")
    response = client.post(url, {"action": "deviation", "found": "", "handling": ""})
    assert "Detta fält måste fyllas i." in response.content.decode()
    client.post(url, {"action": "deviation", "found": "Rutin saknas.", "handling": "Tas fram."})
    deviation = Deviation.objects.get()
    client.post(
        f"/internkontroll/avvikelse/{deviation.pk}/",
        {"found": "Rutin saknades.", "handling": "Klar."},
    )
    deviation.refresh_from_db()
    assert deviation.found == "Rutin saknades."
    client.post(url, {"action": "state", "state": "klar"})
    assert FollowUp.objects.get(pk=entry.pk).state == "klar"
    html = client.get(
        f"/internkontroll/0099/enhet/namnd-a/uppfoljning/{control_region_with_risks.delar.pk}/"
    ).content.decode()
    assert "Rutin saknades." in html and "Försenad" in html
    other = f"/internkontroll/atgard/{measure.pk}/uppfoljning/{control_region_with_risks.delar.pk}/{control_region_with_risks.namnd_b.slug}/"
    assert client.post(other, {"action": "followup", "status": "pagar"}).status_code == 404
    client.post(f"/internkontroll/avvikelse/{deviation.pk}/", {"action": "delete"})
    assert not Deviation.objects.exists()


def test_closed_periods_are_public_and_read_only(client, control_region_with_risks):
    measure = control_region_with_risks.risk.measures.get()
    follow_up_measure(
        measure,
        control_region_with_risks.delar,
        actor=system(),
        unit=control_region_with_risks.styrelsen,
        status="genomford",
        comment="Klart.",
    )
    close_period(control_region_with_risks.delar, actor=user_with_role("admin", "administrator"))
    url = f"/internkontroll/atgard/{measure.pk}/uppfoljning/{control_region_with_risks.delar.pk}/styrelsen/"
    html = client.get(url).content.decode()
    assert "Klart." in html and "stängt" in html and 'name="action"' not in html
    risk_html = client.get(control_region_with_risks.risk.get_absolute_url()).content.decode()
    assert "Genomförd" in risk_html
    login(client, "ps", "planerare", control_region_with_risks.styrelsen)
    assert client.post(url, {"action": "followup", "status": "pagar"}).status_code == 403
    assert FollowUp.objects.get().status == "genomford"


def test_isk_and_samlad_bedomning_pages(client, control_region_with_risks):
    login(client, "ps", "planerare", control_region_with_risks.styrelsen)
    response = client.post(
        unit_url(control_region_with_risks.styrelsen, "isk/"),
        {"level": "tillracklig", "motivation": ""},
    )
    assert "Detta fält måste fyllas i." in response.content.decode()
    client.post(
        unit_url(control_region_with_risks.styrelsen, "isk/"),
        {"level": "tillracklig", "motivation": "Bra kontroll."},
    )
    save_unit_assessment(
        control_region_with_risks.namnd_a,
        control_region_with_risks.helar,
        actor=system(),
        level="ej_tillracklig",
        motivation="Brister.",
    )
    html = client.get("/internkontroll/0099/2023/samlad-bedomning/").content.decode()
    assert "Bra kontroll." in html and "Brister." in html and "Förvaltning A" in html
    assert "Delvis tillräcklig" in html  # the proposal: one unit ej, two missing
    response = client.post(
        "/internkontroll/0099/2023/samlad-bedomning/",
        {"level": "delvis_tillracklig", "motivation": "Nämnd A behöver förbättra kontrollen."},
    )
    assert response.status_code == 302
    overall = ControlAssessment.objects.get(kind="samlad")
    assert overall.proposed_level == "delvis_tillracklig" and len(overall.basis) == 2
    client.logout()
    login(client, "pa", "planerare", control_region_with_risks.namnd_a)
    response = client.post(
        "/internkontroll/0099/2023/samlad-bedomning/", {"level": "tillracklig", "motivation": "x"}
    )
    assert response.status_code == 403


def test_scale_page_documents_the_scale_and_admins_change_it(client, control_region_with_risks):
    html = client.get("/internkontroll/0099/riskskala/").content.decode()
    assert "Osannolik" in html and "Mycket allvarlig" in html and "riskvärde 9–16" in html
    assert client.post("/internkontroll/0099/riskskala/", {}).status_code == 403
    login(client, "admin", "administrator")
    response = client.post(
        "/internkontroll/0099/riskskala/",
        {
            "likelihood_labels": "Låg\nHög",
            "consequence_labels": "Liten\nStor\nKatastrof",
            "medium_from": "2",
            "high_from": "4",
        },
    )
    assert response.status_code == 302
    html = client.get(unit_url(control_region_with_risks.styrelsen)).content.decode()
    assert "Katastrof" in html


def test_unit_plan_page_query_count_does_not_grow_with_risks(
    client, control_region_with_risks, django_assert_max_num_queries
):
    login(client, "admin", "administrator")
    url = unit_url(control_region_with_risks.namnd_a)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    plan = ensure_control_plan(control_region_with_risks.namnd_a, 2023, actor=system())
    for number in range(15):
        risk = create_risk(
            plan, actor=system(), area=f"Område {number % 4}", text=f"Risk {number}."
        )
        create_measure(risk, actor=system(), text="Åtgärd.")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_demo_plan_page_shows_the_table_in_section_6_1_and_the_unit_page_links_it(client):
    load_demo()
    load_control_file(DEMO_FILE, actor=system())
    load_demo_control(system())
    plan = Plan.objects.get(unit__slug="regionstyrelsen", year=2023)
    html = client.get(plan.get_absolute_url()).content.decode()
    section = html[html.index("</span> Internkontrollplan</h") :]
    assert "Regionövergripande åtgärd:</span> Varje chef ska säkerställa" in section
    assert "återges inte här" not in section[:3000]
    assert "/internkontroll/0018/enhet/regionstyrelsen/2023/" in section
    unit_html = client.get("/organisationer/0018/regionstyrelsen/").content.decode()
    assert 'href="/internkontroll/0018/enhet/regionstyrelsen/2023/"' in unit_html
    page = client.get("/internkontroll/0018/enhet/regionstyrelsen/2023/").content.decode()
    assert "Exempeldata" in page and page.count("badge--example") >= 10
    region_html = client.get("/internkontroll/0018/2023/").content.decode()
    assert "10 risker i organisationens internkontrollplaner" in region_html


def test_the_demo_risk_page_says_what_the_plan_gives_and_what_it_does_not(client):
    load_demo()
    load_control_file(DEMO_FILE, actor=system())
    sam = Risk.objects.get(text__startswith="Risken att systematiskt arbetsmiljöarbete")
    html = client.get(sam.get_absolute_url()).content.decode()
    krav = html[html.index("Krav som hotas") : html.index("Riskvärde")]
    assert "Anges inte per risk i planen." in krav and "Inte angivet" not in krav
    assert "c) Styrande dokument, lagar och avtal; d) Rättvisande" in krav
    measure = html[html.index('id="measures-h"') : html.index('id="history-h"')]
    assert "Varje chef" in measure and "Årligen" in measure
    assert "<dd>–</dd>" not in measure
    assert measure.count("Anges inte i planen") == 1  # the kontrollmoment
    ekonomi = Risk.objects.get(text="Risken att redovisningen inte är rättvisande.")
    html = client.get(ekonomi.get_absolute_url()).content.decode()
    measure = html[html.index('id="measures-h"') : html.index('id="history-h"')]
    assert measure.count("Anges inte i planen") == 3


def test_regionstyrelsen_sees_every_namnds_follow_up_of_its_region_wide_risk(
    client, control_region_with_risks
):
    measure = control_region_with_risks.risk.measures.get()
    follow_up_measure(
        measure,
        control_region_with_risks.delar,
        actor=system(),
        unit=control_region_with_risks.namnd_a,
        status="pagar",
        comment="A:s text.",
    )
    follow_up_measure(
        measure,
        control_region_with_risks.delar,
        actor=system(),
        unit=control_region_with_risks.namnd_b,
        status="genomford",
        comment="B:s text.",
    )
    save_unit_assessment(
        control_region_with_risks.namnd_a,
        control_region_with_risks.helar,
        actor=system(),
        level="tillracklig",
        motivation="A:s ISK.",
    )
    login(client, "ps", "planerare", control_region_with_risks.styrelsen)
    html = client.get(control_region_with_risks.risk.get_absolute_url()).content.decode()
    assert "A:s text." in html and "B:s text." in html
    assert "A:s ISK." in client.get("/internkontroll/0099/2023/samlad-bedomning/").content.decode()
    client.logout()
    login(client, "pb", "planerare", control_region_with_risks.namnd_b)
    html = client.get(control_region_with_risks.risk.get_absolute_url()).content.decode()
    assert "B:s text." in html and "A:s text." not in html
    other = f"/internkontroll/atgard/{measure.pk}/uppfoljning/{control_region_with_risks.delar.pk}/{control_region_with_risks.namnd_a.slug}/"
    assert client.get(other).status_code == 404


def test_risks_and_atgarder_are_added_changed_and_removed_through_forms(
    client, control_region_with_risks
):
    login(client, "pa", "planerare", control_region_with_risks.namnd_a)
    new_url = unit_url(control_region_with_risks.namnd_a, "ny-risk/")
    html = client.get(new_url).content.decode()
    assert "Regionövergripande" not in html  # only the styrelse defines region-wide risks
    response = client.post(new_url, {"area": "Ekonomi", "text": "", "requirements": ["d"]})
    assert "Detta fält måste fyllas i." in response.content.decode()
    response = client.post(
        new_url, {"area": "Ekonomi", "text": "Risk om fakturor.", "requirements": ["d"]}
    )
    risk = Risk.objects.get(text="Risk om fakturor.")
    assert response.status_code == 302 and risk.requirements == ["d"] and not risk.is_region_wide
    client.post(
        f"/internkontroll/risk/{risk.pk}/ny-atgard/",
        {"text": "Stickprov.", "reported_in": ["delarsrapport"]},
    )
    measure = risk.measures.get()
    assert measure.reported_in == ["delarsrapport"]
    client.post(
        f"/internkontroll/risk/{risk.pk}/bedom/",
        {"likelihood": "2", "consequence": "2", "decision": "ej_accepterad"},
    )
    response = client.post(f"/internkontroll/atgard/{measure.pk}/andra/", {"action": "delete"})
    assert "den enda" in response.content.decode() and risk.measures.exists()
    client.post(
        f"/internkontroll/atgard/{measure.pk}/andra/",
        {"text": "Stickprov varje månad.", "frequency": "Månadsvis"},
    )
    measure.refresh_from_db()
    assert (measure.text, measure.frequency, measure.reported_in) == (
        "Stickprov varje månad.",
        "Månadsvis",
        [],
    )
    client.post(
        f"/internkontroll/risk/{risk.pk}/andra/",
        {"area": "Inköp", "text": "Risk om fakturor.", "note": "Ny."},
    )
    risk.refresh_from_db()
    assert (risk.area.name, risk.note, risk.requirements) == ("Inköp", "Ny.", [])
    assert (
        client.get(f"/internkontroll/risk/{control_region_with_risks.risk.pk}/andra/").status_code
        == 403
    )
    response = client.post(f"/internkontroll/risk/{risk.pk}/andra/", {"action": "delete"})
    assert response.status_code == 302 and not Risk.objects.filter(pk=risk.pk).exists()


def test_the_public_is_told_when_year_end_bedomningar_are_published(
    client, control_region_with_risks
):
    save_unit_assessment(
        control_region_with_risks.styrelsen,
        control_region_with_risks.helar,
        actor=system(),
        level="tillracklig",
        motivation="Hemlig ännu.",
    )
    for url in (
        "/internkontroll/0099/2023/samlad-bedomning/",
        unit_url(control_region_with_risks.styrelsen, "isk/"),
    ):
        html = client.get(url).content.decode()
        assert "publiceras när uppföljningstillfället" in html and "Hemlig ännu." not in html
        assert "Inget förslag" not in html and "Ingen bedömning är gjord" not in html
    close_period(control_region_with_risks.helar, actor=user_with_role("admin", "administrator"))
    for url in (
        "/internkontroll/0099/2023/samlad-bedomning/",
        unit_url(control_region_with_risks.styrelsen, "isk/"),
    ):
        assert "Hemlig ännu." in client.get(url).content.decode()
