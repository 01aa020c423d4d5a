"""The derived indicator's pages: the formula on the definition page with its inputs linked,
"Används i" on an input's page, and the form that defines, changes and removes the formula."""

from decimal import Decimal

import pytest

from uppsikt.indicators.models import DerivedIndicator, IndicatorDefinition, Measurement

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def derived_pages_setting():
    load_minimal()
    beds = IndicatorDefinition.objects.create(key="vp-s", name="Antal vårdplatser", unit="antal")
    people = IndicatorDefinition.objects.create(key="fm-s", name="Folkmängd", unit="antal")
    per = IndicatorDefinition.objects.create(
        key="per-s", name="Antal vårdplatser per 1 000 invånare", unit="antal"
    )
    user_with_role("planerare_pages", "planerare", "styrelsen")
    user_with_role("lasare_pages", "lasare", "styrelsen")
    return beds, people, per


def test_derived_formula_defined_shown_and_removed_on_the_pages(
    client, derived_pages_setting, django_capture_on_commit_callbacks
):
    beds, people, per = derived_pages_setting
    Measurement.objects.create(
        definition=beds, organisation_id=_org(), period="2023", value=Decimal(812)
    )
    Measurement.objects.create(
        definition=people, organisation_id=_org(), period="2023", value=Decimal(305000)
    )
    client.login(username="planerare_pages", password="x-test-pass-1")
    page = client.get(f"/indikatorer/{per.pk}/")
    assert "Beräkna indikatorn ur andra indikatorer" in page.content.decode()
    url = f"/indikatorer/{per.pk}/berakning/"
    form = client.get(url)
    assert form.status_code == 200
    refused = client.post(url, {"kind": "skillnad", "input_1": "vp-s", "input_2": "fm-s",
                                "factor": "1 000", "decimals": "1"})  # fmt: skip
    assert refused.status_code == 200
    assert "Bara en kvot har en faktor" in refused.content.decode()
    assert not DerivedIndicator.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, {"kind": "kvot", "input_1": "vp-s", "input_2": "fm-s",
                                  "factor": "1 000", "decimals": "1"})  # fmt: skip
    assert saved.status_code == 302
    assert Measurement.objects.get(definition=per).value == Decimal("2.7")
    html = client.get(f"/indikatorer/{per.pk}/").content.decode()
    assert "Beräknas som" in html
    assert (
        f'Antal vårdplatser per 1 000 invånare = <a href="/indikatorer/{beds.pk}/">Antal '
        f'vårdplatser</a> / <a href="/indikatorer/{people.pk}/">Folkmängd</a> × 1{NBSP}000'
    ) in html
    used = client.get(f"/indikatorer/{people.pk}/").content.decode()
    assert "Används i" in used and f'<a href="/indikatorer/{per.pk}/">' in used
    again = client.get(url).content.decode()
    assert 'value="1 000"' in again.replace(NBSP, " ") and "Ta bort beräkningen" in again
    removed = client.post(url, {"remove": "1"})
    assert removed.status_code == 302
    assert not DerivedIndicator.objects.exists()
    assert Measurement.objects.filter(definition=per).exists()


def _org():
    from uppsikt.organisations.models import Organisation

    return Organisation.objects.get(code="0099").pk


def test_derived_formula_page_refuses_a_reader(client, derived_pages_setting):
    _beds, _people, per = derived_pages_setting
    client.login(username="lasare_pages", password="x-test-pass-1")
    assert client.get(f"/indikatorer/{per.pk}/berakning/").status_code == 403
    assert "Beräkna indikatorn" not in client.get(f"/indikatorer/{per.pk}/").content.decode()
    assert client.post(f"/indikatorer/{per.pk}/berakning/", {"remove": "1"}).status_code == 403


def test_derived_formula_in_the_api(client, derived_pages_setting):
    from django.contrib.auth import get_user_model

    from uppsikt.indicators.actions import define_derived

    beds, people, per = derived_pages_setting
    planner = get_user_model().objects.get(username="planerare_pages")
    define_derived(per, kind="kvot", inputs=[beds, people], factor=1000, actor=planner)
    found = client.get(f"/api/v1/indicator-definitions/{per.pk}").json()
    assert found["derived"] == {
        "kind": "kvot",
        "inputs": ["vp-s", "fm-s"],
        "factor": "1000",
        "decimals": 1,
        "formula": (
            f"Antal vårdplatser per 1 000 invånare = Antal vårdplatser / Folkmängd × 1{NBSP}000"
        ),
    }
    listed = client.get("/api/v1/indicator-definitions").json()
    by_key = {item["key"]: item["derived"] for item in listed["items"]}
    assert by_key["fm-s"] is None and by_key["per-s"]["inputs"] == ["vp-s", "fm-s"]


def test_derived_demo_example_is_computed_and_labelled_example_data(
    demo_region, django_capture_on_commit_callbacks
):
    from uppsikt.indicators.demo import DERIVED_INPUTS, DERIVED_KEY, load_demo_indicators
    from uppsikt.indicators.derived import compute_one
    from uppsikt.indicators.models import EXAMPLE_SOURCE

    with django_capture_on_commit_callbacks(execute=True):
        counts = load_demo_indicators()
    assert counts["beräknade"] == 1
    derived = {
        (m.organisation_id, m.period, m.gender): m
        for m in Measurement.objects.filter(definition__key=DERIVED_KEY)
    }
    assert len(derived) >= 15  # 2019–2023, T, K and M for Region Örebro län
    treated, screened = (
        {
            (m.organisation_id, m.period, m.gender): m.value
            for m in Measurement.objects.filter(definition__key=key)
        }
        for key in DERIVED_INPUTS
    )
    for key, measurement in derived.items():
        assert measurement.source == EXAMPLE_SOURCE and measurement.is_example
        expected = compute_one("kvot", [treated[key], screened[key]], Decimal(100), 1)
        assert measurement.value == expected
        assert 0 <= measurement.value <= 100
    for (organisation, period, gender), measurement in derived.items():
        if gender == "T" and (organisation, period, "K") in derived:
            women = derived[(organisation, period, "K")].value
            men = derived[(organisation, period, "M")].value
            assert min(women, men) <= measurement.value <= max(women, men)
