"""Internal control with two people on the same page: a change to something saved since the
page was opened is refused with both texts shown; a change to something else goes through
and leaves the first person's text alone."""

import pytest
from django.test import Client

from uppsikt.control.actions.followup import update_deviation
from uppsikt.control.actions.plans import update_measure, update_risk
from uppsikt.control.models import Deviation, Measure, Risk
from uppsikt.followup.models import FollowUp
from uppsikt.lib.concurrency import EditConflict

from .builders import user_with_role
from .control_setup import region_with_risks, system
from .html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def r():
    return region_with_risks()


def _two(unit):
    anna = user_with_role("anna", "planerare", unit)
    anna.first_name, anna.last_name = "Anna", "Ek"
    anna.save()
    bo = user_with_role("bo", "planerare", unit)
    first, second = Client(), Client()
    first.force_login(anna)
    second.force_login(bo)
    return first, second


def _open(client, url, field):
    return form_data(client.get(url).content.decode(), containing=field)


def test_the_measure_follow_up_refuses_the_second_comment_and_shows_both(r):
    measure = r.risk.measures.get()
    url = f"/internkontroll/atgard/{measure.pk}/uppfoljning/{r.delar.pk}/{r.namnd_a.slug}/"
    first, second = _two(r.namnd_a)
    annas, bos = _open(first, url, "comment"), _open(second, url, "comment")
    annas["comment"] = "Annas kommentar."
    assert first.post(url, annas).status_code == 302
    bos["comment"] = "Bos kommentar."
    response = second.post(url, bos)
    page = response.content.decode()
    assert response.status_code == 200
    assert "har skrivits av någon annan sedan du öppnade sidan" in page
    assert "Annas kommentar." in page and "Sparat av Anna Ek" in page
    assert "Bos kommentar.</textarea>" in page
    assert FollowUp.objects.get(unit=r.namnd_a).comment == "<p>Annas kommentar.</p>"
    again = form_data(page, containing="comment")
    again["comment"] = "Annas kommentar. Och Bos."
    assert second.post(url, again).status_code == 302
    assert FollowUp.objects.get(unit=r.namnd_a).comment == "<p>Annas kommentar. Och Bos.</p>"


def test_an_avvikelse_added_meanwhile_keeps_the_first_comment(r):
    measure = r.risk.measures.get()
    url = f"/internkontroll/atgard/{measure.pk}/uppfoljning/{r.delar.pk}/{r.namnd_a.slug}/"
    first, second = _two(r.namnd_a)
    annas = _open(first, url, "comment")
    bos = _open(second, url, "found")
    annas["comment"] = "Annas kommentar."
    assert first.post(url, annas).status_code == 302
    bos.update(found="Rutin saknas.", handling="Tas fram.")
    assert second.post(url, bos).status_code == 302
    entry = FollowUp.objects.get(unit=r.namnd_a)
    assert entry.comment == "<p>Annas kommentar.</p>"
    assert Deviation.objects.get(followup=entry).found == "Rutin saknas."
    # Bo's follow-up form, opened before both, saves a status: the comment is not touched.
    stale = _open(second, url, "comment")
    stale["row_version"] = "1"
    stale["initial-comment"] = ""
    stale["comment"] = ""
    stale["status"] = "pagar"
    response = second.post(url, stale)
    assert response.status_code == 200  # Anna's comment is newer than the page: a conflict
    assert FollowUp.objects.get(unit=r.namnd_a).comment == "<p>Annas kommentar.</p>"


def test_an_avvikelse_edited_by_two(r):
    measure = r.risk.measures.get()
    url = f"/internkontroll/atgard/{measure.pk}/uppfoljning/{r.delar.pk}/{r.namnd_a.slug}/"
    first, second = _two(r.namnd_a)
    first.post(url, {"action": "deviation", "found": "Rutin saknas.", "handling": ""})
    deviation = Deviation.objects.get()
    edit = f"/internkontroll/avvikelse/{deviation.pk}/"
    annas, bos = _open(first, edit, "found"), _open(second, edit, "found")
    annas["handling"] = "Annas hantering."
    assert first.post(edit, annas).status_code == 302
    bos["handling"] = "Bos hantering."
    page = second.post(edit, bos).content.decode()
    assert "Annas hantering." in page and "Bos hantering.</textarea>" in page
    deviation.refresh_from_db()
    assert deviation.handling == "Annas hantering."
    with pytest.raises(EditConflict):
        update_deviation(deviation, actor=system(), found="x", handling="y", expected_version=1)


def test_a_risk_edited_by_two(r):
    url = f"/internkontroll/risk/{r.own.pk}/andra/"
    first, second = _two(r.namnd_a)
    annas, bos = _open(first, url, "text"), _open(second, url, "text")
    annas["text"] = "Nämnd A:s egen risk, omformulerad av Anna."
    assert first.post(url, annas).status_code == 302
    bos["text"] = "Nämnd A:s egen risk, omformulerad av Bo."
    response = second.post(url, bos)
    page = response.content.decode()
    assert response.status_code == 200
    assert "har ändrats av någon annan sedan du öppnade den" in page
    assert "omformulerad av Anna." in page and "omformulerad av Bo.</textarea>" in page
    assert Risk.objects.get(pk=r.own.pk).text == "Nämnd A:s egen risk, omformulerad av Anna."


def test_a_risk_saved_after_its_measure_changed_goes_through(r):
    url = f"/internkontroll/risk/{r.own.pk}/andra/"
    measure = r.own.measures.get()
    first, second = _two(r.namnd_a)
    bos = _open(second, url, "text")
    annas = _open(first, f"/internkontroll/atgard/{measure.pk}/andra/", "text")
    annas["text"] = "Uppföljning enligt Annas rutin."
    assert first.post(f"/internkontroll/atgard/{measure.pk}/andra/", annas).status_code == 302
    bos["note"] = "Bos anmärkning."
    assert second.post(url, bos).status_code == 302
    assert Risk.objects.get(pk=r.own.pk).note == "Bos anmärkning."
    assert Measure.objects.get(pk=measure.pk).text == "Uppföljning enligt Annas rutin."


def test_an_unchanged_form_writes_nothing_over_a_newer_text(r):
    url = f"/internkontroll/risk/{r.own.pk}/andra/"
    first, second = _two(r.namnd_a)
    annas, bos = _open(first, url, "text"), _open(second, url, "text")
    annas["note"] = "Annas anmärkning."
    assert first.post(url, annas).status_code == 302
    assert second.post(url, bos).status_code == 302  # Bo saves without changing anything
    assert Risk.objects.get(pk=r.own.pk).note == "Annas anmärkning."


def test_a_measure_edited_by_two(r):
    measure = r.own.measures.get()
    url = f"/internkontroll/atgard/{measure.pk}/andra/"
    first, second = _two(r.namnd_a)
    annas, bos = _open(first, url, "text"), _open(second, url, "text")
    annas["frequency"] = "Varje tertial"
    assert first.post(url, annas).status_code == 302
    bos["frequency"] = "Årligen"
    page = second.post(url, bos).content.decode()
    assert "Varje tertial" in page and 'value="Årligen"' in page
    assert Measure.objects.get(pk=measure.pk).frequency == "Varje tertial"


def test_the_actions_refuse_stale_versions(r):
    risk = Risk.objects.get(pk=r.own.pk)
    measure = risk.measures.get()
    seen = risk.row_version
    update_measure(measure, actor=system(), text="Ny text.", expected_version=measure.row_version)
    with pytest.raises(EditConflict) as refused:  # the risk moved with its åtgärd
        update_risk(risk, actor=system(), note="x", expected_version=seen)
    assert refused.value.code == "conflict"
    with pytest.raises(EditConflict):
        update_measure(measure, actor=system(), text="Gammal.", expected_version=1)
