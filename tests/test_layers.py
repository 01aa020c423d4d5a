"""The floor plan: the README's layers are the ones import-linter enforces, every app has a
place in them, and the contracts hold."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def contract(contract_id: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == contract_id)


def readme_layers() -> list[set[str]]:
    """The app names of each row of the README's layer table, top first."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Layout") : text.index("## Licence")]
    layers = []
    for line in section.splitlines():
        match = re.match(r"\|\s*\d+\s*\|(.*?)\|\s[^|]*\|$", line.replace("\\|", "/"))
        if match:
            layers.append(set(re.findall(r"`(\w+)`", match.group(1))))
    return layers


def test_readme_states_the_enforced_layers():
    enforced = [
        {name.strip() for name in layer.split("|")} for layer in contract("layers")["layers"]
    ]
    assert readme_layers() == enforced


def test_every_app_has_a_layer():
    placed = set().union(*readme_layers())
    packages = {
        path.parent.name
        for path in (ROOT / "uppsikt").glob("*/__init__.py")
        if path.parent.name not in {"locale", "templates"}
    }
    assert packages - placed == set(), "an app without a layer escapes the contract"


def test_import_contracts_hold():
    result = subprocess.run(  # noqa: S603 - our own venv's lint-imports
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_an_upward_import_is_caught(tmp_path):
    """The contract is not vacuous: a plan module importing budget breaks it."""
    import shutil

    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "uppsikt", copy / "uppsikt", ignore=shutil.ignore_patterns("locale"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "uppsikt" / "plans" / "upward.py").write_text("import uppsikt.budget.models\n")
    result = subprocess.run(  # noqa: S603 - our own venv's lint-imports
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "uppsikt.plans.upward -> uppsikt.budget.models" in result.stdout
