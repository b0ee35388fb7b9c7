"""``concord seed scale``: synthetic volume; every plugin contributes its own records."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import click
from tqdm import tqdm

from core import clock
from core.db import db

# office hours of a petition office: the morning and the afternoon sittings (minutes after midnight)
OFFICE_HOURS = ((8 * 60 + 30, 12 * 60), (14 * 60 + 30, 17 * 60 + 30))


class OfficeTimes:
    """Random past instants in office hours on working days (the holiday table's working days, through the
    core calendar), within *days* before now: what scale data is dated with, so that "this month" or
    "overdue" figures over seeded data look like an office's. Never after ``clock.now()``."""

    def __init__(self, rng: random.Random, days: int = 730):
        from core.calendar.cache import get_calendar
        now = clock.now().replace(second=0, microsecond=0)
        first = now.date() - timedelta(days=days)
        cal = get_calendar(first.year, now.year)
        self.rng = rng
        self.now = now
        self.days = [first + timedelta(days=k) for k in range(days + 1)
                     if cal.is_working(first + timedelta(days=k))]
        if not self.days:
            raise click.ClickException("no working day in the seeding window")
        self.minutes = [m for lo, hi in OFFICE_HOURS for m in range(lo, hi)]

    def __call__(self) -> datetime:
        for _ in range(20):
            day = self.rng.choice(self.days)
            at = datetime(day.year, day.month, day.day) + timedelta(minutes=self.rng.choice(self.minutes))
            if at <= self.now:
                return at
        return datetime(self.days[0].year, self.days[0].month, self.days[0].day, 9, 0)


def office_time(rng: random.Random, days: int = 730) -> OfficeTimes:
    return OfficeTimes(rng, days)


def seed_scale(host, petitions: int = 0, disputes: int = 0, skip: set[str] = frozenset()) -> None:
    """Every plugin's scale seeder, except those of the plugins named in *skip* (``--skip centre``: the list
    benchmarks do not need the centre's traffic, the slowest seeder)."""
    seeders = [c for c in host.items("seed_scale") if c.plugin not in skip]
    if not seeders:
        click.echo("no plugin contributes scale data")
        return
    for c in seeders:
        with tqdm(desc=c.key, unit="rec", total=None, file=None) as bar:
            c.value(petitions=petitions, disputes=disputes, progress=bar.update)
        db.session.commit()
    from core.db import refresh_planner_statistics
    refresh_planner_statistics()
