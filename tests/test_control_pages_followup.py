"""Internal-control pages, part two: follow-up actions by role, periods, the heat map, the
risk list order and the region-wide risks across nämnder."""

import re

import pytest

from uppsikt.control.actions.followup import follow_up_measure
from uppsikt.control.datafile import load_control_file
from uppsikt.control.demo import load_demo_control
from uppsikt.control.models import Risk
from uppsikt.followup.models import FollowUp
from uppsikt.periods.actions import close_period

from .builders import load_demo, user_with_role
from .control_setup import region_wide_risk, system
from .test_control_import import DEMO_FILE
from .test_control_pages import login, unit_url

pytestmark = pytest.mark.django_db


def _actions(client, url) -> set[str]:
    """The buttons in the page's main content (the language switch is in the header)."""

    html = client.get(url).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return {
        re.sub(r"<[^>]+>", "", b).strip()
        for b in re.findall(r"<button[^>]*>(.*?)</button>", main, re.S)
    }


def test_each_role_sees_exactly_the_follow_up_actions_it_may_take(
    client, control_region_with_risks
):
    from uppsikt.followup.actions.entries import set_state

    measure = control_region_with_risks.risk.measures.get()
    url = f"/internkontroll/atgard/{measure.pk}/uppfoljning/{control_region_with_risks.delar.pk}/{control_region_with_risks.namnd_a.slug}/"
    users = {
        role: user_with_role(f"u-{role}", role, control_region_with_risks.namnd_a)
        for role in ("planerare", "rapportor", "granskare", "lasare")
    }
    entry = follow_up_measure(
        measure,
        control_region_with_risks.delar,
        actor=users["planerare"],
        unit=control_region_with_risks.namnd_a,
        status="pagar",
        comment="P.",
    )
    write = {"Spara uppföljningen", "Lägg till avvikelsen"}

    def seen(role):
        client.force_login(users[role])
        return _actions(client, url)

    # Utkast: the writers write and mark klar; a rapportör only when it is assigned to her.
    assert seen("planerare") == write | {"Markera som klar"}
    assert seen("rapportor") == set()
    assert seen("granskare") == set() and seen("lasare") == set()
    FollowUp.objects.filter(pk=entry.pk).update(responsible=users["rapportor"])
    assert seen("rapportor") == write | {"Markera som klar"}
    # Klar: writers may take it back; only the granskare marks it granskad.
    set_state(entry, "klar", actor=users["rapportor"])
    assert seen("rapportor") == write | {"Återför till utkast"}
    assert seen("planerare") == write | {"Återför till utkast"}
    assert seen("granskare") == {"Markera som granskad"}
    client.force_login(users["granskare"])
    assert client.post(url, {"action": "state", "state": "granskad"}).status_code == 302
    assert FollowUp.objects.get(pk=entry.pk).state == "granskad"
    # Granskad: nothing to write any more; the granskare may take the review back.
    assert seen("planerare") == set() and seen("rapportor") == set()
    assert seen("granskare") == {"Återför till klar"}
    assert seen("lasare") == set()
    # What is not offered is refused too.
    client.force_login(users["granskare"])
    assert client.post(url, {"action": "followup", "status": "pagar"}).status_code == 403
    client.force_login(users["lasare"])
    assert client.post(url, {"action": "state", "state": "klar"}).status_code == 403


def test_the_risk_page_names_the_reporting_period_of_each_follow_up(
    client, control_region_with_risks
):
    import re

    measure = control_region_with_risks.risk.measures.get()
    for period, comment in (
        (control_region_with_risks.delar, "Halvår."),
        (control_region_with_risks.helar, "Helår."),
    ):
        follow_up_measure(
            measure,
            period,
            actor=system(),
            unit=control_region_with_risks.namnd_a,
            status="pagar",
            comment=comment,
        )
    login(client, "pa", "planerare", control_region_with_risks.namnd_a)
    html = client.get(control_region_with_risks.risk.get_absolute_url()).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Delårsrapport 2023 (avser tiden till och med 31 juli 2023, öppen)" in text
    assert "Verksamhetsberättelse 2023 (avser tiden till och med 31 december 2023" in text
    rows = {}
    for caption, body in re.findall(r"<caption>(.*?)</caption>(.*?)</table>", html, re.S):
        for line in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", line, re.S)
            ]
            rows.setdefault(caption.split(":")[0], []).append(cells)
    # Every row says its period, in the caption and in its own column, beside its comment.
    assert rows["Delårsrapport 2023"][0][:2] == ["Enhet", "Uppföljningstillfälle"]
    assert rows["Delårsrapport 2023"][1][:2] == ["Nämnd A", "Delårsrapport 2023"]
    assert "Halvår." in rows["Delårsrapport 2023"][1][3]
    assert rows["Verksamhetsberättelse 2023"][1][:2] == ["Nämnd A", "Verksamhetsberättelse 2023"]
    assert "Helår." in rows["Verksamhetsberättelse 2023"][1][3]


def test_the_heat_map_says_every_cell_in_words_and_has_a_data_table(
    client, control_region_with_risks
):
    import re

    login(client, "pa", "planerare", control_region_with_risks.namnd_a)
    html = client.get(unit_url(control_region_with_risks.namnd_a)).content.decode()
    svg = re.search(r"<svg class=\"heatmap__svg\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg
    levels = re.findall(r'class="heat__level"[^>]*>([^<]+)<', svg)
    assert len(levels) == 16 and all(re.fullmatch(r"(Låg|Medel|Hög) \(\d+\)", t) for t in levels)
    table = re.search(r'<table class="data-table heat-table">.*?</table>', html, re.S).group(0)
    assert "<caption>" in table and table.count('<th scope="row">') == 4
    cells = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    assert len(cells) == 16
    for cell in cells:  # the count, the level in words and the score: never colour alone
        assert re.search(r"\d+ risk(er)? .*(Låg|Medel|Hög), riskvärde \d+", " ".join(cell.split()))


def test_internal_control_is_followed_up_only_in_the_periods_its_atgarder_name(
    client, control_region_with_risks
):
    """Section 5 and 6.1: the internkontrollplan is reported in the delårsrapport and the
    verksamhetsberättelse, so the monthly periodrapporter and the årsredovisning are neither
    listed on its pages nor in any unit's follow-up scope."""
    import datetime

    from uppsikt.control.models import Measure
    from uppsikt.followup.scope import in_scope
    from uppsikt.periods.models import ReportingPeriod

    extra = [
        ReportingPeriod.objects.create(
            organisation=control_region_with_risks.organisation,
            year=2023,
            kind=kind,
            name=name,
            ends_on=datetime.date(2023, month, 28),
        )
        for kind, name, month in (
            (ReportingPeriod.Kind.PERIODRAPPORT, "Periodrapport februari 2023", 2),
            (ReportingPeriod.Kind.PERIODRAPPORT, "Periodrapport mars 2023", 3),
            (ReportingPeriod.Kind.ARSREDOVISNING, "Årsredovisning 2023", 12),
        )
    ]
    Measure.objects.update(reported_in=["delarsrapport", "verksamhetsberattelse"])
    login(client, "ps", "planerare", control_region_with_risks.styrelsen)
    pages = [
        unit_url(control_region_with_risks.styrelsen),
        "/internkontroll/0099/2023/",
        "/internkontroll/0099/2023/risker/",
        control_region_with_risks.risk.get_absolute_url(),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Delårsrapport 2023" in html and "Verksamhetsberättelse 2023" in html, url
        for period in extra:
            assert period.name not in html, (url, period.name)
    for unit in (control_region_with_risks.styrelsen, control_region_with_risks.namnd_a):
        for period in extra:
            assert not [i for i in in_scope(unit, period) if i.label == "control.measure"]
        assert [
            i
            for i in in_scope(unit, control_region_with_risks.delar)
            if i.label == "control.measure"
        ]
    # An åtgärd that names no period is followed up in every one.
    Measure.objects.filter(risk=control_region_with_risks.own).update(reported_in=[])
    html = client.get("/internkontroll/0099/2023/").content.decode()
    assert all(period.name in html for period in extra)
    assert [
        i
        for i in in_scope(control_region_with_risks.namnd_a, extra[0])
        if i.label == "control.measure"
    ]


def _list_scores(html: str) -> list[int]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return [int(n) for n in re.findall(r'<td class="number">(\d+)</td>\s*<td>', body)]


def test_the_risk_list_is_sorted_by_score_and_filters_by_krav(client):
    load_demo()
    load_control_file(DEMO_FILE, actor=system())
    load_demo_control(system())
    url = "/internkontroll/0018/2023/risker/"
    scores = _list_scores(client.get(url).content.decode())
    assert len(scores) == 10 and scores == sorted(scores, reverse=True)
    high = _list_scores(client.get(url + "?niva=hog").content.decode())
    assert high == sorted(high, reverse=True) and high
    in_plan = _list_scores(client.get(url + "?ordning=plan").content.decode())
    assert sorted(in_plan) == sorted(scores) and in_plan != scores
    # The demo plan names krav c–e for all its risks (6.1), none per risk.
    html = client.get(url + "?krav=d").content.decode()
    assert "10 risker" in html and "c, d, e" in html and "planens krav" in html
    assert "0 risker" in client.get(url + "?krav=a").content.decode()
    Risk.objects.filter(text="Risken att redovisningen inte är rättvisande.").update(
        requirements=["a"]
    )
    html = client.get(url + "?krav=a").content.decode()
    assert "1 risk" in html and "Risken att redovisningen inte är rättvisande." in html


def test_transcription_notes_are_folded_into_kalla_in_the_ik_table(client):
    load_demo()
    load_control_file(DEMO_FILE, actor=system())
    html = client.get("/internkontroll/0018/enhet/regionstyrelsen/2023/").content.decode()
    table = html[html.index('<table class="ik-table">') : html.index("</table>")]
    assert (
        '<details class="source-note"><summary>Källa</summary>'
        "<p>Meningen slutar utan punkt i källan.</p></details>"
    ) in table
    assert '<span class="ik-meta">Meningen slutar' not in table


def test_region_wide_risks_are_in_every_namnds_plan_when_there_are_several(
    client, control_region_with_risks
):
    """Review #3: every nämnd's plan holds the region-wide risks (a nämnd created later too),
    and each nämnd's follow-up stands side by side on the risk's page."""
    from uppsikt.control.queries import plan_table
    from uppsikt.control.units import namnder
    from uppsikt.organisations.models import Unit

    second = region_wide_risk(
        control_region_with_risks, text="Risken att SAM inte bedrivs enligt föreskrifter."
    )
    Unit.objects.create(
        organisation=control_region_with_risks.organisation,
        parent=control_region_with_risks.styrelsen.parent,
        slug="namnd-c",
        name="Nämnd C",
        kind="namnd",
    )
    all_namnder = list(namnder(control_region_with_risks.organisation))
    assert {u.slug for u in all_namnder} == {"styrelsen", "namnd-a", "namnd-b", "namnd-c"}
    for unit in all_namnder:
        texts = {risk.text for risk in plan_table(unit, 2023).risks}
        assert {control_region_with_risks.risk.text, second.text} <= texts, unit.name
        assert ("Nämnd A:s egen risk." in texts) == (
            unit.pk == control_region_with_risks.namnd_a.pk
        )
    assert not {
        risk.text for risk in plan_table(control_region_with_risks.forvaltning, 2023).risks
    } & {control_region_with_risks.risk.text}
    measure = control_region_with_risks.risk.measures.get()
    for index, unit in enumerate(all_namnder):
        follow_up_measure(
            measure,
            control_region_with_risks.delar,
            actor=system(),
            unit=unit,
            status="pagar",
            comment=f"Nämnd {index}.",
        )
    login(client, "ps", "planerare", control_region_with_risks.styrelsen)
    html = client.get(control_region_with_risks.risk.get_absolute_url()).content.decode()
    table = html[html.index('id="followups-h"') :]
    table = table[: table.index("</table>")]
    for index, unit in enumerate(all_namnder):
        assert unit.name in table and f"Nämnd {index}." in table
    assert "bara en nämnd" not in html
    assert "bara en nämnd" not in client.get("/internkontroll/0099/2023/").content.decode()


def test_the_demo_explains_why_its_region_wide_risks_stand_in_one_plan(client):
    load_demo()
    load_control_file(DEMO_FILE, actor=system())
    html = client.get("/internkontroll/0018/2023/").content.decode()
    assert "Organisationen har bara en nämnd i Uppsikt: Regionstyrelsen." in html
    assert "ingår riskerna i varje nämnds plan direkt" in html
    sam = Risk.objects.get(text__startswith="Risken att systematiskt arbetsmiljöarbete")
    html = client.get(sam.get_absolute_url()).content.decode()
    assert "Organisationen har bara en nämnd i Uppsikt (Regionstyrelsen)" in html


def test_the_public_unit_page_links_only_follow_ups_it_can_read(client, control_region_with_risks):
    """An open period's follow-up is for the unit's readers: the public is told when it is
    published instead of being sent to a page that does not exist for it."""
    from django.urls import reverse

    open_url = reverse(
        "control:unit_followup",
        args=["0099", control_region_with_risks.styrelsen.slug, control_region_with_risks.delar.pk],
    )
    html = client.get(unit_url(control_region_with_risks.styrelsen)).content.decode()
    assert open_url not in html
    assert "publiceras när perioden stängs" in html
    assert client.get(open_url).status_code == 404
    close_period(control_region_with_risks.delar, actor=system())
    html = client.get(unit_url(control_region_with_risks.styrelsen)).content.decode()
    assert open_url in html
    assert client.get(open_url).status_code == 200
    control_region_with_risks.delar.refresh_from_db()
    control_region_with_risks.delar.status = control_region_with_risks.delar.Status.OPEN
    control_region_with_risks.delar.save()
    login(client, "lasare", "lasare", control_region_with_risks.styrelsen)
    assert open_url in client.get(unit_url(control_region_with_risks.styrelsen)).content.decode()
