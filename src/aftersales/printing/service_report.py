"""The printed service report (服务报告, R-8.4): its content, the customer's drawn signature with the
report's content hash, and a QR code of the customer's confirmation link (用户确认与评价)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image

from aftersales.printing.layout import PAGE_WIDTH, build_pdf, gap, grid, label, text, title


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else (_("是") if value else _("否"))


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _body(report: Any) -> list[Flowable]:
    order = report.order
    rows: Sequence[tuple[str, Any]] = (
        (_("工单"), f"{order.number} · {order.customer}"),
        (_("车型/编号"), f"{order.unit_model} · {order.unit_number}"),
        (_("服务地点"), order.site),
        (_("服务工程师"), report.engineer.name),
        (_("运行时间(小时)"), report.running_time if report.running_time is not None else "—"),
        (_("行驶里程(公里)"), report.mileage if report.mileage is not None else "—"),
        (_("故障现象(听)"), report.fault_reported),
        (_("属于三包"), _yes_no(report.warranty_eligible)),
        (_("曾被拆卸(看)"), _yes_no(report.dismantled_before)),
        (_("故障原因(查)"), report.cause_found),
        (_("处理方法"), report.handling),
        (_("责任"), report.get_responsibility_display()),
        (_("需带回的旧件"), report.old_parts_to_return),
    )
    table = grid([[label(name), text(value)] for name, value in rows], [35 * mm, PAGE_WIDTH - 35 * mm])
    lines = [[label(_("配件")), label(_("数量")), label(_("原因")), label(_("三包件"))]]
    lines += [
        [text(line.part), text(line.quantity), text(line.reason), text(_yes_no(line.warranty))]
        for line in report.part_lines.all()
    ] or [[text(_("无")), text(""), text(""), text("")]]
    parts = grid(lines, [PAGE_WIDTH * 0.4, PAGE_WIDTH * 0.1, PAGE_WIDTH * 0.38, PAGE_WIDTH * 0.12])
    return [table, gap(), text(_("更换配件"), 10), parts]


def _signature(report: Any, signature_png: bytes | None, qr_png: bytes | None) -> list[Flowable]:
    signature = getattr(report, "signature", None)
    if signature is None or signature_png is None:
        return [gap(8), text(_("用户签字(盖章)") + "：______________", 10)]
    image = Image(io.BytesIO(signature_png), width=60 * mm, height=22 * mm, kind="proportional")
    facts = [
        f"{_('签字人')}：{signature.signer_name}",
        f"{_('签字时间')}：{_when(signature.signed_at)}",
        f"{_('盖章')}：{_('已盖章') if report.stamped else _('未盖章')}",
        f"{_('报告内容摘要(SHA-256)')}：{signature.content_hash}",
    ]
    if signature.latitude is not None:
        facts.append(f"{_('签字位置')}：{signature.latitude}, {signature.longitude}")
    cells: list[Any] = [[text(_("用户签字"), 10), image], [text("\n".join(facts), 7.5), ""]]
    widths = [PAGE_WIDTH * 0.62, PAGE_WIDTH * 0.38]
    flowables: list[Flowable] = [gap(), grid(cells, widths, spans=[((0, 1), (1, 1))])]
    if qr_png is not None:
        qr = Image(io.BytesIO(qr_png), width=28 * mm, height=28 * mm)
        note = text(_("请用手机扫描二维码,确认服务内容并评价(链接仅可使用一次)。"), 9)
        flowables += [gap(), grid([[qr, note]], [32 * mm, PAGE_WIDTH - 32 * mm])]
    return flowables


def render_service_report_pdf(report: Any, *, signature_png: bytes | None, qr_png: bytes | None) -> bytes:
    state = (
        _("已审批归档") if report.is_approved else _("用户已签字") if report.is_signed else _("未签字(草稿)")
    )
    flowables: list[Flowable] = [
        title(_("售后服务部 · 服务报告")),
        gap(),
        text(f"{_('编号')}：{report} · {state}", 9),
        gap(2),
        *_body(report),
        *_signature(report, signature_png, qr_png),
    ]
    if report.is_approved:
        approver = report.approved_by.get_full_name() or report.approved_by.get_username()
        flowables += [gap(), text(f"{_('领导审批')}：{approver} · {_when(report.approved_at)}", 9)]
    return build_pdf(flowables, document_title=str(report))
