"""Distance between two positions on the earth (great circle, haversine), for the arrival check-in."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def distance_km(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> Decimal:
    """Kilometres between two points given in decimal degrees, rounded to 0.01 km."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
    return Decimal(str(km)).quantize(Decimal("0.01"), ROUND_HALF_UP)
