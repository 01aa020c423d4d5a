# The periods with a current total value are kept per chunk (``ValueChunk.total_periods``,
# read by ``queries.periods_with_values``): the triggers of migration 0009 now also forget
# them (NULL) wherever they empty a digest. Every (definition, year) that has values gets
# its chunk here, so that a chunk exists for every stored value (values stored before
# migration 0009 had none; every write since makes or touches one).

import importlib

from django.db import migrations, models

BEFORE = importlib.import_module("uppsikt.indicators.migrations.0009_value_chunks_and_import_fingerprints")

# Migration 0009's triggers, forgetting the periods too wherever they empty a digest.
FORGET = ("SET digest = ''", "SET digest = '', total_periods = NULL")
PG_FUNCTION = BEFORE.PG_FUNCTION.replace(*FORGET).replace(
    "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"
)
SQLITE_TRIGGERS = tuple(statement.replace(*FORGET) for statement in BEFORE.SQLITE_TRIGGERS)
EVERY_CHUNK = (
    "INSERT INTO indicators_valuechunk (definition_id, year, digest, generation) "
    "SELECT DISTINCT definition_id, CAST(substr(period, 1, 4) AS integer), '', 0 "
    "FROM indicators_measurement WHERE true ORDER BY 1, 2 "
    "ON CONFLICT (definition_id, year) DO NOTHING"
)


def forget_periods_on_write(apps, schema_editor) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgres:
            cursor.execute(PG_FUNCTION)
        else:
            for name in ("inserted", "updated", "deleted"):
                cursor.execute(f"DROP TRIGGER IF EXISTS measurement_{name}")
            for statement in SQLITE_TRIGGERS:
                cursor.execute(statement)
        cursor.execute(EVERY_CHUNK)


def keep_periods_on_write(apps, schema_editor) -> None:
    BEFORE.drop_triggers(apps, schema_editor)
    BEFORE.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_value_chunks_and_import_fingerprints"),
    ]

    operations = [
        migrations.AddField(
            model_name="valuechunk",
            name="total_periods",
            field=models.TextField(blank=True, null=True, verbose_name="perioder med totalvärde"),
        ),
        migrations.RunPython(forget_periods_on_write, keep_periods_on_write, elidable=False),
    ]
