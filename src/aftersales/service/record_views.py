"""Pages of the field records (``record_kinds.KINDS``): one list per kind with its month and employee
filters, its .xlsx export and the form that records one; a page per leader's act on a record.

Employees record their own (attendance: their leader); a record outside the user's scope is 404, an act
they may not take 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from aftersales.service import access
from aftersales.service.models import WorkOrder
from aftersales.service.record_forms import RecordFilterForm
from aftersales.service.record_kinds import KINDS, RecordAction, RecordKind
from aftersales.service.record_services import may_lead
from aftersales.ui.exporting import wants_xlsx, xlsx_response

PAGE_SIZE = 25


def kind_of(slug: str) -> RecordKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def filtered(kind: RecordKind, user: Any, data: Any) -> QuerySet[Any]:
    """The kind's records the user may see, narrowed by the month and employee filters."""
    filters = RecordFilterForm(data).filters()
    records = kind.queryset(user)
    if month := filters.get("month"):
        day = f"{kind.date_field}__date" if kind.date_field.endswith("_at") else kind.date_field
        records = records.filter(**{f"{day}__gte": month.start.date(), f"{day}__lt": month.end.date()})
    if q := filters.get("q"):
        records = records.filter(Q(employee__number__icontains=q) | Q(employee__name__icontains=q))
    return records


def own_orders(user: Any) -> QuerySet[WorkOrder]:
    me = access.reach(user).me
    if me is None:
        return WorkOrder.objects.none()
    return WorkOrder.objects.filter(assignments__engineer=me).order_by("-received_at")


@login_required
def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = kind_of(kind)
    user = request.user
    records = filtered(spec, user, request.GET)
    if wants_xlsx(request):
        return xlsx_response(name=spec.slug, columns=spec.columns, rows=records)
    may_create = spec.may_create(user)
    form = spec.form(request.POST or None, orders=own_orders(user), employees=access.employees_led_by(user))
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                spec.create(user, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已记录。"))
                return redirect("service:record-list", kind=spec.slug)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "kind": spec,
        "page": page,
        "rows": [_row(spec, user, record) for record in page.object_list],
        "headers": [header for header, _value in spec.columns],
        "form": form if may_create else None,
        "filter_form": RecordFilterForm(request.GET),
    }
    return render(request, "service/record_list.html", context)


def _row(spec: RecordKind, user: Any, record: Any) -> dict[str, Any]:
    """One line of the list: its cells and the acts the user may take on it now."""
    acts = [a for a in spec.actions if a.open(record)] if may_lead(user, record.employee) else []
    return {"record": record, "cells": [value(record) for _header, value in spec.columns], "actions": acts}


@login_required
def record_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    spec = kind_of(kind)
    act = spec.action(action)
    if act is None:
        raise Http404
    record = get_object_or_404(spec.queryset(request.user), pk=pk)
    if not may_lead(request.user, record.employee):
        raise PermissionDenied
    form = act.form(request.POST or None)
    if request.method == "POST" and form.is_valid() and _done(request, act, record, form):
        return redirect("service:record-list", kind=spec.slug)
    title = f"{act.label} · {spec.title} · {record.employee.name}"
    return render(request, "service/simple_form.html", {"form": form, "title": title})


def _done(request: HttpRequest, act: RecordAction, record: Any, form: Any) -> bool:
    try:
        act.run(record, request.user, form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("已记录。"))
    return True
