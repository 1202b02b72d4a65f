"""Revoked token families move to the database; stored refresh tokens become a hash and their family id."""

import base64
import hashlib
import json

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _family_of(raw: str) -> str:
    try:
        payload = raw.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return str(claims.get("fam") or "")
    except (IndexError, ValueError, TypeError):
        return ""


def seal_outstanding_tokens(apps, schema_editor):
    OutstandingToken = apps.get_model("token_blacklist", "OutstandingToken")
    for row in OutstandingToken.objects.exclude(token__startswith="fam:").only("id", "token").iterator():
        digest = hashlib.sha256(row.token.encode()).hexdigest()
        # Same form as accounts.tokens.stored_token_text (a migration must not import app code).
        OutstandingToken.objects.filter(pk=row.pk).update(token=f"fam:{_family_of(row.token)} sha256:{digest}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_security"),
        ("token_blacklist", "0013_alter_blacklistedtoken_options_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="RevokedTokenFamily",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("family", models.CharField(max_length=64, unique=True)),
                ("revoked_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField(db_index=True)),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        # Irreversible by nature: the tokens themselves are gone, which is the point.
        migrations.RunPython(seal_outstanding_tokens, migrations.RunPython.noop),
    ]
