"""Field evidence (R-8.2, R-8.4, R-8.6): drawn signature, photos, arrival check-in, the customer's own
confirmation and rating, and how they count in the satisfaction KPI (R-8.1)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from aftersales.core.periods import SHANGHAI, Month
from aftersales.service import field, selectors, services
from aftersales.service.demo import signature_png
from aftersales.service.field import Fix
from aftersales.service.models import (
    CheckInFlag,
    Complaint,
    CustomerConfirmation,
    OnSiteSource,
    OrderStatus,
    Photo,
    PhotoKind,
    Position,
    SatisfactionSurvey,
    SurveySource,
)
from tests.service.conftest import HOUR

pytestmark = pytest.mark.django_db

SITE = {"site_latitude": Decimal("39.908800"), "site_longitude": Decimal("116.397400")}  # 天安门
NEAR = Fix(Position.GRANTED, Decimal("39.910000"), Decimal("116.400000"), 15)  # about 0.25 km
FAR = Fix(Position.GRANTED, Decimal("39.990000"), Decimal("116.480000"), 15)  # about 11 km


def jpeg(*, taken: str | None = "2026:11:30 09:15:00", gps: bool = True, size=(2400, 1800)) -> bytes:
    """A camera-like JPEG with EXIF DateTimeOriginal and a GPS position (39°54'31.68"N 116°23'50.64"E)."""
    image = Image.new("RGB", size, (120, 140, 160))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 54.0, 31.68), 3: "E", 4: (116.0, 23.0, 50.64)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=80)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def _sign(report, people, **changes):
    arguments = {
        "report": report,
        "actor": people.u["engineer"],
        "signed_by": "刘工",
        "signature": signature_png(),
        "fix": NEAR,
        **changes,
    }
    return services.report_sign(**arguments)


def _token(report) -> str:
    return field.token_for(CustomerConfirmation.objects.get(report=report).nonce)


# --- the drawn signature (R-8.4) -------------------------------------------------------------------------


def test_r8_4_signing_an_unfinished_report_is_refused_and_stores_nothing(flow, people):
    report = flow.report(flow.resolved(), complete=False)
    with pytest.raises(ValidationError, match="不能请用户签字"):
        _sign(report, people)
    report.refresh_from_db()
    assert not report.is_signed
    assert (
        not hasattr(report, "signature") and not CustomerConfirmation.objects.filter(report=report).exists()
    )


def test_r8_4_the_drawn_signature_is_kept_with_name_time_content_hash_and_position(flow, people):
    report = _sign(flow.report(flow.resolved(**SITE)), people, signed_by="  王师傅 ")
    signature = report.signature
    assert (signature.signer_name, signature.position) == ("王师傅", Position.GRANTED)
    assert (signature.latitude, signature.longitude, signature.accuracy_m) == (
        NEAR.latitude,
        NEAR.longitude,
        15,
    )
    assert abs(signature.signed_at - timezone.now()) < timedelta(seconds=30)
    assert signature.content_hash == field.content_hash(report) and len(signature.content_hash) == 64
    with field.open_file(signature.storage_key) as stored:
        assert stored.read() == signature_png()
    assert signature.image_sha256 == field.sha256(signature_png())


def test_r8_4_the_content_hash_changes_with_the_content(flow, people):
    report = flow.report(flow.resolved())
    before = field.content_hash(report)
    report.handling = "另一种处理"
    assert field.content_hash(report) != before


def test_r8_4_a_signed_report_is_locked_and_its_signature_cannot_be_replaced(flow, people):
    report = _sign(flow.report(flow.resolved()), people)
    first = report.signature.storage_key
    with pytest.raises(ValidationError, match="已锁定"):
        _sign(report, people, signed_by="冒名者", signature=signature_png(5))
    with pytest.raises(ValidationError, match="已锁定"):
        services.report_update(report=report, actor=people.u["engineer"], fields={"handling": "改"})
    with pytest.raises(ValidationError, match="已锁定"):
        services.photos_add(
            actor=people.u["engineer"],
            kind=PhotoKind.COMPLETED,
            uploads=[services.Upload("late.jpg", "", jpeg())],
            target=services.PhotoTarget(report=report),
        )
    report.refresh_from_db()
    assert (report.signed_by, report.signature.storage_key) == ("刘工", first)


def test_r8_4_a_blank_or_foreign_signature_image_is_refused(flow, people):
    report = flow.report(flow.resolved())
    blank = io.BytesIO()
    Image.new("RGBA", (300, 100), (0, 0, 0, 0)).save(blank, "PNG")
    with pytest.raises(ValidationError) as refused:
        _sign(report, people, signature=blank.getvalue())
    assert "signature" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _sign(report, people, signature=HTML)
    assert "signature" in refused.value.message_dict
    report.refresh_from_db()
    assert not report.is_signed


def test_r8_4_the_sign_page_posts_a_drawn_signature(client, flow, people):
    report = flow.report(flow.resolved())
    client.force_login(people.u["engineer"])
    url = reverse("service:report-sign", args=[report.pk])
    missing = client.post(url, {"signed_by": "刘工", "position": "refused"})
    assert "请用户在签名框内签名" in missing.content.decode()
    drawn = "data:image/png;base64," + __import__("base64").b64encode(signature_png()).decode()
    done = client.post(url, {"signed_by": "刘工", "position": "refused", "signature": drawn})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.signature.position == Position.REFUSED and report.signature.latitude is None


# --- photos ---------------------------------------------------------------------------------------------


def test_photos_keep_exif_time_and_position_and_live_in_the_storage(flow, people):
    order = flow.on_site()
    (photo,) = services.photos_add(
        actor=people.u["engineer"],
        kind=PhotoKind.NAMEPLATE,
        uploads=[services.Upload("IMG_0001.JPG", "text/html", jpeg())],  # the browser's type is ignored
        target=services.PhotoTarget(order=order),
    )
    assert photo.content_type == "image/jpeg" and (photo.width, photo.height) == (2400, 1800)
    assert photo.taken_at == datetime(2026, 11, 30, 9, 15, tzinfo=SHANGHAI)
    assert (photo.latitude, photo.longitude) == (Decimal("39.908800"), Decimal("116.397400"))
    assert field.storage().exists(photo.storage_key) and photo.sha256 == field.sha256(jpeg())
    assert not any(f.get_internal_type() == "BinaryField" for f in Photo._meta.get_fields() if f.concrete)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (png(), "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBP", None),  # WebP magic but not decodable: refused
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image/heic"),
    ],
)
def test_photo_types_are_read_from_the_bytes(flow, people, data, kind):
    order = flow.on_site()
    upload = services.Upload("x", "image/jpeg", data)
    target = services.PhotoTarget(order=order)
    if kind is None:
        with pytest.raises(ValidationError):
            services.photos_add(actor=people.u["engineer"], kind="fault", uploads=[upload], target=target)
        return
    (photo,) = services.photos_add(actor=people.u["engineer"], kind="fault", uploads=[upload], target=target)
    assert photo.content_type == kind and photo.taken_at is None


def test_an_html_file_uploaded_as_a_photo_is_refused_and_nothing_is_written(client, flow, people):
    order = flow.on_site()
    client.force_login(people.u["engineer"])
    good = io.BytesIO(jpeg())
    good.name = "good.jpg"
    evil = io.BytesIO(HTML)
    evil.name = "photo.jpg"
    response = client.post(
        reverse("service:order-photos", args=[order.pk]),
        {"kind": "fault", "photos": [good, evil]},
        follow=True,
    )
    assert "不是可接受的照片" in response.content.decode() and "photo.jpg" in response.content.decode()
    assert not Photo.objects.filter(order=order).exists()  # all or nothing


def test_a_photo_over_the_size_limit_is_refused(flow, people, settings):
    settings.AFTERSALES_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="照片过大"):
        services.photos_add(
            actor=people.u["engineer"],
            kind="fault",
            uploads=[services.Upload("big.jpg", "", jpeg())],
            target=services.PhotoTarget(order=flow.on_site()),
        )


def test_photos_are_served_only_to_who_sees_the_order_never_as_html(client, flow, people):
    order = flow.on_site()
    (photo,) = services.photos_add(
        actor=people.u["engineer"],
        kind="fault",
        uploads=[services.Upload("a.jpg", "", jpeg())],
        target=services.PhotoTarget(order=order),
    )
    url = reverse("service:photo", args=[photo.pk])
    client.force_login(people.u["regional"])  # the engineer's supervisor
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename*=UTF-8''")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == jpeg()
    assert client.get(url + "?download=1")["Content-Disposition"].startswith("attachment")
    for outsider in ("outsider", "engineer3"):  # another department; a colleague not sent
        client.force_login(people.u[outsider])
        assert client.get(url).status_code == 404


def test_only_who_works_the_order_adds_photos(flow, people):
    with pytest.raises(PermissionDenied):
        services.photos_add(
            actor=people.u["engineer3"],
            kind="fault",
            uploads=[services.Upload("a.jpg", "", jpeg())],
            target=services.PhotoTarget(order=flow.on_site()),
        )


# --- arrival check-in (R-8.2) ---------------------------------------------------------------------------


def test_r8_2_the_check_in_is_the_on_site_milestone_at_the_servers_time(flow, people):
    order = flow.dispatched(**SITE)
    check_in = services.order_check_in(order=order, actor=people.u["engineer"], fix=NEAR)
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_SITE and order.on_site_source == OnSiteSource.CHECK_IN
    assert order.on_site_at == check_in.at and abs(check_in.at - timezone.now()) < timedelta(seconds=30)
    assert check_in.flag == "" and Decimal("0.1") < check_in.distance_km < Decimal("0.5")


def test_r8_2_a_check_in_replaces_a_typed_arrival_time(flow, people):
    typed = timezone.now() - HOUR
    order = flow.on_site(at=typed)
    assert (order.on_site_at, order.on_site_source) == (typed, OnSiteSource.TYPED)
    services.order_check_in(order=order, actor=people.u["engineer"], fix=NEAR)
    order.refresh_from_db()
    assert order.on_site_source == OnSiteSource.CHECK_IN and order.on_site_at > typed
    again = services.order_check_in(order=order, actor=people.u["engineer"], fix=NEAR)
    order.refresh_from_db()
    assert order.on_site_at < again.at  # the first check-in stays the milestone


def test_a_check_in_far_from_the_site_is_flagged_not_refused(flow, people):
    order = flow.dispatched(**SITE)
    check_in = services.order_check_in(order=order, actor=people.u["engineer"], fix=FAR)
    assert check_in.flag == CheckInFlag.FAR and check_in.distance_km > 2
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_SITE
    flagged = selectors.flagged_check_ins(people.u["regional"])
    assert check_in in flagged and check_in not in selectors.flagged_check_ins(people.u["engineer"])


def test_a_refused_position_is_recorded_and_flagged(flow, people):
    order = flow.dispatched(**SITE)
    check_in = services.order_check_in(order=order, actor=people.u["engineer"], fix=Fix(Position.REFUSED))
    assert (check_in.position, check_in.flag, check_in.latitude) == (
        Position.REFUSED,
        CheckInFlag.NO_POSITION,
        None,
    )


def test_a_site_without_coordinates_gives_no_distance_and_no_flag(flow, people):
    check_in = services.order_check_in(order=flow.dispatched(), actor=people.u["engineer"], fix=FAR)
    assert (check_in.distance_km, check_in.flag) == (None, "")


def test_only_an_engineer_sent_checks_in(flow, people):
    with pytest.raises(PermissionDenied):
        services.order_check_in(order=flow.dispatched(), actor=people.u["dispatcher"], fix=NEAR)


def test_the_check_in_button_posts_the_browsers_answer(client, flow, people):
    order = flow.dispatched(**SITE)
    client.force_login(people.u["engineer"])
    page = client.get(reverse("service:order-detail", args=[order.pk]))
    assert b'id="check-in"' in page.content
    client.post(
        reverse("service:order-check-in", args=[order.pk]),
        {"position": "granted", "latitude": "39.990000", "longitude": "116.480000", "accuracy": "20"},
    )
    check_in = order.check_ins.get()
    assert (check_in.flag, check_in.accuracy_m) == (CheckInFlag.FAR, 20)
    bad = client.post(
        reverse("service:order-check-in", args=[order.pk]),
        {"position": "granted", "latitude": "99"},
        follow=True,
    )
    assert "纬度" in bad.content.decode() and order.check_ins.count() == 1  # the field is named


# --- the customer's own confirmation (R-8.6) ----------------------------------------------------------------


def _answer(client, token, **data):
    body = {"confirmed": "yes", "score": "4", "comment": "很及时", "complaint": "", **data}
    return client.post(reverse("customer:confirm", args=[token]), body)


def test_r8_6_signing_issues_a_link_whose_token_is_not_stored(flow, people):
    report = _sign(flow.report(flow.resolved()), people)
    confirmation = report.confirmation
    token = _token(report)
    assert len(token) >= 43 and confirmation.token_hash == field.token_hash(token)
    stored = [str(v) for v in CustomerConfirmation.objects.filter(pk=confirmation.pk).values().get().values()]
    assert token not in stored
    assert confirmation.expires_at - confirmation.created_at == timedelta(days=14)


def test_r8_6_the_customer_confirms_and_rates_without_login_and_the_kpi_counts_it(client, flow, people):
    report = _sign(flow.report(flow.resolved()), people)
    token = _token(report)
    month = Month.of(timezone.localdate())
    before = selectors.service_kpis(people.u["head"], month).total
    page = client.get(reverse("customer:confirm", args=[token]))
    assert page.status_code == 200 and str(report) in page.content.decode()
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "same-origin"
    assert _answer(client, token, score="2", comment="来得太晚").status_code == 200
    survey = SatisfactionSurvey.objects.get(order=report.order)
    assert (survey.source, survey.score, survey.comments, survey.recorded_by) == (
        SurveySource.CUSTOMER,
        2,
        "来得太晚",
        None,
    )
    after = selectors.service_kpis(people.u["head"], month).total
    assert after.scores.count(2) == before.scores.count(2) + 1
    assert after.customer_answers == before.customer_answers + 1
    assert after.satisfaction != before.satisfaction


def test_r8_6_the_customers_answer_replaces_a_staff_entered_survey(client, flow, people):
    report = _sign(flow.report(flow.resolved()), people)
    services.survey_record(order=report.order, actor=people.u["dispatcher"], respondent="电话回访", score=5)
    assert _answer(client, _token(report), score="3").status_code == 200
    survey = SatisfactionSurvey.objects.get(order=report.order)
    assert (survey.source, survey.score) == (SurveySource.CUSTOMER, 3)
    assert survey.history.filter(source=SurveySource.STAFF, score=5).exists()  # kept in the history
    with pytest.raises(ValidationError):  # staff cannot override the customer's own answer
        services.survey_record(order=report.order, actor=people.u["dispatcher"], respondent="x", score=5)


def test_r8_6_a_complaint_on_the_page_becomes_a_complaint_record(client, flow, people):
    report = _sign(flow.report(flow.resolved()), people)
    _answer(client, _token(report), confirmed="no", score="1", complaint="工程师态度恶劣")
    complaint = Complaint.objects.get(order=report.order)
    assert (complaint.employee, complaint.channel, complaint.status, complaint.recorded_by) == (
        people.e["engineer"],
        "web",
        "pending",
        None,
    )
    assert (
        complaint.content == "工程师态度恶劣" and report.order.events.filter(kind="customer_answer").exists()
    )
    assert CustomerConfirmation.objects.get(report=report).complaint == complaint


def test_forged_duplicate_and_expired_tokens_are_refused(client, flow, people):
    report = _sign(flow.report(flow.resolved()), people)
    token = _token(report)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (forged, "x" * 43, "short"):
        response = client.get(reverse("customer:confirm", args=[bad]))
        assert response.status_code == 404 and b'data-reason="unknown"' in response.content
    assert _answer(client, forged).status_code == 404
    assert _answer(client, token).status_code == 200
    again = _answer(client, token, score="1")
    assert again.status_code == 404 and b'data-reason="used"' in again.content
    assert SatisfactionSurvey.objects.get(order=report.order).score == 4  # the first answer stands

    other = _sign(flow.report(flow.resolved()), people)
    CustomerConfirmation.objects.filter(report=other).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = _answer(client, _token(other))
    assert expired.status_code == 404 and b'data-reason="expired"' in expired.content
    assert not SatisfactionSurvey.objects.filter(order=other.order).exists()


def test_a_token_reaches_its_own_report_only(client, flow, people):
    mine = _sign(flow.report(flow.resolved(customer="甲公司")), people)
    other = _sign(flow.report(flow.resolved(customer="乙公司")), people)
    page = client.get(reverse("customer:confirm", args=[_token(mine)])).content.decode()
    assert str(mine) in page and "甲公司" in page and "乙公司" not in page and str(other) not in page
    _answer(client, _token(mine), report=other.pk, order=other.order_id)  # extra fields change nothing
    assert SatisfactionSurvey.objects.filter(order=mine.order).exists()
    assert not SatisfactionSurvey.objects.filter(order=other.order).exists()
    assert CustomerConfirmation.objects.get(report=other).answered_at is None


def test_a_revision_closes_the_old_link(client, flow, people):
    report = _sign(flow.report(flow.resolved()), people)
    token = _token(report)
    services.report_revise(report=report, actor=people.u["engineer"], reason="里程填错")
    assert b'data-reason="expired"' in client.get(reverse("customer:confirm", args=[token])).content


def test_a_staff_session_cannot_answer_for_the_customer(client, flow, people):
    report = _sign(flow.report(flow.resolved()), people)
    client.force_login(people.u["engineer"])
    assert _answer(client, _token(report)).status_code == 403
    assert CustomerConfirmation.objects.get(report=report).answered_at is None


def test_the_customer_page_is_rate_limited(client, flow, people, settings):
    from django.core.cache import cache

    cache.clear()
    settings.AFTERSALES_CONFIRMATION_RATE = 3
    token = _token(_sign(flow.report(flow.resolved()), people))
    codes = [client.get(reverse("customer:confirm", args=[token])).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    cache.clear()


def test_a_bad_score_names_the_field(client, flow, people):
    token = _token(_sign(flow.report(flow.resolved()), people))
    response = _answer(client, token, score="9")
    assert response.status_code == 200 and 'id="customer-form"' in response.content.decode()
    assert CustomerConfirmation.objects.get(token_hash=field.token_hash(token)).answered_at is None


# --- the report page, print and PDF -------------------------------------------------------------------------


def test_the_signed_report_shows_signature_link_and_qr_and_its_pdf(client, flow, people):
    report = _sign(flow.report(flow.resolved()), people)
    client.force_login(people.u["engineer"])
    page = client.get(reverse("service:report-detail", args=[report.pk])).content.decode()
    assert 'id="hash-matches"' in page and _token(report) in page and "<svg" in page
    signature = client.get(reverse("service:report-signature", args=[report.pk]))
    assert signature["Content-Type"] == "image/png" and signature["X-Content-Type-Options"] == "nosniff"
    pdf = client.get(reverse("service:report-pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf.content.count(b"/Subtype /Image") >= 2  # the signature and the QR code
    printed = client.get(reverse("service:report-print", args=[report.pk])).content.decode()
    assert 'id="print-qr"' in printed and "signature-image" in printed


def _add_photo_and_check_in(order, people):
    services.photos_add(
        actor=people.u["engineer"],
        kind="fault",
        uploads=[services.Upload("a.png", "", png())],
        target=services.PhotoTarget(order=order),
    )
    services.order_check_in(order=order, actor=people.u["engineer"], fix=NEAR)


def test_the_order_page_does_not_grow_with_photos_and_check_ins(
    client, flow, people, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    order = flow.on_site(**SITE)
    client.force_login(people.u["engineer"])
    url = reverse("service:order-detail", args=[order.pk])
    _add_photo_and_check_in(order, people)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        _add_photo_and_check_in(order, people)
    # the photos and the check-ins are one prefetch query each, whatever their number
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.count(b'data-photo="') == 4
