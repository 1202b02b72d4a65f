# Approval workflows, decisions, comments, tasks and client links now belong to content (content/0007);
# their tables and rows stay as they are. Only teams' migration state lets go of them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0007_collaboration_moved_from_teams"),
        ("teams", "0009_brand_moved_to_content"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # Rows that point at others go first, so each deletion leaves no dangling reference.
                migrations.DeleteModel(name="ClientApprovalLink"),
                migrations.DeleteModel(name="ApprovalDecision"),
                migrations.DeleteModel(name="ApprovalStage"),
                migrations.DeleteModel(name="ApprovalWorkflow"),
                migrations.DeleteModel(name="PostComment"),
                migrations.DeleteModel(name="Task"),
            ],
            database_operations=[],
        ),
    ]
