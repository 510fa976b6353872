"""Pages of the field evidence (the engineer's phone): arrival check-in, photos, the drawn signature,
the report's PDF, and the photo and signature files — handed out only to who may see their record."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.printing.service_report import render_service_report_pdf
from aftersales.service import access, field, forms, selectors, services
from aftersales.service.models import ORDER_PHOTO_KINDS, PhotoKind
from aftersales.service.views import _attempt, _refused, _report_context, _require


def _form_errors(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@login_required
@require_POST
def order_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """到达现场: server time, the browser's position (or its refusal)."""
    order = selectors.get_order_for_user(request.user, pk)
    _require(access.is_assigned(request.user, order))
    form = forms.CheckInForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("service:order-detail", pk=pk)
    try:
        check_in = services.order_check_in(order=order, actor=request.user, fix=form.fix())
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("已签到,到达时间以服务器时间为准。"))
        if check_in.flag:
            messages.warning(
                request, _("本次签到已提示主管核对: %(why)s") % {"why": check_in.get_flag_display()}
            )
    return redirect("service:order-detail", pk=pk)


def _add_photos(request: HttpRequest, target: services.PhotoTarget, kinds: Any = None) -> None:
    _require(services.may_add_photos(request.user, target))
    form = forms.PhotoForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        _form_errors(request, form)
        return
    _attempt(
        request,
        lambda: services.photos_add(
            actor=request.user, kind=form.cleaned_data["kind"], uploads=form.uploads(), target=target
        ),
        _("照片已上传。"),
    )


@login_required
@require_POST
def order_photos(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.get_order_for_user(request.user, pk)
    _add_photos(request, services.PhotoTarget(order=order), ORDER_PHOTO_KINDS)
    return redirect("service:order-detail", pk=pk)


@login_required
@require_POST
def report_photos(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    _add_photos(request, services.PhotoTarget(order=report.order, report=report))
    return redirect("service:report-detail", pk=pk)


@login_required
@require_POST
def quality_photos(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_quality_report_for_user(request.user, pk)
    _add_photos(request, services.PhotoTarget(quality_report=report), (PhotoKind.FAULT, PhotoKind.NAMEPLATE))
    return redirect("service:quality-detail", pk=pk)


@login_required
@require_POST
def old_part_photos(request: HttpRequest, pk: int) -> HttpResponse:
    returned = selectors.get_old_part_return_for_user(request.user, pk)
    _add_photos(request, services.PhotoTarget(old_part_return=returned), (PhotoKind.OLD_PART,))
    return redirect("parts:requisition-detail", pk=returned.requisition_id)


@login_required
def photo_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    photo = selectors.get_photo_for_user(request.user, pk)
    return field.photo_response(photo, download="download" in request.GET)


@login_required
def report_signature(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = selectors.get_report_for_user(request.user, pk)
    signature = getattr(report, "signature", None)
    if signature is None:
        raise Http404
    return field.image_response(signature.storage_key, "image/png", f"signature-{report.pk}.png", False)


def _qr_png(url: str | None) -> bytes | None:
    if url is None:
        return None
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printed report: content, drawn signature with the content hash, QR of the customer's link."""
    report = selectors.get_report_for_user(request.user, pk)
    signature = getattr(report, "signature", None)
    signature_png = None
    if signature is not None:
        with field.open_file(signature.storage_key) as handle:
            signature_png = handle.read()
    document = render_service_report_pdf(
        report, signature_png=signature_png, qr_png=_qr_png(field.confirmation_url(request, report))
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="service-report-{report.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def report_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """用户签字 on the engineer's phone: the customer draws the signature; refused while unfinished."""
    report = selectors.get_report_for_user(request.user, pk)
    _require(access.is_assigned(request.user, report.order))
    form = forms.SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            lambda: services.report_sign(
                report=report,
                actor=request.user,
                signed_by=data["signed_by"],
                signature=data["signature"],
                stamped=data["stamped"],
                fix=form.fix(),
            ),
            _("用户已签字,报告已锁定。"),
            form,
        )
        if done:
            return redirect("service:report-detail", pk=pk)
    context = {**_report_context(request, report), "form": form}
    return render(request, "service/report_sign.html", context)
