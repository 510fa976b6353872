"""The stock ledger is append-only (R-9.2): the database itself refuses to change a movement row.

PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE only, because Django empties SQLite
tables with DELETE between tests (PostgreSQL uses TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

MESSAGE = "parts_movement is append-only: post a reversing entry instead"

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION parts_movement_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER parts_movement_append_only BEFORE UPDATE OR DELETE ON parts_movement
    FOR EACH ROW EXECUTE FUNCTION parts_movement_append_only()""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS parts_movement_append_only ON parts_movement",
    "DROP FUNCTION IF EXISTS parts_movement_append_only()",
]
SQLITE = [
    f"""CREATE TRIGGER parts_movement_append_only BEFORE UPDATE ON parts_movement
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS parts_movement_append_only"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("parts", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        )
    ]
