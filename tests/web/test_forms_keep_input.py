"""Forms keep what was typed when validation fails (issue 11, item 6).

One row of ``FORMS`` per form of the app; the harness is ``tests/forms_keep_input.py``. A refused form
comes back (200 or 400) with the broken field — only it — marked invalid and every other posted value
shown again, and nothing written.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.access.cases import World
from tests.appraisal import access_cases as appraisal_cases
from tests.discipline import access_cases as discipline_cases
from tests.formdefs import access_cases as formdefs_cases
from tests.forms_keep_input import FormCase, find_form, invalid_names, shown, values_of
from tests.interviews import access_cases as interview_cases
from tests.parts import access_cases as parts_cases
from tests.payroll import access_cases as payroll_cases
from tests.repair import access_cases as repair_cases
from tests.results import access_cases as results_cases
from tests.service import access_cases as service_cases

pytestmark = pytest.mark.django_db


def _own_employee(username: str):
    return lambda world: {"pk": world.employee(username).pk}


def _employee(username: str):
    return lambda world: {"employee_pk": world.employee(username).pk}


def _filed_appeal(world) -> dict:
    from aftersales.appraisal.models import Appeal

    return {"pk": Appeal.objects.filter(status=Appeal.Status.FILED).latest("pk").pk}


def _accepted_claim(world) -> dict:
    from aftersales.parts.models import SupplierClaim

    claim = SupplierClaim.objects.order_by("pk").first() or SupplierClaim.objects.get(
        **parts_cases._claim_kw(world)
    )
    SupplierClaim.objects.filter(pk=claim.pk).update(status="accepted")
    return {"pk": claim.pk}


def _issued_with_report(world) -> dict:
    """An issued requisition of 赵磊 and his approved report listing the part (the write-off's select)."""
    from tests.parts.conftest import make_report

    kwargs = parts_cases._issued_kw(world)
    make_report(world.employee("engineer"), parts_cases._part(world), approver=world.users["supervisor"])
    return kwargs


def _two_stores(world) -> dict:
    """The central store and a station to transfer to."""
    from tests.factories import StoreFactory

    StoreFactory(code="station", name="服务站", kind="station")
    return parts_cases._store_kw(world)


FORMS = [
    # the steps of an appraisal (SPEC §4), each on the appraisal's page
    # (the self-report of forms 4.1–4.3 takes 工作情况 rows, so no single blank field refuses it; its
    # refusals are tested in tests/appraisal/test_printed_forms.py and test_views.py)
    FormCase(
        "appraisal:detail",
        "head",
        ("comment", ""),
        kwargs=appraisal_cases._pk("scored"),
        post_url="appraisal:return",
        label="appraisal:return",
    ),
    FormCase(
        "appraisal:detail",
        "engineer",
        ("items", []),
        kwargs=appraisal_cases._pk("reviewed"),
        post_url="appraisal:appeal",
        label="appraisal:appeal",
    ),
    FormCase(
        "appraisal:detail",
        "hr",
        ("minutes", ""),
        kwargs=appraisal_cases._pk("appealed"),
        post_url="appraisal:appeal-decide",
        post_kwargs=_filed_appeal,
        data=lambda world: {"decision": "upheld"},
        label="appraisal:appeal-decide",
    ),
    FormCase(
        "parts:requisition-detail",
        "keeper",
        ("old-quantity", "0"),
        kwargs=parts_cases._issued_kw,
        post_url="parts:old-part-return",
    ),
    FormCase(
        "parts:requisition-detail",
        "keeper",
        ("wo-quantity", "0"),
        kwargs=_issued_with_report,
        post_url="parts:write-off",
        label="parts:write-off",
    ),
    FormCase(
        "parts:claim-detail",
        "keeper",
        ("amount", "-5"),
        kwargs=_accepted_claim,
        post_url="parts:claim-step",
        post_kwargs=lambda world: {"pk": _accepted_claim(world)["pk"], "step": "recover"},
        form_id="claim-step",
    ),
    # forms on a detail page that posts elsewhere: a refusal shows the page again (not a redirect)
    FormCase(
        "repair:job-detail",
        "repairlead",
        ("completed_at", "soon"),
        kwargs=repair_cases._job_kw,
        post_url="repair:job-complete",
    ),
    FormCase(
        "service:order-detail",
        "engineer",
        ("at", "soon"),
        kwargs=service_cases._pk(service_cases._order),
        post_url="service:order-milestone",
        label="service:order-milestone",
    ),
    FormCase(
        "service:order-detail",
        "dispatcher",
        ("reason", ""),
        kwargs=service_cases._pk(lambda world: service_cases._order(world, stage="received")),
        post_url="service:order-cancel",
        label="service:order-cancel",
    ),
    FormCase(
        "service:complaint-detail",
        "head",
        ("founded", "maybe"),
        kwargs=service_cases._pk(service_cases._complaint),
        post_url="service:complaint-verify",
    ),
    FormCase(
        "interviews:training-detail",
        "hr",
        ("planned_on", "bad"),
        kwargs=interview_cases._training,
        post_url="interviews:training-plan",
        label="interviews:training-plan",
    ),
    FormCase(
        "interviews:training-detail",
        "hr",
        ("actual_effect", ""),
        kwargs=interview_cases._planned_training,
        post_url="interviews:training-close",
        label="interviews:training-close",
    ),
    FormCase(
        "discipline:cases",
        "hr",
        ("decision", ""),
        post_url="discipline:case-decide",
        post_kwargs=discipline_cases._case,
    ),
    FormCase("appraisal:period-open", "hr", ("year", "1999")),
    FormCase(
        "appraisal:agreement",
        "engineer",
        ("weight", ["abc", "", "", "", ""]),
        kwargs=appraisal_cases._agreement,
        post_url="appraisal:agreement-save",
        data=lambda world: {
            "title": ["巡检", "培训", "", "", ""],
            "weight": ["40", "30", "", "", ""],
            "deadline_requirement": ["月底前", "十五日前", "", "", ""],
            "quality_requirement": ["无遗漏", "考试合格", "", "", ""],
        },
    ),
    FormCase("discipline:propose", "head", ("effective_date", "2026-13-45")),
    FormCase("discipline:reason-create", "hr", ("article", "abc")),
    FormCase("interviews:create", "regional", ("held_on", "not a date"), kwargs=_employee("engineer")),
    FormCase("organisation:employee-new", "hr", ("standard_salary", "-5")),
    FormCase("parts:part-create", "keeper", ("number", ""), kwargs=parts_cases._stocked),
    FormCase("parts:requisition-create", "engineer", ("quantity", "0"), kwargs=parts_cases._stocked),
    FormCase("parts:freight-create", "keeper", ("amount", "abc"), kwargs=parts_cases._stocked),
    FormCase("parts:claim-create", "keeper", ("quantity", "0"), kwargs=parts_cases._stocked),
    FormCase("parts:disposal", "keeper", ("month", "2026-13"), kwargs=parts_cases._store_kw),
    FormCase(
        "parts:part-edit", "keeper", ("number", ""), kwargs=lambda world: {"pk": parts_cases._part(world).pk}
    ),
    FormCase("parts:stocktake-create", "keeper", ("note", "x" * 300), kwargs=parts_cases._store_kw),
    FormCase(
        "parts:receipt-create",
        "keeper",
        ("lines-0-quantity", "-1"),
        kwargs=parts_cases._store_kw,
        data=lambda world: {"lines-0-part": str(parts_cases._part(world).pk)},
    ),
    FormCase(
        "parts:transfer-create",
        "keeper",
        ("lines-0-quantity", "-1"),
        kwargs=_two_stores,
        data=lambda world: {"lines-0-part": str(parts_cases._part(world).pk)},
    ),
    FormCase("payroll:coefficients", "hr", ("value", "abc")),
    FormCase("payroll:settings", "hr", ("rounding_unit", "abc")),
    FormCase("payroll:line-override", "hr", ("grade", "Z"), kwargs=payroll_cases._line_of("engineer")),
    FormCase("formdefs:draft-publish", "hr", ("effective_month", "2027-13"), kwargs=formdefs_cases._draft),
    FormCase("interviews:edit", "regional", ("held_on", "not a date"), kwargs=interview_cases._interview),
    FormCase("organisation:employee-edit", "hr", ("standard_salary", "-5"), kwargs=_own_employee("engineer")),
    FormCase(
        "organisation:new",
        "hr",
        ("code", ""),
        kwargs=lambda world: {"kind": "department"},
        data=lambda world: {"head": ""},
    ),
    FormCase(
        "results:case-detail",
        "hr",
        ("decision", "nonsense"),
        kwargs=results_cases._engineers_case,
        post_url="results:case-decide",
    ),
    FormCase("repair:job-create", "repairlead", ("received_at", "yesterday")),
    FormCase("results:evaluate", "hr", ("month", "13")),
    FormCase("service:order-create", "dispatcher", ("distance_km", "-3")),
    FormCase("service:call-create", "dispatcher", ("received_at", "soon"), data=lambda world: {"order": ""}),
    FormCase(
        "service:complaint-create", "dispatcher", ("received_at", "soon"), data=lambda world: {"order": ""}
    ),
    FormCase(
        "service:order-dispatch",
        "dispatcher",
        ("travel_advance", "-1"),
        kwargs=service_cases._pk(lambda world: service_cases._order(world, stage="received")),
    ),
    FormCase(
        "service:report-edit",
        "engineer",
        ("parts-0-quantity", "-1"),
        kwargs=service_cases._pk(lambda world: service_cases._report(world, complete=False)),
    ),
    FormCase(
        "service:report-sign",
        "engineer",
        ("signed_by", ""),
        kwargs=service_cases._pk(service_cases._report),
    ),
    FormCase(
        "service:report-revise",
        "engineer",
        ("reason", ""),
        kwargs=service_cases._pk(lambda world: service_cases._report(world, signed=True)),
    ),
    FormCase(
        "service:call-detail",
        "support",
        ("answer", ""),
        kwargs=service_cases._pk(service_cases._call),
    ),
    FormCase(
        "service:survey-create",
        "dispatcher",
        ("score", "abc"),
        kwargs=service_cases._pk(lambda world: service_cases._order(world, stage="resolved")),
    ),
    FormCase(
        "service:incident-detail",
        "head",
        ("phoned_at", "soon"),
        kwargs=service_cases._pk(service_cases._incident),
    ),
    FormCase(
        "service:quality-detail", "head", ("response", ""), kwargs=service_cases._pk(service_cases._quality)
    ),
    FormCase("service:incident-create", "dispatcher", ("occurred_at", "soon")),
    FormCase("service:quality-create", "engineer", ("product", "")),
    FormCase("service:phoneoff-list", "regional", ("date", "2026-02-30")),
    # the field records (service.record_kinds): each kind's form on its list, a leader's act
    *(
        FormCase(
            "service:record-list",
            persona,
            broken,
            kwargs=lambda world, kind=kind: {"kind": kind},
            data=lambda world, extra=extra: dict(extra),
            form_id="record-form",
            label=f"record-{kind}",
        )
        for kind, persona, broken, extra in [
            ("routine-reports", "engineer", ("month", "13"), {"content": "月报"}),
            (
                "customer-visits",
                "regional",
                ("date", "2026-02-30"),
                {"customer": "天津公交", "content": "回访"},
            ),
            ("market-info", "engineer", ("date", "2026-02-30"), {"subject": "新车", "content": "降价"}),
            ("attendance", "regional", ("date", "2026-02-30"), {}),
            ("paid-services", "engineer", ("amount", "-5"), {"customer": "A", "content": "清洗"}),
            ("escalations", "engineer", ("found_at", "soon"), {"problem": "批量故障", "proposal": "更换"}),
            ("expense-claims", "engineer", ("returned_on", "2026-02-30"), {"amount": "100"}),
        ]
    ),
    FormCase(
        "service:record-action",
        "regional",
        ("verdict", "nonsense"),
        kwargs=service_cases._record_of_engineer("routine-reports", "review"),
        data=lambda world: {"note": "格式"},
    ),
    FormCase(
        "results:case-detail",
        "hr",
        ("date", "2019-02-30"),
        kwargs=results_cases._engineers_case,
        post_url="results:case-work-report",
        form_id="work-report-form",
        data=lambda world: {"text": "全年回顾"},
        label="work-report",
    ),
]


def _login(client, username: str):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def _post_values(client, case: FormCase, world: World):
    kwargs = case.kwargs(world)
    post_kwargs = case.post_kwargs(world) if case.post_kwargs else kwargs
    page = reverse(case.url, kwargs=kwargs)
    target = reverse(case.post_url, kwargs=post_kwargs) if case.post_url else page
    response = client.get(page)
    assert response.status_code == 200
    values = values_of(find_form(response.content.decode(), target, case.form_id))
    values.update(case.data(world))
    name, bad = case.broken
    values[name] = bad
    return target, values


@pytest.mark.parametrize("case", FORMS, ids=lambda case: case.id)
def test_a_refused_form_comes_back_with_what_was_typed(client, personas, case):
    world = World()
    _login(client, case.persona)
    target, values = _post_values(client, case, world)
    response = client.post(target, values)
    assert response.status_code in (200, 400), "a refused form is shown again, not redirected"
    html = response.content.decode()
    name = case.broken[0]
    assert invalid_names(html) == {name}, "the error names the broken field, and only it"
    for other, value in values.items():
        if other in (name, "csrfmiddlewaretoken", "form_token") or other in case.skip:  # not typed
            continue
        for item in value if isinstance(value, list) else [value]:
            if item:
                assert shown(html, other, item), f"{other}={item!r} was typed and is not shown again"


DATE_VALUES = {
    "date": r"\d{4}-\d{2}-\d{2}",
    "datetime-local": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}",
    "month": r"\d{4}-\d{2}",
}


@pytest.mark.parametrize("case", FORMS, ids=lambda case: case.id)
def test_date_fields_start_with_a_valid_value_or_empty(client, personas, case):
    """A date the browser cannot read shows as empty and is refused on saving (the phone-off page)."""
    from tests.forms_keep_input import parse

    world = World()
    _login(client, case.persona)
    html = client.get(reverse(case.url, kwargs=case.kwargs(world))).content.decode()
    page = parse(html)
    for control in [c for form in page.forms for c in form.controls] + page.loose:
        pattern = DATE_VALUES.get(control.kind)
        value = control.attrs.get("value", "")
        if pattern and value:
            assert re.fullmatch(pattern, value), f"{control.name}={value!r} is not a {control.kind} value"
