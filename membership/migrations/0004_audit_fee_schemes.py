"""Fee schemes keep a history (issue 13), started for each scheme already there."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from partnership.history import start_history


class Migration(migrations.Migration):

    dependencies = [
        ('membership', '0003_partnership_year_start_month'),
        ('offers', '0005_audit_prices_tiers_practitioners'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalFeeScheme',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('per_pupil', 'Per pupil'), ('by_category', 'By school category'), ('by_pupils', 'Banded by pupils'), ('flat', 'Flat fee')], max_length=12)),
                ('rate', models.DecimalField(blank=True, decimal_places=4, max_digits=12, null=True, verbose_name='rate per pupil')),
                ('minimum', models.DecimalField(blank=True, decimal_places=4, max_digits=12, null=True)),
                ('maximum', models.DecimalField(blank=True, decimal_places=4, max_digits=12, null=True)),
                ('flat_amount', models.DecimalField(blank=True, decimal_places=4, max_digits=12, null=True)),
                ('category_amounts', models.JSONField(blank=True, default=dict, help_text='{"primary": "2100", ...} for by_category')),
                ('bands', models.JSONField(blank=True, default=list, help_text='[{"up_to": 210, "fee": "850"}, {"up_to": null, ...}] in file order')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('tier', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='offers.tier')),
                ('year', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='membership.membershipyear')),
            ],
            options={
                'verbose_name': 'historical fee scheme',
                'verbose_name_plural': 'historical fee schemes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(start_history("membership.FeeScheme", "membership.HistoricalFeeScheme"), migrations.RunPython.noop),
    ]
