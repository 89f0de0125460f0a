"""The optional annex with the safety indicators (issue 6).

Drafts get the annex when their council has indicator values for the report's year, as
new reports do (``reports.services.report_create``). Adopted revisions keep their stored
snapshot and bytes, whatever the flag says.
"""

from django.db import migrations, models


def include_where_there_are_values(apps, schema_editor):
    AnnualReport = apps.get_model("reports", "AnnualReport")
    IndicatorValue = apps.get_model("councils", "IndicatorValue")
    with_values = set(IndicatorValue.objects.values_list("council_id", "year").distinct())
    for report in AnnualReport.objects.only("pk", "council_id", "year"):
        include = (report.council_id, report.year) in with_values
        AnnualReport.objects.filter(pk=report.pk).update(include_indicators=include)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("councils", "0002_indicators"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreport",
            name="include_indicators",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Adds the five-year charts and tables of the safety indicators, with the "
                    "change against the previous year and the trend, as an annex."
                ),
                verbose_name="annex with the safety indicators",
            ),
        ),
        migrations.AddField(
            model_name="historicalannualreport",
            name="include_indicators",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Adds the five-year charts and tables of the safety indicators, with the "
                    "change against the previous year and the trend, as an annex."
                ),
                verbose_name="annex with the safety indicators",
            ),
        ),
        migrations.RunPython(include_where_there_are_values, migrations.RunPython.noop),
    ]
