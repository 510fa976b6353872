"""An archived appraisal keeps the name, position and direct supervisor the employee had when it was
archived (R-4.1): the form and its PDF must not change when the employee is renamed or moves. Existing
archived forms get them as of their archive (the employee's change history, else the present record).

The archived guard (0002) refuses any change of an archived row: it is lifted while they are filled
(aftersales.migration_guards) and SQLite's is made again, now guarding the three new columns too.
"""

from importlib import import_module

from django.db import migrations, models

from aftersales.migration_guards import guard_lifted, old_sqlite_guard
from aftersales.organisation.snapshots import identities_as_of

guard = import_module("aftersales.appraisal.migrations.0002_archived_guard")
TRIGGER = "appraisal_archived_never_changes"
NEW_COLUMNS = ("archived_name", "archived_position", "archived_supervisor")
_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (*guard.GUARDED_COLUMNS, *NEW_COLUMNS))
SQLITE_GUARD = f"""CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON appraisal_appraisal
    FOR EACH ROW WHEN OLD.state = 'archived' AND ({_CHANGED})
    BEGIN SELECT RAISE(ABORT, '{guard.MESSAGE}'); END"""


def fill_identities(apps, schema_editor):
    with guard_lifted(schema_editor, table="appraisal_appraisal", trigger=TRIGGER, sqlite_guard=SQLITE_GUARD):
        appraisals = apps.get_model("appraisal", "Appraisal").objects.filter(state="archived")
        archived_at = dict(
            apps.get_model("appraisal", "Transition")
            .objects.filter(to_state="archived")
            .order_by("appraisal_id", "at")
            .values_list("appraisal_id", "at")
        )
        rows = [
            (pk, employee, archived_at.get(pk, updated))
            for pk, employee, updated in appraisals.values_list("id", "employee_id", "updated_at")
        ]
        identities = identities_as_of(apps, {(employee, at) for _, employee, at in rows})
        positions = dict(apps.get_model("organisation", "Position").objects.values_list("id", "name"))
        names = dict(apps.get_model("organisation", "Employee").objects.values_list("id", "name"))
        for pk, employee, at in rows:
            name, position, supervisor = identities[employee, at]
            appraisals.filter(pk=pk).update(
                archived_name=name,
                archived_position=positions.get(position, ""),
                archived_supervisor=names.get(supervisor, "") if supervisor else "",
            )


def old_guard(apps, schema_editor):
    old_sqlite_guard(schema_editor, trigger=TRIGGER, statements=guard.SQLITE)


class Migration(migrations.Migration):

    dependencies = [
        ('appraisal', '0003_transition_on_behalf'),
    ]

    operations = [
        migrations.AddField(
            model_name='appraisal',
            name='archived_name',
            field=models.CharField(blank=True, max_length=100, verbose_name='归档时姓名'),
        ),
        migrations.AddField(
            model_name='appraisal',
            name='archived_position',
            field=models.CharField(blank=True, max_length=100, verbose_name='归档时职位'),
        ),
        migrations.AddField(
            model_name='appraisal',
            name='archived_supervisor',
            field=models.CharField(blank=True, max_length=100, verbose_name='归档时直接主管'),
        ),
        migrations.AddField(
            model_name='historicalappraisal',
            name='archived_name',
            field=models.CharField(blank=True, max_length=100, verbose_name='归档时姓名'),
        ),
        migrations.AddField(
            model_name='historicalappraisal',
            name='archived_position',
            field=models.CharField(blank=True, max_length=100, verbose_name='归档时职位'),
        ),
        migrations.AddField(
            model_name='historicalappraisal',
            name='archived_supervisor',
            field=models.CharField(blank=True, max_length=100, verbose_name='归档时直接主管'),
        ),
        migrations.RunPython(fill_identities, old_guard),
    ]
