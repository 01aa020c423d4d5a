"""ReportingPeriod has moved to the periods app (periods 0001), its table untouched.

Only Django's state changes: followup's foreign keys point at periods.ReportingPeriod, then
followup's own copy of the model leaves the state. That happens after every other app's
foreign key points there too (control 0003), hence the dependency on control.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("control", "0003_reporting_period_moved"),
        ("followup", "0003_unit_reports_and_period_slugs"),
        ("periods", "0001_reporting_periods"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="followup",
                    name="period",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="followups",
                        to="periods.reportingperiod",
                        verbose_name="uppföljningstillfälle",
                    ),
                ),
                migrations.AlterField(
                    model_name="unitreport",
                    name="period",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="unit_reports",
                        to="periods.reportingperiod",
                        verbose_name="uppföljningstillfälle",
                    ),
                ),
                migrations.DeleteModel(name="ReportingPeriod"),
            ],
            database_operations=[],
        ),
    ]
