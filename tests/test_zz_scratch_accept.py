from pathlib import Path

from tests.builders import user_with_role
from tests.plan_documents import docx_from, seed_structure
from uppsikt.budget.models import BudgetTable, Figure
from uppsikt.control.models import ControlPlan, Risk
from uppsikt.interchange.load import load_data
from uppsikt.lib.yamlfile import load_yaml
from uppsikt.organisations.models import Unit
from uppsikt.proposals import actions
from uppsikt.proposals.propose.tablefiles import budget_data


def test_seed(db):
    load_data(load_yaml(Path("demo/region-orebro-lan.yaml").read_text()), audit=False)
    unit = Unit.objects.get(organisation__code="0018", slug="regionstyrelsen")
    user = user_with_role("seed-p", "planerare", unit)
    proposal = actions.upload(
        unit, 2024, actor=user, name="seed.docx", content=docx_from(seed_structure())
    )
    print(budget_data(actions.review_of(proposal).proposal)[1])
    try:
        plan = actions.accept(proposal, actor=user, expected_version=proposal.row_version)
    except Exception as e:
        print("REFUSED", e)
        raise
    for t in BudgetTable.objects.all():
        print(t, t.status, t.display_unit, Figure.objects.filter(row__table=t).count())
    print(ControlPlan.objects.all(), Risk.objects.count(), plan)
    assert 0
