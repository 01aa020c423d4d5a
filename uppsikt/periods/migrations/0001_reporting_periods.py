"""ReportingPeriod moves here from followup, its table and rows untouched.

The table keeps its name (``followup_reportingperiod``), so only Django's idea of the model
moves: this migration adds the model to the state without creating anything, after
followup's migrations have made the table; followup's 0004 then removes its own copy from
the state, after every foreign key (followup's, control's) points here. The content type
row is renamed, not replaced, so admin permissions on periods and any generic reference to
a period keep their ids.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor, source="followup", target="periods"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=target, model="reportingperiod").exists():
        types.filter(app_label=source, model="reportingperiod").update(app_label=target)
    ContentType.objects.clear_cache()


def restore_content_type(apps, schema_editor):
    rename_content_type(apps, schema_editor, source="periods", target="followup")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("followup", "0003_unit_reports_and_period_slugs"),
        ("organisations", "0001_organisation_registry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportingPeriod",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "slug",
                            models.SlugField(
                                blank=True,
                                help_text="Används i adresser och på kommandoraden, t.ex. "
                                "2023-delarsrapport.",
                                max_length=60,
                                verbose_name="kortnamn",
                            ),
                        ),
                        ("year", models.PositiveIntegerField(verbose_name="år")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("periodrapport", "Periodrapport"),
                                    ("delarsrapport", "Delårsrapport"),
                                    ("verksamhetsberattelse", "Verksamhetsberättelse"),
                                    ("arsredovisning", "Årsredovisning"),
                                ],
                                max_length=24,
                                verbose_name="typ",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="namn")),
                        (
                            "ends_on",
                            models.DateField(
                                help_text="T.ex. 2023-07-31 för delårsrapporten.",
                                verbose_name="avser tiden till och med",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("oppen", "Öppen"), ("stangd", "Stängd")],
                                default="oppen",
                                max_length=6,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "status_changed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="status ändrad"
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reporting_periods",
                                to="organisations.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                        (
                            "status_changed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="status ändrad av",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "uppföljningstillfälle",
                        "verbose_name_plural": "uppföljningstillfällen",
                        "db_table": "followup_reportingperiod",
                        "ordering": ["organisation", "year", "ends_on", "kind"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organisation", "year", "kind", "ends_on"),
                                name="reporting_period_unique",
                            ),
                            models.UniqueConstraint(
                                fields=("organisation", "slug"),
                                name="reporting_period_slug_unique",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
