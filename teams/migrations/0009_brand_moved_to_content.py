# Brand and BrandAsset now belong to content (content/0006); their tables and rows stay as they are.
# The foreign keys naming teams.Brand are moved first (here, in social/0004 and in integrations/0002), then the state drops it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_brand_moved_from_teams"),
        ("integrations", "0002_feed_brand_in_content"),
        ("social", "0004_socialaccount_brand_in_content"),
        ("teams", "0008_stored_messages_to_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="approvalworkflow",
                    name="brand",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Blank: the team's default workflow. A brand's own workflow wins for its posts.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="approval_workflows",
                        to="content.brand",
                    ),
                ),
                migrations.DeleteModel(name="BrandAsset"),
                migrations.DeleteModel(name="Brand"),
            ],
            database_operations=[],
        ),
    ]
