"""Budget lines belong to a partnership year (its period), not to a financial year.

Lines loaded before belonged to the financial year their file's academic year starts in:
FY 2026-27 held the 2026/27 file's budget, whose year runs 1 September 2026 to 31 August
2027.
"""

import datetime

from django.db import migrations, models


def _period(financial_year):
    start = int(financial_year[:4])
    return (
        f"{start}/{(start + 1) % 100:02d}",
        datetime.date(start, 9, 1),
        datetime.date(start + 1, 8, 31),
    )


def forwards(apps, schema_editor):
    for name in ("BudgetLine", "HistoricalBudgetLine"):
        model = apps.get_model("finance", name)
        for line in model.objects.all():
            line.budget_year, line.starts_on, line.ends_on = _period(line.financial_year)
            line.save(update_fields=["budget_year", "starts_on", "ends_on"])


class Migration(migrations.Migration):
    dependencies = [("finance", "0007_invoice_billing_labels")]

    operations = [
        migrations.RemoveConstraint(model_name="budgetline", name="one_budget_line_code_per_year"),
        migrations.AddField(
            model_name="budgetline",
            name="budget_year",
            field=models.CharField(max_length=7, null=True),
        ),
        migrations.AddField(
            model_name="budgetline", name="starts_on", field=models.DateField(null=True)
        ),
        migrations.AddField(
            model_name="budgetline", name="ends_on", field=models.DateField(null=True)
        ),
        migrations.AddField(
            model_name="historicalbudgetline",
            name="budget_year",
            field=models.CharField(max_length=7, null=True),
        ),
        migrations.AddField(
            model_name="historicalbudgetline", name="starts_on", field=models.DateField(null=True)
        ),
        migrations.AddField(
            model_name="historicalbudgetline", name="ends_on", field=models.DateField(null=True)
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="budgetline", name="financial_year"),
        migrations.RemoveField(model_name="historicalbudgetline", name="financial_year"),
        migrations.AlterField(
            model_name="budgetline",
            name="budget_year",
            field=models.CharField(
                db_index=True, help_text="The partnership year budgeted, e.g. 2026/27.", max_length=7
            ),
        ),
        migrations.AlterField(
            model_name="budgetline",
            name="starts_on",
            field=models.DateField(help_text="First day of the partnership year."),
        ),
        migrations.AlterField(
            model_name="budgetline",
            name="ends_on",
            field=models.DateField(help_text="Last day of the partnership year."),
        ),
        migrations.AlterField(
            model_name="historicalbudgetline",
            name="budget_year",
            field=models.CharField(
                db_index=True, help_text="The partnership year budgeted, e.g. 2026/27.", max_length=7
            ),
        ),
        migrations.AlterField(
            model_name="historicalbudgetline",
            name="starts_on",
            field=models.DateField(help_text="First day of the partnership year."),
        ),
        migrations.AlterField(
            model_name="historicalbudgetline",
            name="ends_on",
            field=models.DateField(help_text="Last day of the partnership year."),
        ),
        migrations.AlterField(
            model_name="budgetline",
            name="forecast_override",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text=(
                    "A finance officer's forecast for the whole partnership year, replacing "
                    "the calculated one."
                ),
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalbudgetline",
            name="forecast_override",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text=(
                    "A finance officer's forecast for the whole partnership year, replacing "
                    "the calculated one."
                ),
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterModelOptions(
            name="budgetline", options={"ordering": ["budget_year", "kind", "code"]}
        ),
        migrations.AddConstraint(
            model_name="budgetline",
            constraint=models.UniqueConstraint(
                fields=("budget_year", "code"), name="one_budget_line_code_per_budget_year"
            ),
        ),
        migrations.AddConstraint(
            model_name="budgetline",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gt", models.F("starts_on"))),
                name="budget_line_period_ends_after_it_starts",
            ),
        ),
    ]
