"""R-8.8: the field quality information database — reports with product, unit, fault, site, reporter,
time and attachments."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.service import field, services
from aftersales.service.models import QualityAttachment


def test_r8_8_an_engineer_reports_quality_information_with_a_file(people):
    report = services.quality_report_record(
        actor=people.u["engineer"],
        product="JC-220 控制器",
        unit_number="SN-0815",
        fault="通信中断",
        site="北京四惠车场",
        attachments=[services.Upload(name="photo.jpg", content_type="image/jpeg", data=b"\xff\xd8jpeg")],
    )
    assert (report.product, report.unit_number, report.fault, report.site) == (
        "JC-220 控制器",
        "SN-0815",
        "通信中断",
        "北京四惠车场",
    )
    assert report.reporter == people.e["engineer"]
    assert report.reported_at is not None
    (attachment,) = report.attachments.all()
    assert (attachment.name, bytes(attachment.data)) == ("photo.jpg", b"")  # not in the database
    with field.open_file(attachment.storage_key) as stored:
        assert stored.read() == b"\xff\xd8jpeg"


def test_r8_8_an_oversized_attachment_is_refused_and_nothing_is_saved(people):
    before = QualityAttachment.objects.count()
    big = services.Upload(
        name="big.bin", content_type="application/octet-stream", data=b"0" * (5 * 1024 * 1024 + 1)
    )
    with pytest.raises(ValidationError):
        services.quality_report_record(
            actor=people.u["engineer"], product="p", unit_number="u", fault="f", site="s", attachments=[big]
        )
    assert QualityAttachment.objects.count() == before


def test_r8_8_someone_outside_any_department_cannot_report(people, django_user_model):
    stranger = django_user_model.objects.create_user("quality-stranger")
    with pytest.raises(PermissionDenied):
        services.quality_report_record(actor=stranger, product="p", unit_number="u", fault="f", site="s")


def test_attachments_kept_in_the_database_move_to_the_storage(people):
    from django.core.management import call_command

    from aftersales.service.models import QualityAttachment

    report = services.quality_report_record(
        actor=people.u["engineer"], product="P", unit_number="U", fault="F", site="S"
    )
    old = QualityAttachment.objects.create(
        report=report, name="old.txt", content_type="text/plain", size=3, data=b"old"
    )
    call_command("attachments_to_storage")
    old.refresh_from_db()
    assert bytes(old.data) == b"" and old.storage_key
    with field.open_file(old.storage_key) as stored:
        assert stored.read() == b"old"
