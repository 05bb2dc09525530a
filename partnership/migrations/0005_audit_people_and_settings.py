"""People's accounts, their second factors and the partnership's settings keep a history
(issue 13): each one already there gets its "created" row to start it."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from partnership.history import start_history


class Migration(migrations.Migration):

    dependencies = [
        ('mfa', '0003_authenticator_type_uniq'),
        ('partnership', '0004_database_cache_table'),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalAuthenticator',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('type', models.CharField(choices=[('recovery_codes', 'Recovery codes'), ('totp', 'TOTP Authenticator'), ('webauthn', 'WebAuthn')], max_length=20)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical authenticator',
                'verbose_name_plural': 'historical authenticators',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPartnership',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('la_code', models.CharField(max_length=3, verbose_name='LA code')),
                ('la_name', models.CharField(max_length=100, verbose_name='local authority')),
                ('legal_form', models.CharField(choices=[('la_trading_account', 'A trading account inside the council'), ('company', 'A schools-led company')], default='la_trading_account', max_length=20)),
                ('vat_rate', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=5, verbose_name='default VAT rate (%)')),
                ('invoice_prefix', models.CharField(default='INV', max_length=10)),
                ('credit_note_prefix', models.CharField(default='CN', max_length=10)),
                ('payment_terms_days', models.PositiveSmallIntegerField(default=30)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical partnership',
                'verbose_name_plural': 'historical partnerships',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalUser',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('password_set', models.BooleanField(default=False)),
                ('email', models.EmailField(db_index=True, max_length=254, verbose_name='email address')),
                ('role', models.CharField(choices=[('headteacher', 'Headteacher or school business manager'), ('coordinator', 'Partnership coordinator'), ('finance', 'LA finance officer'), ('board', 'Board member'), ('practitioner', 'Practitioner (LLE, SLE, adviser)')], default='headteacher', max_length=20)),
                ('job_title', models.CharField(blank=True, max_length=100)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical user',
                'verbose_name_plural': 'historical users',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(start_history("partnership.User", "partnership.HistoricalUser", written_at="date_joined"), migrations.RunPython.noop),
        migrations.RunPython(start_history("mfa.Authenticator", "partnership.HistoricalAuthenticator", written_at="created_at"), migrations.RunPython.noop),
        migrations.RunPython(start_history("partnership.Partnership", "partnership.HistoricalPartnership"), migrations.RunPython.noop),
    ]
