"""District monthly dispute roll-up (plugins/mediation/reports.py) against a single hand-written GROUP BY
over the same rows (the floor). Rows come from the mediation scale seeder (``concord seed scale``).

On PostgreSQL (``DATABASE_URL``) a scratch database gets ``BENCH_DISPUTES`` items (default 1,000,000);
on SQLite the demo copy gets 200,000 unless ``BENCH_DISPUTES`` says otherwise. Two cases: one month
(the real report) and all rows at once (every item of the seeded two years in one roll-up).
"""
from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime

from bench import database_app, measure, row


def run() -> list[dict]:
    from sqlalchemy import func, select, text

    from core.db import db
    from core.regions.models import Region
    from plugins.mediation.models import Dispute
    from plugins.mediation.reports import parse_month, rollup, rollup_between
    from plugins.mediation.seed import seed_scale

    rows = []
    with database_app("med") as (app, dialect):
        n = int(os.environ.get("BENCH_DISPUTES") or (1_000_000 if dialect == "postgresql" else 200_000))
        t0 = time.perf_counter()
        seed_scale(disputes=n)
        db.session.commit()
        if dialect == "postgresql":
            db.session.execute(text("ANALYZE mediation_dispute"))
            db.session.commit()
        seeded = time.perf_counter() - t0
        rows.append(row(f"scale seeder: {n} disputes ({dialect})", n / seeded, "rows/s"))
        district = db.session.scalar(select(Region).where(Region.level == "county").order_by(Region.code))
        month = f"{datetime.now().year - 1}-{datetime.now().month:02d}"   # inside the seeded two years
        start, end = parse_month(month)
        in_month = db.session.scalar(select(func.count(Dispute.id)).where(Dispute.found_at >= start,
                                                                          Dispute.found_at < end))

        def floor(lo, hi):
            return lambda: db.session.execute(
                select(Dispute.category, func.count()).where(Dispute.found_at >= lo, Dispute.found_at < hi)
                .group_by(Dispute.category)).all()

        for label, fn, hand in (
            (f"district roll-up of one month ({in_month} items)", lambda: rollup(district, month), floor(start, end)),
            (f"district roll-up of all {n} items", lambda: rollup_between(district, datetime(2000, 1, 1),
                                                                          datetime(2100, 1, 1)),
             floor(datetime(2000, 1, 1), datetime(2100, 1, 1))),
        ):
            ours = measure(fn, seconds=2.0, min_runs=3, warmup=1)
            base = measure(hand, seconds=2.0, min_runs=3, warmup=1)
            rows.append(row(f"{label} ({dialect}), median", ours.median * 1000, "ms", baseline=base.median * 1000,
                            target="<= 2000 ms on PostgreSQL, ratio <= 2",
                            note="baseline: SELECT category, count(*) … WHERE found_at in range GROUP BY category"))
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
