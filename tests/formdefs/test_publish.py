"""Publishing form versions (SPEC §2: forms are versioned data; an appraisal pins its version)."""

import json
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from aftersales.core.builtin_forms import BUILTIN_TEMPLATES, REPAIR
from aftersales.core.errors import RuleError
from aftersales.core.forms import to_dict
from aftersales.formdefs.models import FormTemplate
from aftersales.formdefs.selectors import published_templates, template_get
from aftersales.formdefs.services import ensure_builtin_templates, template_publish
from tests.cli.forms_cli import run_in_process
from tests.concurrency import race

pytestmark = pytest.mark.django_db
User = get_user_model()


def repair_v2() -> dict:
    """4.3 with a stricter 工作纪律: leaving the post costs 8 and lateness 2."""
    definition = to_dict(REPAIR)
    discipline = definition["sections"][4]
    discipline["items"][0]["deduction"] = "8"
    discipline["items"][1]["deduction"] = "2"
    return definition


@pytest.fixture
def hr():
    user = User.objects.create_user("template-publisher", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="add_formtemplate"))
    return User.objects.get(pk=user.pk)  # fresh instance: permissions are cached per object


def test_migration_seeds_the_builtins_as_version_1():
    rows = FormTemplate.objects.order_by("code").values_list("code", "version")
    assert sorted(rows) == sorted((t.code, 1) for t in BUILTIN_TEMPLATES)
    assert ensure_builtin_templates() == 0  # idempotent


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent transactions: SQLite serialises writers (BEGIN IMMEDIATE)",
)
def test_two_transactions_storing_the_builtins_at_once_both_succeed():
    """Both find no version 1 and store them; the second waits for the first and skips what it stored
    (before: a unique-constraint error, a 500 for whoever published second)."""
    FormTemplate.objects.all().delete()

    def store() -> str:
        with transaction.atomic():
            missing = ensure_builtin_templates()
            time.sleep(0.5)  # hold the transaction open while the other stores too
        return f"found {missing} missing"

    outcomes = race(store, store, refused=IntegrityError)
    assert outcomes == [f"found {len(BUILTIN_TEMPLATES)} missing"] * 2
    rows = FormTemplate.objects.values_list("code", "version")
    assert sorted(rows) == sorted((t.code, 1) for t in BUILTIN_TEMPLATES)


def test_publishing_v2_leaves_v1(hr):
    v1_before = FormTemplate.objects.get(code="repair", version=1).definition
    row = template_publish(definition=repair_v2(), actor=hr, note="工作纪律 stricter")
    assert (row.code, row.version, row.published_by, row.note) == ("repair", 2, hr, "工作纪律 stricter")
    assert row.definition["version"] == 2
    assert FormTemplate.objects.get(code="repair", version=1).definition == v1_before
    assert template_get(code="repair", version=1) == REPAIR
    assert template_get(code="repair").version == 2


def test_published_templates_are_the_latest_versions(hr):
    template_publish(definition=repair_v2(), actor=hr)
    latest = {t.code: t.version for t in published_templates()}
    assert latest == {t.code: 1 for t in BUILTIN_TEMPLATES} | {"repair": 2}
    assert [t.code for t in published_templates()] == [t.code for t in BUILTIN_TEMPLATES]


def test_empty_table_serves_the_builtins():
    FormTemplate.objects.all().delete()
    assert published_templates() == list(BUILTIN_TEMPLATES)
    assert template_get(code="repair") == REPAIR
    assert template_get(code="repair", version=2) is None


def test_invalid_template_is_refused_naming_the_field(hr):
    definition = to_dict(REPAIR)
    definition["sections"][1]["items"][2]["upper"] = "85"  # leaves 85–90 % without a band
    with pytest.raises(RuleError) as caught:
        template_publish(definition=definition, actor=hr)
    assert caught.value.field == "sections[1].items[2].upper"
    assert not FormTemplate.objects.filter(code="repair", version=2).exists()


def test_malformed_definition_is_refused_naming_the_field(hr):
    definition = to_dict(REPAIR) | {"colour": "red"}
    with pytest.raises(RuleError, match=r"^colour: unknown field"):
        template_publish(definition=definition, actor=hr)


def test_publishing_needs_the_permission():
    clerk = User.objects.create_user("clerk", password="pw")
    with pytest.raises(PermissionDenied):
        template_publish(definition=repair_v2(), actor=clerk)
    assert FormTemplate.objects.filter(code="repair").count() == 1


def test_publishing_a_new_form_starts_at_version_1(hr):
    definition = to_dict(REPAIR) | {"code": "repair_trial", "name": "返修人员绩效考核表(试行)"}
    assert template_publish(definition=definition, actor=None).version == 1


def test_templates_show_then_shows_v2(hr, monkeypatch, capsys):
    template_publish(definition=repair_v2(), actor=hr)
    status, out, err = run_in_process(["templates", "show", "repair"], "", monkeypatch, capsys)
    assert (status, err) == (0, "")
    shown = json.loads(out)
    assert shown["version"] == 2
    assert shown["sections"][4]["items"][0]["deduction"] == "8"
    status, out, _ = run_in_process(["templates", "list"], "", monkeypatch, capsys)
    assert {"code": "repair", "name": "返修人员绩效考核表", "version": 2} in json.loads(out)["templates"]


def test_calc_score_uses_v2_and_can_pin_v1(hr, monkeypatch, capsys):
    template_publish(definition=repair_v2(), actor=hr)
    entries = {"work_attitude": "prevents_problems", "work_discipline": ["leave_post"]}
    status, out, _ = run_in_process(
        ["calc", "score"], {"template": "repair", "entries": entries}, monkeypatch, capsys
    )
    assert (status, json.loads(out)["version"], json.loads(out)["form_total"]) == (0, 2, "92")
    pinned = {"template": "repair", "version": 1, "entries": entries}
    status, out, _ = run_in_process(["calc", "score"], pinned, monkeypatch, capsys)
    assert (status, json.loads(out)["version"], json.loads(out)["form_total"]) == (0, 1, "95")


# ---------------------------------------------------------------------------------------------
# Admin: published versions are read-only; adding one publishes it


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("formdefs-admin", password="pw"))
    return client


def test_admin_shows_a_version_read_only(admin_client):
    row = FormTemplate.objects.get(code="repair", version=1)
    page = admin_client.get(reverse("admin:formdefs_formtemplate_change", args=[row.pk]))
    assert page.status_code == 200
    assert "七日返修" in page.content.decode()  # the definition, Chinese unescaped
    assert b'name="definition"' not in page.content
    assert admin_client.post(reverse("admin:formdefs_formtemplate_delete", args=[row.pk])).status_code == 403


def test_admin_add_publishes_the_next_version(admin_client):
    url = reverse("admin:formdefs_formtemplate_add")
    answer = admin_client.post(url, {"definition": json.dumps(repair_v2()), "note": "v2"})
    assert answer.status_code == 302
    assert FormTemplate.objects.get(code="repair", version=2).note == "v2"


def test_admin_add_refuses_an_invalid_definition(admin_client):
    definition = to_dict(REPAIR)
    definition["sections"][0]["points"] = "25"
    del definition["total"]  # optional; when given it must match the sections
    answer = admin_client.post(
        reverse("admin:formdefs_formtemplate_add"), {"definition": json.dumps(definition)}
    )
    assert answer.status_code == 200
    assert "sections: points must sum to 100, not 105" in answer.content.decode()
    assert FormTemplate.objects.filter(code="repair").count() == 1
