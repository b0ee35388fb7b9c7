"""Dashboard queries (core/kpi) against one hand-written SQL query of the same figure each.

Rows come from the scale seeders (``concord seed scale``): ``BENCH_PETITIONS`` (default 20,000) and
``BENCH_DISPUTES`` (default 100,000) on the demo SQLite copy, or on a scratch PostgreSQL database when
``DATABASE_URL`` names one (the issue's district scale is 100k petitions and 1M disputes: set both).
Figures: each KPI tile, the region breakdown and the charts with the figure cache off (the SQL as it runs), and the
whole /dashboard/ page with the cache off and warm."""
from __future__ import annotations

import os
import time

from bench import client, database_app, login, measure, row
from core import clock


def run() -> list[dict]:
    from sqlalchemy import text

    from core.db import db
    from core.kpi import measures as M
    from core.kpi import periods as P
    from core.kpi.charts import charts
    from core.kpi.regions import root_for, subtree_ids
    from core.kpi.services import breakdown, definitions, kpi_value
    from core.scale import seed_scale
    from core.auth.models import User
    from sqlalchemy import select

    out = []
    with database_app("dash") as (app, dialect):
        np_, nd = int(os.environ.get("BENCH_PETITIONS", 20_000)), int(os.environ.get("BENCH_DISPUTES", 100_000))
        t0 = time.perf_counter()
        seed_scale(app.extensions["concord"], petitions=np_, disputes=nd)
        db.session.commit()
        out.append(row(f"scale seed: {np_} petitions + {nd} disputes ({dialect})", time.perf_counter() - t0, "s"))
        leader = db.session.scalar(select(User).where(User.username == "leader"))
        region = root_for(leader)
        ids = subtree_ids(region)
        now = clock.now()
        month = P.Period("month", now.year - 1, now.month)      # inside the seeded history
        s, e = month.start.isoformat(sep=" "), month.end.isoformat(sep=" ")
        idlist = ",".join(map(str, ids))
        hand = {
            "timely_acceptance": f"SELECT count(*) FROM petition_case WHERE received_at >= '{s}' AND received_at < '{e}' "
                                 f"AND region_id IN ({idlist})",
            "repeat_petitions": f"SELECT count(*) FROM petition_case WHERE received_at >= '{s}' AND received_at < '{e}' "
                                f"AND repeat AND region_id IN ({idlist})",
            "mediation_success": f"SELECT count(*) FROM mediation_dispute WHERE found_at >= '{s}' AND found_at < '{e}' "
                                 f"AND state IN ('resolved','failed','refused','closed') AND region_id IN ({idlist})",
        }
        registry = M.measures()
        app.config["KPI_CACHE_SECONDS"] = 0      # each query as it runs on a cold cache
        for k in definitions():
            ours = measure(lambda k=k: kpi_value(k, month, ids, registry), seconds=1.0, min_runs=3, warmup=1)
            base_sql = hand.get(k.code)
            base = measure(lambda q=base_sql: db.session.execute(text(q)).all(), seconds=0.5, min_runs=3,
                           warmup=1) if base_sql else None
            v = kpi_value(k, month, ids, registry)
            figure = f"{v.numerator}/{v.denominator}" if v.denominator is not None else f"{v.numerator}"
            out.append(row(f"KPI {k.code} ({dialect}, 2 periods × num/den), median", ours.median * 1000, "ms",
                           baseline=base.median * 1000 if base else None,
                           note=(f"figure {figure}; " + ("baseline: one COUNT(*) of the denominator by hand "
                                                          "(ours runs up to 4 counts)" if base else "no hand baseline"))))
        ours = measure(lambda: breakdown(region, month), seconds=1.0, min_runs=3, warmup=1)
        base = measure(lambda: db.session.execute(text(
            f"SELECT region_id, count(*) FROM petition_case WHERE received_at >= '{s}' AND received_at < '{e}' "
            f"AND region_id IN ({idlist}) GROUP BY region_id")).all(), seconds=0.5, min_runs=3, warmup=1)
        out.append(row(f"region breakdown, 6 measures ({dialect}), median", ours.median * 1000, "ms",
                       baseline=base.median * 1000, note="baseline: one GROUP BY region_id of petitions"))
        ours = measure(lambda: charts(region, month), seconds=1.0, min_runs=3, warmup=1)
        out.append(row(f"charts, 6 months ({dialect}), median", ours.median * 1000, "ms"))
        c = client(app)
        login(c, "leader")
        cold = measure(lambda: c.get(f"/dashboard/?period={month.code}"), seconds=2.0, min_runs=3, warmup=1)
        out.append(row(f"/dashboard/ page, figure cache off ({dialect}), median", cold.median * 1000, "ms"))
        app.config["KPI_CACHE_SECONDS"] = 60
        page = measure(lambda: c.get(f"/dashboard/?period={month.code}"), seconds=2.0, min_runs=3, warmup=1)
        out.append(row(f"/dashboard/ page warm ({dialect}), median", page.median * 1000, "ms", target="<= 1000",
                       note="figure cache on (CONCORD_KPI_CACHE_SECONDS=60)"))
    return out


if __name__ == "__main__":
    for r in run():
        print(r)
