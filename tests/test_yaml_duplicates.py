"""A key written twice in a YAML data file is refused, naming the line; nothing is loaded.

Plain YAML keeps the last of two equal keys without a word: a plan with two ``goals:``
lost the first list. Every YAML reader goes through ``lib.yamlfile.load_yaml``.
"""

import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from uppsikt.budget.load import BudgetLoadError, load_budget_file
from uppsikt.budget.models import BudgetTable
from uppsikt.control.datafile import load_control_file
from uppsikt.control.importing import ImportRejected
from uppsikt.control.models import Risk
from uppsikt.interchange.load import LoadError, load_file
from uppsikt.lib.yamlfile import DuplicateKey, load_yaml
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Plan

from .builders import load_minimal
from .control_setup import region, system

pytestmark = pytest.mark.django_db

DATA_FILE = """\
format: uppsikt/1
organisations:
  - code: "0099"
    name: Region Test
    kind: region
    name: Region Dubblett
"""

BUDGET_FILE = """\
format: uppsikt-budget/1
organisation: "0099"
tables:
  - unit: styrelsen
    year: 2023
    kind: drift
    number: T
    title: Testtabell
    display_unit: kr
    series: [{kind: budget, year: 2023}]
    rows:
      - {label: Enhet A, figures: ["-100"]}
    rows:
      - {label: Enhet B, figures: ["-50"]}
"""

CONTROL_FILE = """\
format: uppsikt-internkontroll/1
organisation: "0099"
plans:
  - unit: namnd-a
    year: 2023
    areas:
      - name: HR
        risks:
          - text: Risk A.
            text: Risk B.
"""


def test_the_loader_names_both_lines_and_allows_merge_keys():
    with pytest.raises(DuplicateKey) as error:
        load_yaml("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert str(error.value) == ("rad 4: nyckeln ”c” förekommer två gånger (första gången på rad 3)")
    assert isinstance(error.value, yaml.YAMLError)
    assert load_yaml("base: &b {a: 1}\nx:\n  <<: *b\n  a: 2\n")["x"] == {"a": 2}
    assert load_yaml("- {a: 1}\n- {a: 2}\n") == [{"a": 1}, {"a": 2}]


def test_a_data_file_with_a_duplicate_key_is_refused(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_text(DATA_FILE, encoding="utf-8")
    with pytest.raises(LoadError) as error:
        load_file(path)
    (problem,) = error.value.problems
    assert problem.where == "rad 6, kolumn 5"
    assert "nyckeln ”name” förekommer två gånger (första gången på rad 4)" in problem.message
    assert not Organisation.objects.exists() and not Plan.objects.exists()
    err = io.StringIO()
    with pytest.raises(CommandError, match="ingenting lästes in"):
        call_command("load", str(path), stderr=err)
    assert "rad 6, kolumn 5: ogiltig YAML: nyckeln ”name” förekommer två gånger" in err.getvalue()


def test_a_budget_file_with_a_duplicate_key_is_refused(tmp_path):
    load_minimal()
    path = tmp_path / "budget.yaml"
    path.write_text(BUDGET_FILE, encoding="utf-8")
    with pytest.raises(BudgetLoadError) as error:
        load_budget_file(path)
    assert "rad 13: nyckeln ”rows” förekommer två gånger (första gången på rad 11)" in str(
        error.value
    )
    assert not BudgetTable.objects.exists()


def test_a_control_file_with_a_duplicate_key_is_refused(tmp_path):
    region()
    path = tmp_path / "kontroll.yaml"
    path.write_text(CONTROL_FILE, encoding="utf-8")
    with pytest.raises(ImportRejected) as error:
        load_control_file(path, actor=system())
    assert "rad 10: nyckeln ”text” förekommer två gånger (första gången på rad 9)" in str(
        error.value
    )
    assert not Risk.objects.exists()
