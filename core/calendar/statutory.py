"""The statutory holidays fixed by law, used for years the holiday table does not cover.

全国年节及纪念日放假办法 (2024 revision, Art. 2): 元旦 1 Jan; 春节 除夕 and 初一–初三; 清明 on the
solar-term day; 劳动节 1–2 May; 端午 lunar 5/5; 中秋 lunar 8/15; 国庆 1–3 Oct. The yearly 调休
(make-up working days, days in lieu) are announced by the State Council and cannot be derived, so
none are guessed. The current list is applied to every uncovered year, past ones included; the
engine flags any result that depended on such a year (``calendar_incomplete``).
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from lunardate import LunarDate

from .solar import qingming

NEW_YEAR, SPRING, QINGMING, LABOUR, DRAGON_BOAT, MID_AUTUMN, NATIONAL = (
    "元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")

FIRST_YEAR, LAST_YEAR = 1901, 2099  # what the lunar tables (lunardate) support


def _solar(lunar_year: int, month: int, day: int) -> date:
    lunar = LunarDate(lunar_year, month, day)
    to_solar = getattr(lunar, "to_solar_date", None) or lunar.toSolarDate  # lunardate < 0.3
    return to_solar()


def _days(start: date, count: int) -> list[date]:
    return [date.fromordinal(start.toordinal() + i) for i in range(count)]


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[date, str]:
    """Every statutory holiday of *year* with its name (no weekends, no 调休)."""
    new_year = _solar(year, 1, 1)
    days: dict[date, str] = {date(year, 1, 1): NEW_YEAR}
    days.update({d: SPRING for d in _days(date.fromordinal(new_year.toordinal() - 1), 4)})
    days[qingming(year)] = QINGMING
    days.update({date(year, 5, 1): LABOUR, date(year, 5, 2): LABOUR})
    days[_solar(year, 5, 5)] = DRAGON_BOAT
    days[_solar(year, 8, 15)] = MID_AUTUMN
    days.update({date(year, 10, d): NATIONAL for d in (1, 2, 3)})
    return days
