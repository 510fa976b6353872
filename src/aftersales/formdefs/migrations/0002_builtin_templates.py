"""Seed the five built-in forms of SPEC §2 as version 1 (idempotent: codes already stored are skipped)."""

from django.db import migrations


def seed_builtin_templates(apps, schema_editor):
    from aftersales.formdefs.services import ensure_builtin_templates

    ensure_builtin_templates(apps.get_model("formdefs", "FormTemplate"))


class Migration(migrations.Migration):
    dependencies = [("formdefs", "0001_initial")]

    operations = [migrations.RunPython(seed_builtin_templates, migrations.RunPython.noop)]
