"""Parts actions (SPEC §9): the warranty-part flow R-9.3, the ledger rules R-9.2, R-9.4, R-9.5."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone

from aftersales.core.errors import RuleError
from aftersales.core.periods import Month
from aftersales.core.stock import InsufficientStock
from aftersales.organisation.models import Employee
from aftersales.parts import services
from aftersales.parts.models import Movement, StockBalance, SupplierClaim
from aftersales.parts.selectors import holdings, parts_open_items_for
from tests.parts.conftest import make_report

pytestmark = pytest.mark.django_db


def balance(store, part, stock="on_hand"):
    row = StockBalance.objects.filter(store=store, part=part, stock=stock).first()
    return row.quantity if row else 0


def ledger_sum(store, part, stock="on_hand"):
    total = Movement.objects.filter(store=store, part=part, stock=stock).aggregate(t=Sum("quantity"))["t"]
    return total or 0


def assert_balances_are_sums():
    for row in StockBalance.objects.filter(part__number="T-001"):
        assert row.quantity == ledger_sum(row.store, row.part, row.stock)


def issued(users, store, part, quantity=1, engineer="engineer"):
    requisition = services.requisition_propose(
        store=store, part=part, quantity=quantity, reason="更换故障继电器", actor=users[engineer]
    )
    services.requisition_approve(requisition=requisition, actor=users["regional"])
    return services.requisition_issue(requisition=requisition, actor=users["keeper"])


# --- receipts and transfers ------------------------------------------------------------------------


def test_r9_2_receipt_posts_a_movement_with_who_when_why(users, stocked, part):
    (movement,) = Movement.objects.filter(store=stocked, part=part)
    assert (movement.kind, movement.quantity, movement.balance_after) == ("receipt", 5, 5)
    assert movement.actor == users["keeper"]
    assert movement.reason == "首批到货"
    assert movement.reference.startswith("JS")
    assert movement.at is not None
    assert balance(stocked, part) == 5


@pytest.mark.parametrize("who", ["engineer", "regional", "head", "hr", "outsider"])
def test_r1_1_only_the_warehouse_keeper_receives(users, stores, part, who):
    with pytest.raises(PermissionDenied):
        services.receipt_create(store=stores[0], lines=[(part, 1)], actor=users[who])
    assert not Movement.objects.filter(store=stores[0]).exists()


def test_r9_2_transfer_to_a_station_keeps_its_own_ledger(users, stocked, stores, part):
    services.transfer_create(from_store=stocked, to_store=stores[1], lines=[(part, 2)], actor=users["keeper"])
    assert (balance(stocked, part), balance(stores[1], part)) == (3, 2)
    kinds = list(
        Movement.objects.filter(part=part).order_by("id").values_list("store__code", "kind", "quantity")
    )
    assert kinds[1:] == [("t-central", "transfer_out", -2), ("t-station", "transfer_in", 2)]


def test_r9_2_transfer_of_more_than_held_is_refused_and_leaves_nothing(users, stocked, stores, part):
    before = Movement.objects.filter(part=part).count()
    with pytest.raises(InsufficientStock):
        services.transfer_create(
            from_store=stocked, to_store=stores[1], lines=[(part, 6)], actor=users["keeper"]
        )
    assert Movement.objects.filter(part=part).count() == before
    assert balance(stores[1], part) == 0


# --- requisitions (R-9.3) ----------------------------------------------------------------------------


def test_r9_3_engineer_proposes_leader_approves_store_issues(users, stocked, part):
    mail.outbox.clear()
    requisition = services.requisition_propose(
        store=stocked, part=part, quantity=2, reason="更换继电器", actor=users["engineer"]
    )
    assert requisition.status == "proposed"
    assert requisition.engineer.user == users["engineer"]
    services.requisition_approve(requisition=requisition, actor=users["regional"], note="同意")
    services.requisition_issue(requisition=requisition, actor=users["keeper"])
    requisition.refresh_from_db()
    assert (requisition.status, requisition.decided_by, requisition.issued_by) == (
        "issued",
        users["regional"],
        users["keeper"],
    )
    assert (balance(stocked, part), balance(stocked, part, "on_loan")) == (3, 2)
    assert requisition.history.count() == 3  # proposed, approved, issued: who and when of each step


def test_r9_3_leader_is_notified_when_the_proposal_is_committed(
    users, stocked, part, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.requisition_propose(
            store=stocked, part=part, quantity=1, reason="备件", actor=users["engineer"]
        )
    assert [message.to for message in mail.outbox] == [["regional@example.com"]]


@pytest.mark.parametrize("who", ["engineer", "engineer2", "keeper", "technician"])
def test_r9_3_only_the_engineers_leader_approves(users, stocked, part, who):
    requisition = services.requisition_propose(
        store=stocked, part=part, quantity=1, reason="x", actor=users["engineer"]
    )
    with pytest.raises(PermissionDenied):
        services.requisition_approve(requisition=requisition, actor=users[who])


def test_r9_3_the_head_may_approve_too(users, stocked, part):
    requisition = services.requisition_propose(
        store=stocked, part=part, quantity=1, reason="x", actor=users["engineer"]
    )
    assert services.requisition_approve(requisition=requisition, actor=users["head"]).status == "approved"


def test_r9_3_issue_needs_an_approved_requisition(users, stocked, part):
    requisition = services.requisition_propose(
        store=stocked, part=part, quantity=1, reason="x", actor=users["engineer"]
    )
    with pytest.raises(RuleError):
        services.requisition_issue(requisition=requisition, actor=users["keeper"])
    services.requisition_reject(requisition=requisition, actor=users["regional"], note="无需更换")
    with pytest.raises(RuleError):
        services.requisition_issue(requisition=requisition, actor=users["keeper"])
    with pytest.raises(RuleError):
        services.requisition_approve(requisition=requisition, actor=users["regional"])


def test_r9_3_only_the_keeper_issues(users, stocked, part):
    requisition = services.requisition_propose(
        store=stocked, part=part, quantity=1, reason="x", actor=users["engineer"]
    )
    services.requisition_approve(requisition=requisition, actor=users["regional"])
    for who in ["engineer", "regional", "head"]:
        with pytest.raises(PermissionDenied):
            services.requisition_issue(requisition=requisition, actor=users[who])


def test_r9_2_issuing_more_than_on_hand_is_refused_and_leaves_nothing(users, stocked, part):
    requisition = services.requisition_propose(
        store=stocked, part=part, quantity=6, reason="x", actor=users["engineer"]
    )
    services.requisition_approve(requisition=requisition, actor=users["regional"])
    before = Movement.objects.filter(part=part).count()
    with pytest.raises(InsufficientStock):
        services.requisition_issue(requisition=requisition, actor=users["keeper"])
    requisition.refresh_from_db()
    assert requisition.status == "approved"
    assert Movement.objects.filter(part=part).count() == before
    assert (balance(stocked, part), balance(stocked, part, "on_loan")) == (5, 0)


def test_r1_1_an_outsider_cannot_request_from_another_departments_store(users, stocked, part):
    with pytest.raises(PermissionDenied):
        services.requisition_propose(
            store=stocked, part=part, quantity=1, reason="x", actor=users["outsider"]
        )


# --- old parts and write-off (R-9.2, R-9.3) ---------------------------------------------------------


@pytest.fixture
def loan(users, stocked, part):
    return issued(users, stocked, part)


def engineer(users):
    return Employee.objects.get(user=users["engineer"])


def test_r9_2_write_off_against_the_signed_approved_report_and_returned_old_part(users, loan, part):
    report = make_report(engineer(users), part, approver=users["regional"])
    services.old_part_return(requisition=loan, quantity=1, actor=users["keeper"], note="外壳完好")
    services.requisition_write_off(requisition=loan, quantity=1, service_report=report, actor=users["keeper"])
    loan.refresh_from_db()
    assert loan.status == "closed"
    assert (balance(loan.store, part, "on_loan"), balance(loan.store, part, "old")) == (0, 1)
    assert parts_open_items_for(engineer(users)) == []
    assert_balances_are_sums()


@pytest.mark.parametrize(("signed", "approved"), [(False, False), (True, False)])
def test_r9_2_write_off_refused_without_a_signed_and_approved_report(users, loan, part, signed, approved):
    report = make_report(engineer(users), part, signed=signed, approved=approved, approver=users["regional"])
    services.old_part_return(requisition=loan, quantity=1, actor=users["keeper"])
    with pytest.raises(RuleError, match=r"签字|审批"):
        services.requisition_write_off(
            requisition=loan, quantity=1, service_report=report, actor=users["keeper"]
        )
    assert balance(loan.store, part, "on_loan") == 1


def test_r9_2_write_off_refused_without_the_returned_old_part(users, loan, part):
    report = make_report(engineer(users), part, approver=users["regional"])
    with pytest.raises(RuleError, match="旧件尚未交回"):
        services.requisition_write_off(
            requisition=loan, quantity=1, service_report=report, actor=users["keeper"]
        )
    assert not Movement.objects.filter(part=part, kind="write_off").exists()
    (item,) = parts_open_items_for(engineer(users))
    assert (item.outstanding, item.old_parts_missing) == (1, 1)


def test_r9_2_write_off_refused_against_another_engineers_report(users, loan, part):
    other = Employee.objects.get(user__username="engineer2")
    report = make_report(other, part, approver=users["regional"])
    services.old_part_return(requisition=loan, quantity=1, actor=users["keeper"])
    with pytest.raises(RuleError, match="不是该领料工程师"):
        services.requisition_write_off(
            requisition=loan, quantity=1, service_report=report, actor=users["keeper"]
        )


def test_r9_2_write_off_refused_when_the_report_does_not_list_the_part(users, loan, part):
    report = make_report(engineer(users), part, approver=users["regional"])
    report.part_lines.update(part="别的配件")
    services.old_part_return(requisition=loan, quantity=1, actor=users["keeper"])
    with pytest.raises(RuleError, match="更换配件中没有"):
        services.requisition_write_off(
            requisition=loan, quantity=1, service_report=report, actor=users["keeper"]
        )


def test_r9_2_more_old_parts_than_issued_are_refused(users, loan):
    with pytest.raises(RuleError):
        services.old_part_return(requisition=loan, quantity=2, actor=users["keeper"])


def test_r9_3_open_items_age_and_overdue_old_parts(users, loan):
    later = timezone.now() + timezone.timedelta(days=31)
    (item,) = parts_open_items_for(engineer(users), as_of=later)
    assert (item.age_days, item.overdue) == (31, True)
    (item,) = parts_open_items_for(engineer(users))
    assert item.overdue is False


def test_r9_2_monthly_disposal_of_old_parts(users, loan, part):
    services.old_part_return(requisition=loan, quantity=1, actor=users["keeper"])
    month = Month.of(timezone.now())
    disposal = services.old_parts_dispose(store=loan.store, month=month, actor=users["keeper"], note="报废")
    assert balance(loan.store, part, "old") == 0
    assert Movement.objects.get(disposal=disposal).quantity == -1
    with pytest.raises(RuleError, match="已处理"):
        services.old_parts_dispose(store=loan.store, month=month, actor=users["keeper"])
    with pytest.raises(RuleError, match="尚未开始"):
        services.old_parts_dispose(store=loan.store, month=month.shift(1), actor=users["keeper"])


# --- stocktake and reversal ---------------------------------------------------------------------------


def test_r9_2_stocktake_shows_book_vs_counted_and_posts_the_difference(users, stocked, part):
    stocktake = services.stocktake_post(
        store=stocked, counts={part: 3}, actor=users["keeper"], note="月末盘点"
    )
    (line,) = stocktake.lines.all()
    assert (line.book, line.counted, line.difference) == (5, 3, -2)
    assert Movement.objects.get(stocktake=stocktake).quantity == -2
    assert balance(stocked, part) == 3
    again = services.stocktake_post(store=stocked, counts={part: 3}, actor=users["keeper"])
    assert not Movement.objects.filter(stocktake=again).exists()  # 账物一致: nothing to adjust


def test_r9_2_correction_is_a_reversing_entry(users, stocked, part):
    receipt_row = Movement.objects.get(store=stocked, part=part)
    reversal = services.movement_reverse(movement=receipt_row, reason="录入错误", actor=users["keeper"])
    assert (reversal.kind, reversal.quantity, reversal.reversal_of) == ("reversal", -5, receipt_row)
    receipt_row.refresh_from_db()
    assert receipt_row.quantity == 5  # the original stays as it was
    assert balance(stocked, part) == 0
    with pytest.raises(RuleError, match="已冲销"):
        services.movement_reverse(movement=receipt_row, reason="再次", actor=users["keeper"])


def test_r9_2_reversal_that_would_go_negative_is_refused(users, stocked, part):
    issued(users, stocked, part, quantity=3)
    receipt_row = Movement.objects.get(store=stocked, kind="receipt")
    with pytest.raises(InsufficientStock):
        services.movement_reverse(movement=receipt_row, reason="录入错误", actor=users["keeper"])


def test_r9_2_issue_is_not_reversed_by_hand(users, loan):
    issue_row = Movement.objects.filter(store=loan.store, kind="issue").first()
    with pytest.raises(RuleError):
        services.movement_reverse(movement=issue_row, reason="x", actor=users["keeper"])


def test_r9_2_balance_equals_sum_of_movements_after_a_mixed_day(users, stocked, stores, part):
    services.transfer_create(from_store=stocked, to_store=stores[1], lines=[(part, 1)], actor=users["keeper"])
    loan = issued(users, stocked, part, quantity=2)
    services.old_part_return(requisition=loan, quantity=2, actor=users["keeper"])
    services.stocktake_post(store=stocked, counts={part: 1}, actor=users["keeper"])
    assert_balances_are_sums()
    rows = {(row["part"].pk, "on_hand"): row["on_hand"] for row in holdings(store=stocked)}
    assert rows == {(part.pk, "on_hand"): 1}


# --- freight and claims (R-9.5) ---------------------------------------------------------------


def test_r9_4_freight_written_off_when_signed_by_handler_and_leader(users, stocked):
    handler = engineer(users)
    charge = services.freight_record(
        store=stocked,
        handler=handler,
        description="继电器快递",
        amount=Decimal("23.50"),
        actor=users["keeper"],
    )
    with pytest.raises(PermissionDenied):
        services.freight_sign(charge=charge, actor=users["regional"])  # the handler signs first
    charge = services.freight_sign(charge=charge, actor=users["engineer"])
    assert not charge.written_off
    with pytest.raises(PermissionDenied):
        services.freight_sign(charge=charge, actor=users["engineer2"])
    charge = services.freight_sign(charge=charge, actor=users["regional"])
    assert charge.written_off
    with pytest.raises(RuleError):
        services.freight_sign(charge=charge, actor=users["regional"])


def test_r9_5_claim_submitted_accepted_and_recovered(users, stocked, part):
    claim = services.claim_create(
        store=stocked,
        supplier=part.supplier,
        part=part,
        quantity=1,
        reason="批次质量问题",
        amount_claimed=Decimal("180"),
        actor=users["keeper"],
    )
    with pytest.raises(RuleError):
        services.claim_recover(claim=claim, amount=Decimal("1"), actor=users["keeper"])
    claim = services.claim_submit(claim=claim, actor=users["keeper"])
    claim = services.claim_decide(claim=claim, accepted=True, note="同意赔付", actor=users["keeper"])
    claim = services.claim_recover(claim=claim, amount=Decimal("150.00"), actor=users["keeper"])
    assert (claim.status, claim.amount_recovered) == (SupplierClaim.Status.RECOVERED, Decimal("150.00"))


def test_r9_5_rejected_claim_recovers_nothing(users, stocked, part):
    claim = services.claim_create(
        store=stocked,
        supplier=part.supplier,
        part=part,
        quantity=1,
        reason="x",
        amount_claimed=Decimal("10"),
        actor=users["keeper"],
    )
    services.claim_submit(claim=claim, actor=users["keeper"])
    claim = services.claim_decide(claim=claim, accepted=False, note="人为损坏", actor=users["keeper"])
    assert claim.status == "rejected"
    with pytest.raises(RuleError):
        services.claim_recover(claim=claim, amount=Decimal("10"), actor=users["keeper"])
    with pytest.raises(PermissionDenied):
        services.claim_submit(claim=claim, actor=users["head"])
