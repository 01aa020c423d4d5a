"""ControlAssessment.period now points at periods.ReportingPeriod: the same table, so only
Django's state changes (see periods 0001)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("control", "0002_plan_requirements"),
        ("periods", "0001_reporting_periods"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="controlassessment",
                    name="period",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="control_assessments",
                        to="periods.reportingperiod",
                        verbose_name="uppföljningstillfälle",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
