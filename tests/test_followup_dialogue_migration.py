"""Migration 0006 moves every stored return comment into its report's thread."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from uppsikt.followup.models import ReviewComment, UnitReport

from .builders import user_with_role
from .followup_setup import small_setting

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE, AFTER = ("followup", "0006_attachments"), ("followup", "0007_review_dialogue")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_a_stored_return_comment_becomes_the_first_post_of_the_thread():
    setting = small_setting()
    reviewer = user_with_role("granskare", "granskare")
    reviewer.first_name, reviewer.last_name = "Greta", "Granskare"
    reviewer.save()
    old = _migrate(BEFORE)
    when = datetime.datetime(2023, 8, 20, 10, 0, tzinfo=datetime.UTC)
    old.get_model("followup", "UnitReport").objects.create(
        unit_id=setting.unit.pk,
        period_id=setting.period.pk,
        state="aterford",
        review_comment="Motivera avvikelsen & prognosen.",
        reviewed_by_id=reviewer.pk,
        reviewed_at=when,
    )
    _migrate(AFTER)
    report = UnitReport.objects.get()
    comment = ReviewComment.objects.get()
    assert (comment.report_id, comment.kind, comment.author_id, comment.author_name) == (
        report.pk,
        "return",
        reviewer.pk,
        "Greta Granskare",
    )
    assert comment.text == "<p>Motivera avvikelsen &amp; prognosen.</p>"
    assert comment.created_at == when
    assert report.review_comment == "Motivera avvikelsen & prognosen."
