"""Pay lines keep the employee's name as of the close (the position they kept already): an archived pay
sheet must not change when the employee is renamed. Existing lines get the name the employee had when
their version was closed (the employee's change history), else the present one.

The lines' guard (0003) refuses any change of a line: it is lifted while the lines are filled
(aftersales.migration_guards) and SQLite's is made again, now guarding the name too.
"""

from collections import defaultdict
from importlib import import_module

from django.db import migrations, models

from aftersales.migration_guards import guard_lifted, old_sqlite_guard
from aftersales.organisation.snapshots import identities_as_of

guard = import_module("aftersales.payroll.migrations.0003_lines_never_change")
TRIGGER = "payroll_closeline_never_changes"
_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (*guard.GUARDED_COLUMNS, "employee_name"))
SQLITE_GUARD = f"""CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON payroll_closeline
    FOR EACH ROW WHEN {_CHANGED}
    BEGIN SELECT RAISE(ABORT, '{guard.MESSAGE}'); END"""
CHUNK = 500


def fill_names(apps, schema_editor):
    with guard_lifted(schema_editor, table="payroll_closeline", trigger=TRIGGER, sqlite_guard=SQLITE_GUARD):
        lines = apps.get_model("payroll", "CloseLine").objects
        rows = list(lines.values_list("id", "employee_id", "version__closed_at"))
        identities = identities_as_of(apps, {(employee, at) for _, employee, at in rows})
        by_name = defaultdict(list)
        for pk, employee, at in rows:
            by_name[identities[employee, at][0]].append(pk)
        for name, pks in by_name.items():
            for start in range(0, len(pks), CHUNK):
                lines.filter(pk__in=pks[start : start + CHUNK]).update(employee_name=name)


def old_guard(apps, schema_editor):
    old_sqlite_guard(schema_editor, trigger=TRIGGER, statements=guard.SQLITE)


class Migration(migrations.Migration):

    dependencies = [
        ('payroll', '0004_close_fen_and_check'),
    ]

    operations = [
        migrations.AddField(
            model_name='closeline',
            name='employee_name',
            field=models.CharField(default='', max_length=100, verbose_name='姓名'),
        ),
        migrations.RunPython(fill_names, old_guard),
    ]
