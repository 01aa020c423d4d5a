"""The share-out of tests between xdist workers (tests/scheduling.py)."""

from pathlib import Path

from .scheduling import ONE_WORKER, work_unit

ROOT = Path(__file__).resolve().parent.parent


def test_every_module_kept_on_one_worker_exists():
    missing = sorted(path for path in ONE_WORKER if not (ROOT / path).is_file())
    assert not missing, f"tests/scheduling.py names modules that are gone: {missing}"


def test_a_kept_modules_tests_are_one_unit_and_other_tests_their_own():
    kept = sorted(ONE_WORKER)[0]
    assert work_unit(f"{kept}::test_a") == work_unit(f"{kept}::test_b[x-1]") == kept
    other = "tests/test_elsewhere.py"
    assert work_unit(f"{other}::test_a") == f"{other}::test_a"
    assert work_unit(f"{other}::test_a") != work_unit(f"{other}::test_b")
