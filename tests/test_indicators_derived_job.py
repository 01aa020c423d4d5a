"""The derived indicators after an import: recomputed as a small import commits, or by a
background job on the import queue after a large one (``settings.DERIVED_INLINE_ROWS``), on
whichever database runs the tests."""

from decimal import Decimal

import pytest

from uppsikt.indicators.actions import define_derived
from uppsikt.indicators.importers import import_file
from uppsikt.indicators.models import IndicatorDefinition, Measurement
from uppsikt.jobs.models import Job

from .builders import load_minimal, run_queued_jobs, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def ratio_of_two(django_capture_on_commit_callbacks):
    load_minimal()
    planner = user_with_role("planerare_derived_job", "planerare", "styrelsen")

    def make(key, name):
        return IndicatorDefinition.objects.create(key=key, name=name, unit="antal")

    beds, people = make("vardplatser", "Vårdplatser"), make("folkmangd", "Folkmängd")
    per = make("per-1000", "Vårdplatser per 1 000")
    with django_capture_on_commit_callbacks(execute=True):
        define_derived(
            per, kind="kvot", inputs=[beds, people], factor=1000, decimals=1, actor=planner
        )
    return per


INPUTS = (
    b"indikator;organisation;period;varde\nvardplatser;0099;2023;812\nfolkmangd;0099;2023;305000\n"
)


def _derived():
    return list(Measurement.objects.filter(definition__key="per-1000").values_list("value"))


def test_a_small_import_recomputes_the_derived_values_as_it_commits(
    ratio_of_two, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_file(data=INPUTS, filename="f.csv")
    assert _derived() == [(Decimal("2.7000"),)]
    assert not Job.objects.filter(kind="derived").exists()


@pytest.mark.django_db(transaction=True)  # the worker runs the job on its own connection
def test_a_large_import_leaves_the_derived_values_to_a_background_job(
    ratio_of_two, django_capture_on_commit_callbacks, settings
):
    settings.DERIVED_INLINE_ROWS = 2  # this file's two values count as a large import
    with django_capture_on_commit_callbacks(execute=True):
        report = import_file(data=INPUTS, filename="f.csv")
    assert report.created == 2
    assert _derived() == []
    (job,) = Job.objects.filter(kind="derived")
    assert job.status == Job.Status.QUEUED
    run_queued_jobs()
    job.refresh_from_db()
    assert (job.status, job.result) == (Job.Status.DONE, {"written": 1, "refused": 0})
    assert _derived() == [(Decimal("2.7000"),)]
