# Brand and BrandAsset move from teams to content (state only): their tables keep their names
# (teams_brand, teams_brandasset) and their rows. teams/0009 removes them from teams' state.

import uuid

import django.db.models.deletion
from django.db import migrations, models

import content.models

MOVED = ("brand", "brandasset")


def relabel(apps, schema_editor, old="teams", new="content"):
    """Permissions and activity lines name the model by app label: keep them pointing at the same rows."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ActivityEvent = apps.get_model("teams", "ActivityEvent")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        ActivityEvent.objects.filter(target_type=f"{old}.{model}").update(target_type=f"{new}.{model}")


def relabel_back(apps, schema_editor):
    relabel(apps, schema_editor, old="content", new="teams")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_tracked_links"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("teams", "0006_notification_moderation_case_event"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Brand",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("name", models.CharField(max_length=120)),
                        ("voice", models.TextField(blank=True, help_text="How the brand sounds, in a few sentences.")),
                        ("words_to_use", models.JSONField(blank=True, default=list)),
                        ("words_to_avoid", models.JSONField(blank=True, default=list)),
                        ("example_posts", models.JSONField(blank=True, default=list)),
                        ("default_hashtags", models.JSONField(blank=True, default=list)),
                        (
                            "team",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="brands", to="teams.team"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "teams_brand",
                        "ordering": ["name"],
                        "constraints": [
                            models.UniqueConstraint(fields=("team", "name"), name="brand_unique_team_name")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="BrandAsset",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=[("logo", "Logo"), ("color", "Colour"), ("file", "File")], max_length=10
                            ),
                        ),
                        ("name", models.CharField(max_length=120)),
                        (
                            "file",
                            models.FileField(blank=True, max_length=300, upload_to=content.models.brand_asset_path),
                        ),
                        ("color", models.CharField(blank=True, help_text="#RRGGBB, for colours.", max_length=7)),
                        ("content_type", models.CharField(blank=True, max_length=100)),
                        ("size", models.PositiveIntegerField(default=0)),
                        (
                            "brand",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="assets", to="content.brand"
                            ),
                        ),
                    ],
                    options={"db_table": "teams_brandasset", "ordering": ["kind", "name"]},
                ),
                migrations.AlterField(
                    model_name="contentpost",
                    name="brand",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="posts",
                        to="content.brand",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, relabel_back),
    ]
