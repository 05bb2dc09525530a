import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("membership", "0002_signed_memberships_have_a_fee")]

    operations = [
        migrations.AddField(
            model_name="membershipyear",
            name="start_month",
            field=models.PositiveSmallIntegerField(
                default=9,
                help_text="The month the partnership's year starts (9 = September; Haringey's is 4).",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(12),
                ],
            ),
        ),
    ]
