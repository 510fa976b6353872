"""Reads of the parts area (SPEC §9), and who may see and act on what (R-1.1).

Scope: warehouse keepers (库管) see and operate the stores of their department; the department head
sees them; HR and admins see every store. Engineers see their own requisitions and open items,
supervisors their team's (``employees_visible_to``). Lists filter in the queryset, never after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from aftersales.organisation import roles
from aftersales.organisation.access import (
    AnyUser,
    Who,
    employee_of,
    employees_visible_to,
    has_role,
    headed_departments,
    is_company_wide,
    viewer_for,
)
from aftersales.organisation.models import Department, Employee
from aftersales.parts.models import (
    FreightCharge,
    Movement,
    OldPartReturn,
    Part,
    Receipt,
    Requisition,
    StockBalance,
    Stocktake,
    Store,
    SupplierClaim,
    WriteOff,
)

# Days an engineer has to bring the old part back after the new one is issued (§11: past the
# deadline, an open item suggests the 配件管理 deduction). A setting.
OLD_PART_RETURN_DAYS = getattr(settings, "AFTERSALES_OLD_PART_RETURN_DAYS", 30)


# ---------------------------------------------------------------------------------------------
# Scope


def _department_chain(department: Department) -> set[int]:
    """The department and every department above it (a unit belongs to its department's stores)."""
    chain = {department.pk}
    parent_id = department.parent_id
    while parent_id is not None and parent_id not in chain:
        chain.add(parent_id)
        parent_id = Department.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return chain


def _cached(user: Who, name: str, compute: Any) -> Any:
    """A per-request memo (the request's viewer keeps it)."""
    return viewer_for(user).memo(f"parts.{name}", compute)


def _home_departments(user: Who) -> set[int]:
    me = employee_of(user)
    return set() if me is None else _department_chain(me.department)


def stores_operated_by(user: AnyUser) -> QuerySet[Store]:
    """Stores where ``user`` keeps the books (库管): receipts, issues, write-offs, stocktakes."""
    if has_role(user, roles.ADMIN):
        return Store.objects.all()
    if not has_role(user, roles.WAREHOUSE):
        return Store.objects.none()
    return Store.objects.filter(department_id__in=_cached(user, "home", lambda: _home_departments(user)))


def stores_visible_to(user: Who) -> QuerySet[Store]:
    """Stores whose ledgers ``user`` may read: keepers, the department head, HR and admins."""
    if is_company_wide(user):
        return Store.objects.all()
    departments: set[int] = set()
    if has_role(user, roles.WAREHOUSE):
        departments |= _cached(user, "home", lambda: _home_departments(user))
    me = employee_of(user)
    if me is not None and has_role(user, roles.HEAD):
        departments |= headed_departments(user)
    return Store.objects.filter(department_id__in=departments)


def stores_for_requisition(user: Who) -> QuerySet[Store]:
    """Stores an engineer may request parts from: those of their own department."""
    return Store.objects.filter(department_id__in=_cached(user, "home", lambda: _home_departments(user)))


def reads_ledgers(user: Who) -> bool:
    """Whether ``user`` may open the store ledgers and supplier claims (keepers, their heads, HR)."""
    return stores_visible_to(user).exists()


def may_request_parts(user: Who) -> bool:
    """Whether ``user`` may propose a requisition (领料申请): an employee with a store to ask."""
    return employee_of(user) is not None and stores_for_requisition(user).exists()


def staff_of(stores: QuerySet[Store]) -> QuerySet[Employee]:
    """The current employees of the stores' departments and their units (e.g. freight handlers)."""
    departments = stores.values("department")
    staff = Employee.objects.filter(Q(department__in=departments) | Q(department__parent__in=departments))
    return staff.filter(active_to__isnull=True).order_by("number")


def reaches_parts(user: Who) -> bool:
    """Whether the parts area is any of ``user``'s business (an outsider's department has no store)."""
    if is_company_wide(user):
        return True
    return stores_for_requisition(user).exists() or stores_visible_to(user).exists()


def get_store_for_user(user: AnyUser, pk: int) -> Store:
    return _get(stores_visible_to(user).select_related("department", "region"), pk)


def get_store_operated_by(user: AnyUser, pk: int) -> Store:
    return _get(stores_operated_by(user).select_related("department", "region"), pk)


def _get(queryset: QuerySet[Any], pk: int) -> Any:
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------------------------------------
# Catalogue and ledgers


def part_list(*, search: str = "") -> QuerySet[Part]:
    parts = Part.objects.select_related("supplier")
    if search:
        parts = parts.filter(Q(number__icontains=search) | Q(name__icontains=search))
    return parts


def store_list(*, user: AnyUser) -> QuerySet[Store]:
    """Visible stores with their totals per stock (one query)."""
    totals = {
        stock: Coalesce(Sum("balances__quantity", filter=Q(balances__stock=stock)), 0)
        for stock in Movement.Stock.values
    }
    return stores_visible_to(user).select_related("region").annotate(**totals)


def balance_list(*, stores: QuerySet[Store], part: Part | None = None) -> QuerySet[StockBalance]:
    balances = StockBalance.objects.filter(store__in=stores).select_related("store", "part")
    return balances.filter(part=part) if part is not None else balances


def holdings(*, store: Store) -> list[dict[str, Any]]:
    """One row per part with a balance in the store: on hand, on loan, old (一次查询)."""
    rows: dict[int, dict[str, Any]] = {}
    for balance in StockBalance.objects.filter(store=store).select_related("part").order_by("part__number"):
        row = rows.setdefault(
            balance.part_id, {"part": balance.part, **dict.fromkeys(Movement.Stock.values, 0)}
        )
        row[balance.stock] = balance.quantity
    return [row for row in rows.values() if any(row[stock] for stock in Movement.Stock.values)]


LEDGER_ORDER = ("-at", "-id")  # newest first: by the time of the movement, then the order of entry


def movement_list(*, stores: QuerySet[Store]) -> QuerySet[Movement]:
    """A ledger's movements, newest first (time, then entry order: deterministic for equal times)."""
    movements = Movement.objects.filter(store__in=stores).select_related("store", "part", "actor")
    return movements.order_by(*LEDGER_ORDER)


def get_receipt_for_user(user: AnyUser, pk: int) -> Receipt:
    receipts = Receipt.objects.filter(store__in=stores_visible_to(user))
    return _get(
        receipts.select_related("store", "supplier", "received_by").prefetch_related("lines__part"), pk
    )


def get_stocktake_for_user(user: AnyUser, pk: int) -> Stocktake:
    stocktakes = Stocktake.objects.filter(store__in=stores_visible_to(user))
    return _get(stocktakes.select_related("store", "counted_by").prefetch_related("lines__part"), pk)


# ---------------------------------------------------------------------------------------------
# Requisitions and open items


def _sum_of(model: Any) -> Coalesce:
    rows = (
        model.objects.filter(requisition=OuterRef("pk")).values("requisition").annotate(total=Sum("quantity"))
    )
    return Coalesce(Subquery(rows.values("total")[:1], output_field=IntegerField()), Value(0))


def _with_progress(requisitions: QuerySet[Requisition]) -> QuerySet[Requisition]:
    """Annotate how much was written off and how many old parts came back."""
    return requisitions.annotate(
        written_off=_sum_of(WriteOff), returned=_sum_of(OldPartReturn)
    ).select_related("engineer", "store", "part", "work_order")


def requisitions_visible_to(user: AnyUser) -> QuerySet[Requisition]:
    """Own requisitions, the team's (supervisor), the department's (head), all (HR), and those of
    the stores ``user`` keeps."""
    scope = Q(engineer__in=employees_visible_to(user).values("pk")) | Q(store__in=stores_operated_by(user))
    return _with_progress(Requisition.objects.filter(scope))


def requisition_list(*, user: AnyUser, status: str = "") -> QuerySet[Requisition]:
    requisitions = requisitions_visible_to(user)
    return requisitions.filter(status=status) if status else requisitions


def get_requisition_for_user(user: AnyUser, pk: int) -> Requisition:
    return _get(requisitions_visible_to(user).select_related("decided_by", "issued_by"), pk)


def awaiting_approval(*, user: AnyUser) -> QuerySet[Requisition]:
    """Proposed requisitions of the people ``user`` leads."""
    me = employee_of(user)
    if me is None:
        return Requisition.objects.none()
    team = Q(engineer__supervisor=me) | Q(engineer__department_id__in=headed_departments(user))
    proposed = Requisition.objects.filter(team, status=Requisition.Status.PROPOSED).exclude(engineer=me)
    return _with_progress(proposed)


@dataclass(frozen=True)
class OpenItem:
    """A warranty part issued to an engineer and not yet written off (R-9.3, §11)."""

    requisition: Requisition
    outstanding: int  # issued, not yet written off
    old_parts_missing: int  # issued, old part not yet returned
    age_days: int  # days since the part was issued
    overdue: bool  # old part still missing past OLD_PART_RETURN_DAYS


def open_items(*, requisitions: QuerySet[Requisition], now: datetime | None = None) -> list[OpenItem]:
    """Issued requisitions that are not settled, oldest first (one query)."""
    now = now or timezone.now()
    unsettled = requisitions.filter(status=Requisition.Status.ISSUED).filter(
        Q(written_off__lt=F("quantity")) | Q(returned__lt=F("quantity"))
    )
    items = []
    for requisition in unsettled.order_by("issued_at", "pk"):
        age = now - cast(datetime, requisition.issued_at)  # issued
        missing = requisition.quantity - requisition.returned  # type: ignore[attr-defined]  # annotated
        items.append(
            OpenItem(
                requisition,
                requisition.quantity - requisition.written_off,  # type: ignore[attr-defined]
                missing,
                age.days,
                missing > 0 and age > timedelta(days=OLD_PART_RETURN_DAYS),
            )
        )
    return items


def parts_open_items_for(employee: Employee, *, as_of: datetime | None = None) -> list[OpenItem]:
    """§11 selector: the employee's warranty parts issued but not written off / old part not returned
    as of ``as_of`` (default now); ``overdue`` marks those past the old-part return deadline."""
    as_of = as_of or timezone.now()
    issued = Requisition.objects.filter(engineer=employee, issued_at__lte=as_of)
    return open_items(requisitions=_with_progress(issued), now=as_of)


# ---------------------------------------------------------------------------------------------
# Freight and claims


def freight_visible_to(user: AnyUser) -> QuerySet[FreightCharge]:
    """Freight charges of the people ``user`` sees, and those of the stores ``user`` sees."""
    scope = Q(handler__in=employees_visible_to(user).values("pk")) | Q(store__in=stores_visible_to(user))
    return FreightCharge.objects.filter(scope).select_related(
        "store", "handler", "requisition", "leader_signed_by"
    )


def get_freight_for_user(user: AnyUser, pk: int) -> FreightCharge:
    return _get(freight_visible_to(user), pk)


def claims_visible_to(user: AnyUser) -> QuerySet[SupplierClaim]:
    """Supplier claims are the stores' business: keepers, the head, HR."""
    claims = SupplierClaim.objects.filter(store__in=stores_visible_to(user))
    return claims.select_related("store", "supplier", "part", "created_by")


def get_claim_for_user(user: AnyUser, pk: int) -> SupplierClaim:
    return _get(claims_visible_to(user), pk)


def get_movement_operated_by(user: Any, pk: int) -> Movement:
    """A ledger row of a store the user keeps (to reverse it), or 404."""
    movements = Movement.objects.filter(store__in=stores_operated_by(user)).select_related("store", "part")
    movement = movements.filter(pk=pk).first()
    if movement is None:
        raise Http404
    return movement
