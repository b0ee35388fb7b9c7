"""The date of 清明 (Qingming): the day, in Beijing time (UTC+8), on which the Sun's apparent
ecliptic longitude reaches 15°.

Method (documented because the law fixes 清明 to the solar term, not to a calendar date):

1. Solar position: Jean Meeus, *Astronomical Algorithms* (2nd ed.), chapter 25, "low accuracy"
   method — geometric mean longitude L0, mean anomaly M, equation of the centre C, then the
   apparent longitude λ = L0 + C − 0.00569° − 0.00478° sin Ω. Accuracy about 0.01°, i.e. about a
   quarter of an hour of time.
2. Solve λ(t) = 15° by Newton iteration on the Julian Ephemeris Day (the Sun moves ~0.9856°/day).
3. Terrestrial time → universal time with ΔT (Espenak–Meeus polynomial fits, NASA eclipse site),
   then +8 hours, and take the calendar date.

Checked in tests against the `chinese_calendar` package's solar-term table for 1950–2099.
"""
from __future__ import annotations

import math
from datetime import date

J2000 = 2451545.0
_ORDINAL_2000 = date(2000, 1, 1).toordinal()  # its 0h UT is JD 2451544.5
TROPICAL_YEAR = 365.2422


def _apparent_longitude(jde: float) -> float:
    """Apparent geocentric ecliptic longitude of the Sun in degrees, 0–360."""
    t = (jde - J2000) / 36525.0
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    m = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
    c = ((1.914602 - 0.004817 * t - 0.000014 * t * t) * math.sin(m)
         + (0.019993 - 0.000101 * t) * math.sin(2 * m) + 0.000289 * math.sin(3 * m))
    omega = math.radians(125.04 - 1934.136 * t)
    return (l0 + c - 0.00569 - 0.00478 * math.sin(omega)) % 360.0


def delta_t_seconds(year: float) -> float:
    """ΔT = TT − UT in seconds (Espenak–Meeus fits; good to a few seconds in 1900–2150)."""
    if year < 1920:
        t = year - 1900
        return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4
    if year < 1941:
        t = year - 1920
        return 21.20 + 0.84493 * t - 0.076100 * t ** 2 + 0.0020936 * t ** 3
    if year < 1961:
        t = year - 1950
        return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547
    if year < 1986:
        t = year - 1975
        return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718
    if year < 2005:
        t = year - 2000
        return (63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3
                + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5)
    if year < 2050:
        t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t ** 2
    return -20 + 32 * ((year - 1820) / 100) ** 2 - 0.5628 * (2150 - year)


def solar_term_jde(year: int, longitude: float, guess: date) -> float:
    """The Julian Ephemeris Day at which the Sun reaches *longitude*, searched near *guess*."""
    jde = guess.toordinal() - _ORDINAL_2000 + 2451544.5 + 0.5
    for _ in range(50):
        diff = (longitude - _apparent_longitude(jde) + 180.0) % 360.0 - 180.0
        jde += diff * TROPICAL_YEAR / 360.0
        if abs(diff) < 1e-7:
            break
    return jde


def qingming(year: int) -> date:
    """The 清明 day of *year* in Beijing time."""
    jde = solar_term_jde(year, 15.0, date(year, 4, 5))
    beijing = jde - delta_t_seconds(year + 0.26) / 86400.0 + 8.0 / 24.0
    return date.fromordinal(_ORDINAL_2000 + math.floor(beijing - 2451544.5))
