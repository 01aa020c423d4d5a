"""The comparison view's ranking (``queries.ranking``), one SQL statement, against the same
ranking read the plain way through the ORM, on generated values: totals and values for
women and men, withdrawn values, preliminary and example values, ties and Riket."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.indicators.models import EXAMPLE_SOURCE, IndicatorDefinition, Measurement
from uppsikt.indicators.queries import OrganisationName, Ranked, rank_values, ranking
from uppsikt.organisations.models import Organisation

pytestmark = pytest.mark.django_db
CODES = ("0000", "1880", "1881", "1882", "1883")


@pytest.fixture
def ranking_world():
    names = {"0000": "Riket", "1880": "Örebro", "1881": "Kumla", "1882": "Askersund"}
    for code in CODES:
        Organisation.objects.create(code=code, name=names.get(code, f"Kommun {code}"))
    return IndicatorDefinition.objects.create(key="rank", name="Rank", unit="procent")


def _expected(definition: IndicatorDefinition, period: str) -> list[Ranked]:
    current = Measurement.objects.filter(definition=definition, period=period)
    by_key = {(m.organisation.code, m.gender): m for m in current.select_related("organisation")}
    totals = [(code, m.value) for (code, gender), m in by_key.items() if gender == "T"]
    expected = []
    for rank, code, value in rank_values(totals, descending=definition.polarity != "lower_better"):
        total = by_key[(code, "T")]
        women, men = by_key.get((code, "K")), by_key.get((code, "M"))
        expected.append(
            Ranked(
                rank,
                OrganisationName(total.organisation.pk, code, total.organisation.name),
                value,
                women.value if women else None,
                men.value if men else None,
                total.status == "preliminar",
                total.source == EXAMPLE_SOURCE,
            )
        )
    return expected


values = st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False)
a_value = st.fixed_dictionaries(
    {
        "value": st.one_of(values, st.sampled_from([Decimal("74.1"), Decimal(0)])),
        "status": st.sampled_from(["slutlig", "preliminar"]),
        "source": st.sampled_from(["SCB", EXAMPLE_SOURCE, ""]),
        "withdrawn": st.booleans(),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    stored=st.dictionaries(
        st.tuples(
            st.sampled_from(CODES), st.sampled_from("TKM"), st.sampled_from(["2023", "2024"])
        ),
        a_value,
        max_size=25,
    ),
    polarity=st.sampled_from(["higher_better", "lower_better", "neutral"]),
)
def test_the_ranking_is_what_the_values_say(ranking_world, stored, polarity):
    definition = ranking_world
    Measurement.stored.filter(definition=definition).delete()
    IndicatorDefinition.objects.filter(pk=definition.pk).update(polarity=polarity)
    definition.refresh_from_db()
    organisations = {o.code: o for o in Organisation.objects.all()}
    Measurement.objects.bulk_create(
        Measurement(
            definition=definition,
            organisation=organisations[code],
            gender=gender,
            period=period,
            **fields,
        )
        for (code, gender, period), fields in stored.items()
    )
    for period in ("2023", "2024"):
        found = ranking(definition, period)
        assert found == _expected(definition, period)
        assert all(isinstance(r.value, Decimal) for r in found)
        if found and found[0].organisation.code == "0000":
            assert found[0].rank is None
