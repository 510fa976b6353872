"""Helpers of the field evidence (R-8.4, R-8.2, R-8.6): the evidence storage, the report's content hash,
the customer's link token, and the verdict on an arrival check-in's distance.

Photos and signatures are written through Django's storage API to the ``evidence`` storage (the file
system under the var dir, or S3-compatible object storage: settings ``STORAGES["evidence"]``); the
database keeps their key, size, SHA-256 and the facts read from them, never their bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils import timezone

from aftersales.core.geo import distance_km
from aftersales.service.models import REPORT_FIELDS, CheckInFlag, Photo, Position, ServiceReport, WorkOrder

TOKEN_PURPOSE = b"aftersales.customer-confirmation:"


def storage() -> Storage:
    return storages["evidence"]


def store(prefix: str, data: bytes, extension: str) -> str:
    """Save ``data`` under a new, unguessable key; returns the key the storage used."""
    today = timezone.localdate()
    key = f"{prefix}/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"
    return storage().save(key, ContentFile(data))


def discard(keys: list[str]) -> None:
    """Remove files written for a change that did not go through (no orphans left behind)."""
    for key in keys:
        storage().delete(key)


def open_file(key: str) -> IO[bytes]:
    return storage().open(key, "rb")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the report as signed ---------------------------------------------------------------------------


def content_hash(report: ServiceReport) -> str:
    """SHA-256 of the report's content in a canonical JSON form: what the customer signed. A later
    change of any of these values (impossible once signed) would no longer match."""
    content = {
        "order": report.order.number,
        "visit": report.visit,
        "revision": report.revision,
        "engineer": report.engineer_id,
        **{name: _plain(getattr(report, name)) for name in REPORT_FIELDS},
        "parts": [
            [line.part, line.quantity, line.reason, line.warranty]
            for line in sorted(report.part_lines.all(), key=lambda line: line.pk)
        ],
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sha256(canonical.encode())


def _plain(value: object) -> object:
    return value if value is None or isinstance(value, bool | int | str) else str(value)


# --- the customer's link ----------------------------------------------------------------------------


def new_nonce() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex


def token_for(nonce: str) -> str:
    """The link's token: HMAC-SHA256 of the stored nonce under the server's secret key (43 characters,
    256 bits). Only the nonce and the token's hash are stored; rotating SECRET_KEY voids open links."""
    mac = hmac.new(settings.SECRET_KEY.encode(), TOKEN_PURPOSE + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return sha256(token.encode())


# --- arrival check-in -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fix:
    """What the browser said about the device's position."""

    position: str = Position.UNAVAILABLE
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: int | None = None

    @property
    def located(self) -> bool:
        return self.position == Position.GRANTED and self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Verdict:
    distance_km: Decimal | None
    flag: str  # a CheckInFlag value, or ""


def check_in_verdict(order: WorkOrder, fix: Fix) -> Verdict:
    """Flag (never refuse) a check-in the supervisor should look at: no position, or farther from the
    site's coordinates than ``AFTERSALES_CHECKIN_RADIUS_KM`` (default 2 km). A site without
    coordinates cannot be compared: no distance, no flag."""
    if not fix.located:
        return Verdict(None, CheckInFlag.NO_POSITION)
    if order.site_latitude is None or order.site_longitude is None:
        return Verdict(None, "")
    assert fix.latitude is not None and fix.longitude is not None  # located
    distance = distance_km(fix.latitude, fix.longitude, order.site_latitude, order.site_longitude)
    radius = Decimal(str(settings.AFTERSALES_CHECKIN_RADIUS_KM))
    return Verdict(distance, CheckInFlag.FAR if distance > radius else "")


def confirmation_url(request: HttpRequest, report: ServiceReport) -> str | None:
    """The customer's link of a signed report while it can still be answered (shown to the engineer and
    printed as a QR code); None once answered, expired or replaced by a revision."""
    confirmation = getattr(report, "confirmation", None)
    if confirmation is None or confirmation.answered_at is not None or not report.is_current:
        return None
    if confirmation.expires_at <= timezone.now():
        return None
    return request.build_absolute_uri(reverse("customer:confirm", args=[token_for(confirmation.nonce)]))


def qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=4, omitsize=True))


# --- handing out the evidence files -----------------------------------------------------------------


def image_response(key: str, content_type: str, filename: str, download: bool) -> FileResponse:
    """An image from the evidence storage: its checked type, never sniffed, never HTML, no scripts."""
    response = FileResponse(open_file(key), content_type=content_type)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def photo_response(photo: Photo, *, download: bool) -> FileResponse:
    """A photo to who sees its record (pages and API alike)."""
    name = f"{photo.get_kind_display()}-{photo.pk}.{photo.storage_key.rsplit('.', 1)[-1]}"
    return image_response(photo.storage_key, photo.content_type, name, download)
