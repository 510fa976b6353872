"""A close line never changes once written (archived results never change): a correction is a new
close version, never an edited line. The one later act on a line is HR releasing held pay (R-4.3,
R-4.4), which fills in ``released_at``, ``released_by`` and ``release_note`` — nothing else.

``services.pay_release`` is the only code that updates a line; these triggers also stop a queryset
``update()`` or raw SQL. PostgreSQL compares the whole row (``to_jsonb``) minus the release columns
and refuses DELETE too; SQLite lists the columns as of 0002 and refuses UPDATE only (Django empties
SQLite tables with DELETE between tests). Django rebuilds a SQLite table for most ALTERs, which drops
its triggers: a later migration that alters ``payroll_closeline`` must create the SQLite trigger again.
Both raise an integrity error, as the appraisal guard does (appraisal 0002).
"""

from django.db import migrations

MESSAGE = "a close line never changes: re-close the month for a new version"
RELEASE_COLUMNS = ("released_at", "released_by_id", "release_note")
# CloseLine._meta.concrete_fields as of 0002, less the release columns.
GUARDED_COLUMNS = (
    "id",
    "version_id",
    "employee_id",
    "appraisal_id",
    "unit_id",
    "category",
    "position",
    "standard_salary",
    "form_total",
    "discipline_points",
    "final_score",
    "forced",
    "computed_grade",
    "grade_rank",
    "grade_group_size",
    "grade_target",
    "grade_quota",
    "override_grade",
    "override_reason",
    "override_lapsed",
    "standard_pay",
    "factor",
    "pay",
    "is_head",
    "in_pool",
    "held",
    "held_reason",
)

_WITHOUT_RELEASE = "".join(f" - '{column}'" for column in RELEASE_COLUMNS)

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION payroll_closeline_never_changes() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE'
           OR to_jsonb(OLD){_WITHOUT_RELEASE} IS DISTINCT FROM to_jsonb(NEW){_WITHOUT_RELEASE} THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER payroll_closeline_never_changes BEFORE UPDATE OR DELETE ON payroll_closeline
    FOR EACH ROW EXECUTE FUNCTION payroll_closeline_never_changes()""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS payroll_closeline_never_changes ON payroll_closeline",
    "DROP FUNCTION IF EXISTS payroll_closeline_never_changes()",
]
_CHANGED = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in GUARDED_COLUMNS)
SQLITE = [
    f"""CREATE TRIGGER payroll_closeline_never_changes BEFORE UPDATE ON payroll_closeline
    FOR EACH ROW WHEN {_CHANGED}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS payroll_closeline_never_changes"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("payroll", "0002_line_explanation_facts")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        )
    ]
