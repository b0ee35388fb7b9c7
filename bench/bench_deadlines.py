"""Deadline computations per second: the engine (precomputed working-day index + binary search,
on the holiday table of a demo database) against a straightforward day-by-day loop over
``chinese_calendar.is_workday``, on the same mixed set of 12,000 (rule, start, pause) inputs.
Both must give the same due dates (the "mismatches" figure)."""
from __future__ import annotations

import random
import time
from datetime import date, timedelta

import chinese_calendar as cc

from bench import demo_app, row

N_INPUTS = 12_000
RULES = [  # (length, unit) of the contract §3 rules
    (15, "calendar"), (15, "calendar"), (5, "working"), (60, "calendar"), (90, "calendar"),
    (30, "calendar"), (30, "calendar"), (7, "working"), (3, "working"), (5, "working"),
    (60, "calendar"), (6, "months"), (12, "months"), (36, "months"),
]


def inputs(n: int = N_INPUTS, seed: int = 20261123) -> list[tuple]:
    """(start, length, unit, pauses): starts 2005–2022 so every period stays inside 2004–2026,
    the years chinese_calendar knows; one input in five has a pause."""
    rnd = random.Random(seed)
    first, last = date(2005, 1, 1).toordinal(), date(2022, 12, 31).toordinal()
    out = []
    for _ in range(n):
        length, unit = rnd.choice(RULES)
        start = date.fromordinal(rnd.randint(first, last))
        pauses = []
        if rnd.random() < 0.2:
            p1 = date.fromordinal(start.toordinal() + rnd.randint(1, 10))
            pauses = [(p1, date.fromordinal(p1.toordinal() + rnd.randint(0, 9)))]
        out.append((start, length, unit, pauses))
    return out


# -- the straightforward way ---------------------------------------------------------------------
def _paused(day: date, pauses) -> bool:
    return any(a <= day <= b for a, b in pauses)


def naive_due(start: date, length: int, unit: str, pauses) -> date:
    """Walk the calendar one day at a time, asking chinese_calendar about each day."""
    one = timedelta(days=1)
    day = start
    if unit == "working":
        counted = 0
        while counted < length:
            day += one
            if cc.is_workday(day) and not _paused(day, pauses):
                counted += 1
        return day
    if unit == "months":
        from core.calendar.engine import add_months
        end = add_months(start, length)
    else:
        end = start
        for _ in range(length):
            end += one
    for a, b in sorted(pauses):
        lo = max(a, start + one)
        if lo <= end and lo <= b:
            day = lo
            while day <= b:
                end += one
                day += one
    while not cc.is_workday(end):
        end += one
    return end


def _rate(fn, items, repeat: int = 3) -> tuple[float, list]:
    """Computations per second, best of *repeat* passes (the machine is shared), and the results."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        results = [fn(*item) for item in items]
        best = min(best, time.perf_counter() - t0)
    return len(items) / best, results


def run() -> list[dict]:
    from core.calendar import cache, services
    from core.calendar.engine import compute

    items = inputs()
    with demo_app() as app:
        cal = cache.get_calendar()
        engine_rate, engine_due = _rate(lambda s, n, u, p: compute(cal, s, n, u, p).due, items, repeat=5)
        service_items = items[:3000]
        service_rate, _ = _rate(lambda s, n, u, p: services.compute(s, n, u, p).due, service_items)
        with app.test_request_context("/"):
            request_rate, _ = _rate(lambda s, n, u, p: services.compute(s, n, u, p).due, items)
        t0 = time.perf_counter()
        cache.clear()
        cache.get_calendar()
        build_ms = (time.perf_counter() - t0) * 1000
    naive_rate, naive_due_dates = _rate(naive_due, items)
    mismatches = sum(a != b for a, b in zip(engine_due, naive_due_dates))
    return [
        row("deadline.compute (index)", round(engine_rate), "computations/s", baseline=round(naive_rate),
            note=f"baseline: day-by-day loop over chinese_calendar.is_workday; {len(items)} inputs"),
        row("deadline.speed-up vs day-by-day loop", round(engine_rate / naive_rate, 1), "x", target=">= 30"),
        row("deadline.compute (service API, in a request)", round(request_rate), "computations/s",
            note="services.compute: revision read once per request"),
        row("deadline.compute (service API, outside requests)", round(service_rate), "computations/s",
            note="services.compute: one revision query per call (CLI, scheduler)"),
        row("deadline.index build (2000–2050)", round(build_ms, 1), "ms", note="once per process per holiday-table revision"),
        row("deadline.mismatches vs chinese_calendar", mismatches, "inputs", target="<= 0"),
    ]
