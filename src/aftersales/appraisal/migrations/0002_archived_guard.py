"""An archived appraisal never changes (R-4.1): the database itself refuses to change an archived row.

``Appraisal.save()/delete()`` refuse it already; these triggers also stop a queryset ``update()`` or
raw SQL. Allowed on an archived row: ``interview_missing`` (it holds or releases pay, not the form,
R-4.4) and ``updated_at`` — the same two as ``Appraisal._MUTABLE_WHEN_ARCHIVED``.

PostgreSQL compares the whole row (``to_jsonb``) minus those two columns, so a column added later is
guarded without touching this trigger, and refuses DELETE of an archived row too. SQLite lists the
columns as they are in 0001 (a new column needs a new trigger) and refuses UPDATE only, because Django
empties SQLite tables with DELETE between tests (PostgreSQL uses TRUNCATE, which row triggers do not
see). Note that Django rebuilds a SQLite table for most ALTERs, which drops its triggers: a later
migration that alters ``appraisal_appraisal`` must create the SQLite trigger again.

Both raise an integrity error (SQLite's RAISE(ABORT) is a constraint error; PostgreSQL's is given
SQLSTATE 23001 restrict_violation), so Django raises ``django.db.utils.IntegrityError`` on both.
"""

from django.db import migrations

MESSAGE = "an archived appraisal never changes (R-4.1)"
MUTABLE_WHEN_ARCHIVED = ("interview_missing", "updated_at")
# Appraisal._meta.concrete_fields as of 0001, less the two above.
GUARDED_COLUMNS = (
    "id",
    "period_id",
    "employee_id",
    "template_code",
    "template_version",
    "state",
    "version",
    "is_current",
    "previous_id",
    "self_report",
    "entries",
    "section_scores",
    "supervisor_comment",
    "form_total",
    "discipline_points",
    "final_score",
    "grade",
    "reviewed_at",
    "seen_at",
    "confirmed_at",
    "confirmed_channel",
    "confirmation_evidence",
    "created_at",
)

_WITHOUT_MUTABLE = "".join(f" - '{column}'" for column in MUTABLE_WHEN_ARCHIVED)

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION appraisal_archived_never_changes() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE'
           OR to_jsonb(OLD){_WITHOUT_MUTABLE} IS DISTINCT FROM to_jsonb(NEW){_WITHOUT_MUTABLE} THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER appraisal_archived_never_changes BEFORE UPDATE OR DELETE ON appraisal_appraisal
    FOR EACH ROW WHEN (OLD.state = 'archived') EXECUTE FUNCTION appraisal_archived_never_changes()""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS appraisal_archived_never_changes ON appraisal_appraisal",
    "DROP FUNCTION IF EXISTS appraisal_archived_never_changes()",
]
_CHANGED = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in GUARDED_COLUMNS)
SQLITE = [
    f"""CREATE TRIGGER appraisal_archived_never_changes BEFORE UPDATE ON appraisal_appraisal
    FOR EACH ROW WHEN OLD.state = 'archived' AND ({_CHANGED})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS appraisal_archived_never_changes"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        )
    ]
