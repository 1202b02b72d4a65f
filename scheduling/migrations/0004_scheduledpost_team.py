"""Schedules carry their post's team, so a calendar reads a team's period from one index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_teams(apps, schema_editor):
    ScheduledPost = apps.get_model("scheduling", "ScheduledPost")
    ContentPost = apps.get_model("content", "ContentPost")
    ScheduledPost.objects.update(
        team_id=Subquery(ContentPost.objects.filter(pk=OuterRef("post_id")).values("team_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0003_data_export"),
        ("content", "0001_initial"),
        ("teams", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="scheduledpost",
            name="team",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="teams.team",
            ),
        ),
        migrations.RunPython(copy_teams, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="scheduledpost",
            name="team",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="teams.team"
            ),
        ),
        migrations.AddIndex(
            model_name="scheduledpost",
            index=models.Index(fields=["team", "scheduled_at"], name="scheduling__team_id_433232_idx"),
        ),
    ]
