"""District monthly dispute roll-up (plugins/mediation/reports/services.py) against a single hand-written GROUP BY
over the same rows (the floor). Rows come from the mediation scale seeder (``concord seed scale``).

On PostgreSQL (``DATABASE_URL``) a scratch database gets ``BENCH_DISPUTES`` items (default 1,000,000);
on SQLite the demo copy gets 200,000 unless ``BENCH_DISPUTES`` says otherwise. Two cases: one month
(the real report) and all rows at once (every item of the seeded two years in one roll-up).

Two baselines: the floor (one column grouped, as the issue asks) and the same figures written by hand
the obvious way (one GROUP BY over the unit and the five text columns, rows fetched), which by itself costs
PostgreSQL about 2.5× the floor. The roll-up instead groups by the unit and one packed integer
(plugins/mediation/ledger_key.py), read from an index alone. After seeding, the table is vacuumed and
analysed, as autovacuum does after a bulk insert (an index-only scan needs the visibility map).
"""
from __future__ import annotations

import os
import time
from datetime import datetime

from bench import database_app, measure, row
from core import clock


def run() -> list[dict]:
    from sqlalchemy import func, select, text

    from core.db import db
    from core.regions.models import Region
    from plugins.mediation.models import Dispute
    from plugins.mediation.reports.services import parse_month, rollup, rollup_between
    from plugins.mediation.seed import seed_scale

    rows = []
    with database_app("med") as (app, dialect):
        n = int(os.environ.get("BENCH_DISPUTES") or (1_000_000 if dialect == "postgresql" else 200_000))
        t0 = time.perf_counter()
        seed_scale(disputes=n)
        db.session.commit()
        if dialect == "postgresql":
            # what autovacuum does to a table after a bulk insert: statistics, and the visibility map that
            # lets the roll-up read its index alone (an index-only scan)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE mediation_dispute"))
        seeded = time.perf_counter() - t0
        rows.append(row(f"scale seeder: {n} disputes ({dialect})", n / seeded, "rows/s"))
        district = db.session.scalar(select(Region).where(Region.level == "county").order_by(Region.code))
        month = f"{clock.now().year - 1}-{clock.now().month:02d}"   # inside the seeded two years
        start, end = parse_month(month)
        in_month = db.session.scalar(select(func.count(Dispute.id)).where(Dispute.found_at >= start,
                                                                          Dispute.found_at < end))

        def floor(lo, hi):
            return lambda: db.session.execute(
                select(Dispute.category, func.count()).where(Dispute.found_at >= lo, Dispute.found_at < hi)
                .group_by(Dispute.category)).all()

        dims = (Dispute.region_id, Dispute.category, Dispute.source, Dispute.risk_level, Dispute.state,
                Dispute.handling_level)

        def same_figures(lo, hi):
            """The same figures written by hand: one GROUP BY of every dimension, fetched as rows."""
            return lambda: db.session.execute(
                select(*dims, func.count()).where(Dispute.found_at >= lo, Dispute.found_at < hi).group_by(*dims)).all()

        all_lo, all_hi = datetime(2000, 1, 1), datetime(2100, 1, 1)
        ours = measure(lambda: rollup_between(district, all_lo, all_hi), seconds=2.0, min_runs=3, warmup=1)
        base = measure(same_figures(all_lo, all_hi), seconds=2.0, min_runs=3, warmup=1)
        rows.append(row(f"district roll-up of all {n} items vs the same figures by hand ({dialect}), median",
                        ours.median * 1000, "ms", baseline=base.median * 1000, target="<= 2000 ms, ratio <= 2",
                        note="baseline: SELECT region_id, category, source, risk_level, state, handling_level, "
                             "count(*) … GROUP BY all six"))
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
