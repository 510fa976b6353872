"""Photos, signatures and attachments in S3-compatible object storage (django-storages), against a real
S3 server: moto's, started here on a free loopback port (docs/operations.md). Not skipped: `make test`
runs it."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
import uuid

import pytest
from django.urls import reverse

from aftersales.service import field, services
from aftersales.service.models import CustomerSignature, Photo, QualityAttachment
from tests.service.test_field_evidence import jpeg

pytestmark = pytest.mark.django_db

KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("moto_server did not start")


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server of our own for this module, stopped at its end."""
    port = _free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A new bucket; the evidence storage set to it as AFTERSALES_MEDIA_STORAGE=s3 would."""
    import boto3

    name = f"evidence-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")  # fmt: skip
    client.create_bucket(Bucket=name)
    options = {"bucket_name": name, "endpoint_url": s3_endpoint, "location": "evidence", **KEYS}
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    return client, name


def _objects(bucket) -> dict[str, bytes]:
    client, name = bucket
    listed = client.list_objects_v2(Bucket=name).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=name, Key=o["Key"])["Body"].read() for o in listed}


def test_photos_go_to_the_bucket_and_come_back_through_the_checked_view(client, flow, people, bucket):
    from storages.backends.s3 import S3Storage

    assert isinstance(field.storage(), S3Storage)
    order = flow.on_site()
    client.force_login(people.u["engineer"])
    upload = io.BytesIO(jpeg())
    upload.name = "nameplate.jpg"
    client.post(reverse("service:order-photos", args=[order.pk]), {"kind": "nameplate", "photos": [upload]})
    photo = Photo.objects.get(order=order)
    assert _objects(bucket) == {f"evidence/{photo.storage_key}": jpeg()}  # in the bucket, not the database
    served = client.get(reverse("service:photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/jpeg" and b"".join(served.streaming_content) == jpeg()
    client.force_login(people.u["outsider"])
    assert client.get(reverse("service:photo", args=[photo.pk])).status_code == 404


def test_the_signature_and_attachments_go_to_the_bucket(client, flow, people, bucket):
    report = flow.signed()
    signature = CustomerSignature.objects.get(report=report)
    quality = services.quality_report_record(
        actor=people.u["engineer"],
        product="JC-220",
        unit_number="SN-1",
        fault="通信中断",
        site="北京",
        attachments=[services.Upload("log.txt", "text/plain", b"log")],
    )
    attachment = QualityAttachment.objects.get(report=quality)
    stored = _objects(bucket)
    assert stored[f"evidence/{signature.storage_key}"].startswith(b"\x89PNG")
    assert stored[f"evidence/{attachment.storage_key}"] == b"log"
    client.force_login(people.u["engineer"])
    pdf = client.get(reverse("service:report-pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_refused_upload_leaves_nothing_in_the_bucket(flow, people, bucket):
    from django.core.exceptions import ValidationError

    order = flow.on_site()
    with pytest.raises(ValidationError):
        services.photos_add(
            actor=people.u["engineer"],
            kind="fault",
            uploads=[services.Upload("a.jpg", "", jpeg()), services.Upload("b.jpg", "", b"<html>")],
            target=services.PhotoTarget(order=order),
        )
    assert _objects(bucket) == {}
