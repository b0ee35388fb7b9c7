"""Reference numbers per second on the current database (``DATABASE_URL``: PostgreSQL gets a scratch
database of its own; otherwise a copy of the demo SQLite database).

Figures: one number per transaction (the real use: a record is saved with its reference), the same
with 8 writers at once on one sequence (they queue on the counter row's lock), and many numbers in
one transaction (bulk loads). The baseline is the floor: a bare UPDATE of the counter row and a
commit on a raw connection, without the sequence service around it."""
from __future__ import annotations

import threading
import time
from datetime import date


from bench import database_app, measure, row

SEQ = "core.bench_case"
YEAR_DAY = date(2026, 6, 1)


def _concurrent(app, writers: int, per_writer: int) -> float:
    from core.db import db
    from core.sequences import next_reference

    barrier = threading.Barrier(writers + 1)
    errors = []

    def work():
        try:
            with app.app_context():
                barrier.wait()
                for _ in range(per_writer):
                    next_reference(SEQ, YEAR_DAY)
                    db.session.commit()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return writers * per_writer / (time.perf_counter() - t0)


def run() -> list[dict]:
    from core.db import db
    from core.sequences import next_reference
    from core.sequences.services import last_number, sync_sequences

    with database_app("seq", seed=False, engine_options={"pool_size": 12}) as (app, dialect):
        app.extensions["concord"].core_context().sequence(SEQ, "JS-XF-{year}-{n:05d}")
        sync_sequences()
        next_reference(SEQ, YEAR_DAY)
        db.session.commit()

        def one():
            next_reference(SEQ, YEAR_DAY)
            db.session.commit()

        single = measure(one, seconds=2.0)

        raw = db.engine.raw_connection()
        cur = raw.cursor()
        marker = "%s" if dialect == "postgresql" else "?"
        sql = (f"UPDATE core_sequence_counter SET last_number = last_number + 1 "
               f"WHERE sequence_code = {marker} AND year = {marker}")

        def bare():
            cur.execute(sql, (SEQ, 2026))
            raw.commit()

        floor = measure(bare, seconds=1.0)
        raw.close()

        def batch():
            for _ in range(100):
                next_reference(SEQ, YEAR_DAY)
            db.session.commit()

        bulk = measure(batch, seconds=1.5, min_runs=3)
        before = last_number(SEQ, 2026)
        concurrent = _concurrent(app, writers=8, per_writer=50)
        db.session.expire_all()
        assert last_number(SEQ, 2026) == before + 400, "concurrent writers lost or repeated numbers"

    note = f"{dialect}; baseline: bare UPDATE + COMMIT"
    return [
        row("one number per transaction", single.per_second, "numbers/s", baseline=floor.per_second, note=note),
        row("p95 latency, one number + commit", single.p95 * 1000, "ms", target="<= 50"),
        row("8 concurrent writers, one sequence", concurrent, "numbers/s", baseline=single.per_second,
            note="baseline: one writer"),
        row("100 numbers in one transaction", bulk.per_second * 100, "numbers/s", note=dialect),
    ]
