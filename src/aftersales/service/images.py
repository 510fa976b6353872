"""What an uploaded photo or drawn signature really is, read from its bytes (never from the browser's
content type or the file name), and the evidence its EXIF data carries (time taken, GPS position).

JPEG, PNG and WebP are opened with Pillow (which must decode them: a file that only starts like an
image is refused); HEIC/HEIF, which Pillow cannot open without a plug-in, is recognised by its ``ftyp``
box and kept as it is (its EXIF is not read). Anything else — HTML, SVG, PDF, scripts — is refused.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from aftersales.core.errors import ActionError
from aftersales.core.periods import SHANGHAI

JPEG, PNG, WEBP, HEIC = "image/jpeg", "image/png", "image/webp", "image/heic"
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", HEIC: "heic"}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}

# EXIF tags (TIFF/EXIF 2.3): the Exif and GPS sub-directories and the fields read from them
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME, DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x0132, 0x9003, 0x9011
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4
MICRO = Decimal("0.000001")


class ImageRefused(ActionError, ValueError):
    """The bytes are not an accepted image; the message says why (shown to the user)."""


@dataclass(frozen=True)
class ImageFacts:
    content_type: str
    width: int | None = None
    height: int | None = None
    taken_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def sniff(data: bytes) -> str | None:
    """The image type the magic bytes announce, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return HEIC
    return None


def inspect(data: bytes, allowed: frozenset[str] = frozenset(EXTENSIONS)) -> ImageFacts:
    """The facts of an accepted image; ``ImageRefused`` for anything else."""
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise ImageRefused("not an accepted image")
    if kind == HEIC:
        return ImageFacts(kind)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRefused("the image cannot be decoded") from exc
    taken_at = _taken_at(exif)
    latitude, longitude = _position(exif.get_ifd(GPS_IFD))
    return ImageFacts(kind, width, height, taken_at, latitude, longitude)


def has_ink(data: bytes) -> bool:
    """Whether a drawn signature (PNG with transparency) has any stroke on it."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        alpha = image.convert("RGBA").getchannel("A")
        return alpha.getbbox() is not None


def decode_data_url(value: str, max_bytes: int) -> bytes:
    """The bytes of a ``data:image/png;base64,…`` URL (what signature_pad gives)."""
    prefix = "data:image/png;base64,"
    if not value.startswith(prefix):
        raise ImageRefused("expected a PNG data URL")
    encoded = value[len(prefix) :]
    if len(encoded) > max_bytes * 4 // 3 + 4:
        raise ImageRefused("too large")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImageRefused("not base64") from exc


# --- EXIF ----------------------------------------------------------------------------------------------


def _taken_at(exif: Any) -> datetime | None:
    """DateTimeOriginal (else DateTime), with OffsetTimeOriginal if the camera wrote one; a camera's
    local time without an offset is taken as Asia/Shanghai."""
    details = exif.get_ifd(EXIF_IFD)
    raw = details.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return None
    return moment.replace(tzinfo=_offset(details.get(OFFSET_TIME_ORIGINAL)))


def _offset(raw: Any) -> Any:
    if isinstance(raw, str) and len(raw) >= 6 and raw[0] in "+-":
        try:
            hours, minutes = int(raw[1:3]), int(raw[4:6])
        except ValueError:
            return SHANGHAI
        sign = -1 if raw[0] == "-" else 1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    return SHANGHAI


def _position(gps: Any) -> tuple[Decimal | None, Decimal | None]:
    latitude = _degrees(gps.get(GPS_LAT), gps.get(GPS_LAT_REF), "S", 90)
    longitude = _degrees(gps.get(GPS_LON), gps.get(GPS_LON_REF), "W", 180)
    if latitude is None or longitude is None:
        return None, None
    return latitude, longitude


def _degrees(parts: Any, ref: Any, negative: str, limit: int) -> Decimal | None:
    """Degrees, minutes, seconds (rationals) → signed decimal degrees, 6 places."""
    try:
        d, m, s = (Decimal(str(float(part))) for part in parts)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = (d + m / 60 + s / 3600).quantize(MICRO, ROUND_HALF_UP)
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if str(ref).strip("\x00 ").upper() == negative:
        value = -value
    return value if abs(value) <= limit else None
