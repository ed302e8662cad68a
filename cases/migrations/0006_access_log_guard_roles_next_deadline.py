from django.db import migrations
from django.db.models import OuterRef, Subquery

from cases.roles import create_roles

# The access log is append-only in the database itself, not only in the admin.
FORBID_EDITS = """
CREATE OR REPLACE FUNCTION cases_caseaccess_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cases_caseaccess_append_only ON cases_caseaccess;
CREATE TRIGGER cases_caseaccess_append_only BEFORE UPDATE OR DELETE ON cases_caseaccess
    FOR EACH ROW EXECUTE FUNCTION cases_caseaccess_append_only();
"""
ALLOW_EDITS = """
DROP TRIGGER IF EXISTS cases_caseaccess_append_only ON cases_caseaccess;
DROP FUNCTION IF EXISTS cases_caseaccess_append_only();
"""


def forbid_edits(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID_EDITS)


def allow_edits(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_EDITS)


def fill_next_deadline(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("cases", "Deadline")
    first_open = Deadline.objects.filter(case=OuterRef("pk"), status="open").order_by(
        "due_date"
    )
    Case.objects.update(
        next_deadline_date=Subquery(first_open.values("due_date")[:1]),
        next_deadline_kind=Subquery(first_open.values("kind")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_workspace"), ("intake", "0005_claim_translations_filter_indexes")]
    operations = [
        migrations.RunPython(forbid_edits, allow_edits),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(fill_next_deadline, migrations.RunPython.noop),
    ]
