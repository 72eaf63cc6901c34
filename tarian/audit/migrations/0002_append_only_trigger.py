"""IS4: on PostgreSQL the access log refuses UPDATE and DELETE at the database itself.

SQLite has no such guard (it is the single-user embedded default); the application never
updates or deletes audit rows on either.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION tarian_audit_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accessevent_append_only
  BEFORE UPDATE OR DELETE ON audit_accessevent
  FOR EACH ROW EXECUTE FUNCTION tarian_audit_refuse_change();
CREATE TRIGGER audit_recordversion_append_only
  BEFORE UPDATE OR DELETE ON audit_recordversion
  FOR EACH ROW EXECUTE FUNCTION tarian_audit_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;
DROP TRIGGER IF EXISTS audit_recordversion_append_only ON audit_recordversion;
DROP FUNCTION IF EXISTS tarian_audit_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
