"""On PostgreSQL the database itself refuses UPDATE and DELETE on the moderation audit log, so not
even raw SQL or a bulk path that skips the model can rewrite history. Other databases rely on the
model and queryset guards. (TRUNCATE is left alone: test databases are flushed with it.)"""

from django.db import migrations

TABLE = "moderation_moderationauditevent"

CREATE = f"""
CREATE OR REPLACE FUNCTION moderation_audit_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'moderation audit events are append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS moderation_audit_immutable ON {TABLE};
CREATE TRIGGER moderation_audit_immutable BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION moderation_audit_immutable();
"""

DROP = f"""
DROP TRIGGER IF EXISTS moderation_audit_immutable ON {TABLE};
DROP FUNCTION IF EXISTS moderation_audit_immutable();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
