"""Periods: a month ``2026-03``, a quarter ``2026-Q1`` or a year ``2026``, as half-open datetime ranges."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

KINDS = ("month", "quarter", "year")
_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    n: int = 1          # month 1-12, quarter 1-4, 1 for a year

    @property
    def code(self) -> str:
        return {"month": f"{self.year}-{self.n:02d}", "quarter": f"{self.year}-Q{self.n}"}.get(self.kind, str(self.year))

    @property
    def first_month(self) -> int:
        return {"month": self.n, "quarter": 3 * self.n - 2}.get(self.kind, 1)

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3}.get(self.kind, 12)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime:
        m = self.first_month - 1 + self.months
        return datetime(self.year + m // 12, m % 12 + 1, 1)

    def previous(self) -> "Period":
        if self.kind == "year":
            return Period("year", self.year - 1)
        last = 12 if self.kind == "month" else 4
        return Period(self.kind, self.year - 1, last) if self.n == 1 else Period(self.kind, self.year, self.n - 1)

    def __str__(self) -> str:
        return self.code


def parse(text: str | None) -> Period:
    m = _RE.match((text or "").strip())
    if not m or not 2000 <= int(m.group(1)) <= 2100 or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        raise PeriodError(text)
    year = int(m.group(1))
    if m.group(2):
        return Period("month", year, int(m.group(2)))
    if m.group(3):
        return Period("quarter", year, int(m.group(3)))
    return Period("year", year)


def containing(kind: str, day: date | datetime) -> Period:
    if kind == "month":
        return Period("month", day.year, day.month)
    if kind == "quarter":
        return Period("quarter", day.year, (day.month - 1) // 3 + 1)
    return Period("year", day.year)


def last_months(month: Period, n: int) -> list[Period]:
    out = [month]
    while len(out) < n:
        out.append(out[-1].previous())
    return out[::-1]
