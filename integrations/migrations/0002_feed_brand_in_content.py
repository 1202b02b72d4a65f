# The feed's brand column now points at content.Brand (moved from teams; same table, so state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_brand_moved_from_teams"),
        ("integrations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="feed",
                    name="brand",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="content.brand",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
