"""The deadline engine on a calendar built from chinese_calendar's official data (no database).

Every expected date below was worked out by hand from the published arrangements, e.g. 2026:
春节 02-15..23 off, 02-14 (Sat) and 02-28 (Sat) worked; 中秋 09-25..27; 国庆 10-01..07 off,
09-20 (Sun) and 10-10 (Sat) worked.
"""
from datetime import date

import chinese_calendar as cc
import pytest

from core.calendar.engine import DeadlineInputError, add_months, compute, compute_with
from core.calendar.index import WorkingCalendar
from core.calendar.solar import qingming
from core.calendar.statutory import statutory_holidays

D = date


@pytest.fixture(scope="module")
def cal():
    entries = [(d, "holiday", n) for d, n in cc.holidays.items()] + [(d, "workday", n) for d, n in cc.workdays.items()]
    return WorkingCalendar.build(entries, range(2004, 2027), 2000, 2050)


def due(cal, start, n, unit, pauses=()):
    return compute(cal, start, n, unit, pauses).due


@pytest.mark.parametrize("start,n,unit,expected", [
    (D(2026, 8, 3), 60, "calendar", D(2026, 10, 8)),     # ends 10-02 (国庆) → first working day 10-08
    (D(2026, 2, 1), 15, "calendar", D(2026, 2, 24)),     # ends 02-16 (春节) → 02-24
    (D(2026, 2, 13), 15, "calendar", D(2026, 2, 28)),    # ends on Sat 02-28, a make-up working day: no roll
    (D(2026, 3, 6), 15, "calendar", D(2026, 3, 23)),     # ends Sat 03-21 → Mon 03-23
    (D(2026, 2, 10), 5, "working", D(2026, 2, 24)),      # 11, 12, 13, Sat 14 (make-up), then 24
    (D(2026, 9, 17), 7, "working", D(2026, 9, 28)),      # 18, Sun 20 (make-up), 21–24, then 28 (中秋 25–27)
    (D(2026, 9, 30), 5, "working", D(2026, 10, 13)),     # 10-08, 09, Sat 10 (make-up), 12, 13
    (D(2026, 9, 28), 5, "working", D(2026, 10, 10)),     # 29, 30, 10-08, 09, Sat 10-10 (make-up)
    (D(2026, 1, 31), 1, "months", D(2026, 2, 28)),       # month end clamps to 02-28, a make-up working day
    (D(2026, 3, 31), 2, "months", D(2026, 6, 1)),        # 05-31 is a Sunday → 06-01
    (D(2024, 1, 31), 1, "months", D(2024, 2, 29)),       # leap year: 02-29 (Thu)
    (D(2026, 4, 1), 6, "months", D(2026, 10, 8)),        # 10-01 (国庆) → 10-08
    (D(2023, 10, 3), 36, "months", D(2026, 10, 8)),      # 民法典 188: 2026-10-03 → 10-08
    (D(2026, 8, 3), 90, "calendar", D(2026, 11, 2)),     # 60 + 30 extension: Sun 11-01 → 11-02
])
def test_contract_cases(cal, start, n, unit, expected):
    result = compute(cal, start, n, unit)
    assert result.due == expected
    assert result.calendar_incomplete is False


def test_make_up_days_are_working_days(cal):
    for d in (D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)):
        assert cal.is_working(d)
    for d in (D(2026, 2, 15), D(2026, 10, 7), D(2026, 9, 19), D(2026, 10, 11)):
        assert not cal.is_working(d)


def test_pause_adds_calendar_days_before_the_roll(cal):
    # 30 days from 03-02 end 04-01; a 10-day pause moves that to Sat 04-11 → Mon 04-13
    assert due(cal, D(2026, 3, 2), 30, "calendar") == D(2026, 4, 1)
    assert due(cal, D(2026, 3, 2), 30, "calendar", [(D(2026, 3, 10), D(2026, 3, 19))]) == D(2026, 4, 13)
    # a pause starting before the start day counts only from the day after the start
    assert due(cal, D(2026, 3, 2), 30, "calendar", [(D(2026, 2, 25), D(2026, 3, 3))]) == D(2026, 4, 2)
    # overlapping pauses count each day once; a pause after the end changes nothing
    assert due(cal, D(2026, 3, 2), 30, "calendar",
               [(D(2026, 3, 10), D(2026, 3, 15)), (D(2026, 3, 12), D(2026, 3, 19))]) == D(2026, 4, 13)
    assert due(cal, D(2026, 3, 2), 30, "calendar", [(D(2026, 5, 1), D(2026, 5, 30))]) == D(2026, 4, 1)


def test_pause_in_a_working_day_period_skips_its_working_days(cal):
    # 5 working days from Mon 03-02: 03, (04, 05 paused), 06, 09, 10, 11
    assert due(cal, D(2026, 3, 2), 5, "working") == D(2026, 3, 9)
    assert due(cal, D(2026, 3, 2), 5, "working", [(D(2026, 3, 4), D(2026, 3, 5))]) == D(2026, 3, 11)
    # a pause over a weekend only costs nothing
    assert due(cal, D(2026, 3, 2), 5, "working", [(D(2026, 3, 7), D(2026, 3, 8))]) == D(2026, 3, 9)
    # two pauses: 03-03 and 03-06 paused → 04, 05, 09, 10, 11
    assert due(cal, D(2026, 3, 2), 5, "working", [(D(2026, 3, 3), D(2026, 3, 3)), (D(2026, 3, 6), D(2026, 3, 6))]) == D(2026, 3, 11)


def test_explanation_lists_skipped_and_rolled_days(cal):
    r = compute(cal, D(2026, 8, 3), 60, "calendar", explain=True)
    assert r.explain["end_before_roll"] == "2026-10-02"
    assert [x["date"] for x in r.explain["rolled"]] == [f"2026-10-0{i}" for i in range(2, 8)]
    assert {x.get("name") for x in r.explain["rolled"]} == {"National Day"}
    r = compute(cal, D(2026, 2, 10), 5, "working", [(D(2026, 2, 12), D(2026, 2, 12))], explain=True)
    reasons = [(x.get("date") or x["from"], x["reason"]) for x in r.explain["skipped"]]
    assert reasons[0] == ("2026-02-12", "pause")
    assert ("2026-02-15", "holiday") in reasons and ("2026-02-14", "holiday") not in reasons
    assert r.due == D(2026, 2, 25)


def test_uncovered_year_uses_the_statutory_fallback_and_says_so(cal):
    r = compute(cal, D(2027, 9, 24), 5, "working")   # 27, 28, 29, 30, (10-01..03 statutory) 10-04
    assert (r.due, r.calendar_incomplete) == (D(2027, 10, 4), True)
    r = compute(cal, D(2026, 12, 31), 1, "calendar")  # 2027-01-01 元旦, then the weekend
    assert (r.due, r.calendar_incomplete) == (D(2027, 1, 4), True)
    r = compute(cal, D(2026, 12, 1), 10, "calendar")  # only 2026 days classified
    assert (r.due, r.calendar_incomplete) == (D(2026, 12, 11), False)


def test_statutory_fallback_matches_the_2024_law():
    days = statutory_holidays(2027)
    assert len(days) == 13
    assert days[D(2027, 2, 5)] == "春节" and days[D(2027, 2, 8)] == "春节"  # 除夕 Fri .. 初三 Mon
    assert days[D(2027, 4, 5)] == "清明节"
    assert days[D(2027, 6, 9)] == "端午节" and days[D(2027, 9, 15)] == "中秋节"
    for year in (2025, 2026):  # years under the 2024 revision: every statutory day is an official holiday
        assert all(cc.is_holiday(d) for d in statutory_holidays(year)), year


def test_qingming_matches_the_solar_term_table():
    for year in range(1901, 2100):
        terms = cc.get_solar_terms(D(year, 4, 1), D(year, 4, 30))
        expected = next(d for d, name in terms if "清明" in str(name))
        assert qingming(year) == expected, year


def test_month_arithmetic():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 12, 15), 36) == D(2030, 12, 15)
    assert add_months(D(2027, 2, 28), 12) == D(2028, 2, 28)


def test_a_narrow_index_is_widened_on_demand():
    built = []

    def get(lo, hi):
        built.append((lo, hi))
        return WorkingCalendar.build([], [], lo, hi)
    r = compute_with(get, D(2026, 1, 5), 36, "months")
    assert r.due == D(2029, 1, 5) and len(built) >= 2


@pytest.mark.parametrize("args", [
    (D(2026, 1, 1), 0, "calendar"), (D(2026, 1, 1), 5, "fortnights"), (D(1800, 1, 1), 5, "calendar"),
    (D(2026, 1, 1), 5, "calendar", [(D(2026, 3, 1), D(2026, 2, 1))]),
])
def test_bad_input_is_refused(cal, args):
    with pytest.raises(DeadlineInputError):
        compute(cal, *args)


def test_beyond_the_supported_years_is_a_clear_error():
    with pytest.raises(DeadlineInputError, match="2099"):
        compute_with(lambda lo, hi: WorkingCalendar.build([], [], lo, hi), D(2098, 6, 1), 36, "months")
