"""The petition duplicate check (same person by ID or name + phone, similar request in the region)
against a register of N synthetic petitions (``PETITION_BENCH_N``, default 100,000; the issue's figure
is at 1,000,000: ``PETITION_BENCH_N=1000000 python -m bench petition_duplicates``, or seed a real
instance with ``concord seed scale --petitions 1000000``). The baseline is the bare person lookup
(``core.parties.find_duplicates``) the check starts with."""
from __future__ import annotations

import os

from bench import demo_app, measure, row


def run() -> list[dict]:
    from core.db import db
    from core.parties import find_duplicates
    from plugins.petition import services
    from plugins.petition.models import PetitionCase
    from plugins.petition.seed import seed_scale

    n = int(os.environ.get("PETITION_BENCH_N", "100000"))
    with demo_app() as app:  # noqa: F841
        seed_scale(petitions=n)
        db.session.commit()
        sample = db.session.get(PetitionCase, n // 2)
        person = sample.petitioner

        def check():
            services.duplicate_candidates(name=person.name, phone=person.phone, request=sample.request,
                                          region_id=sample.region_id)

        def bare():
            find_duplicates(name=person.name, phone=person.phone)

        t = measure(check, seconds=2.0)
        b = measure(bare, seconds=1.0)
        found = services.duplicate_candidates(name=person.name, phone=person.phone, request=sample.request,
                                              region_id=sample.region_id)
        assert any(c["case"].id == sample.id for c in found), "the check must find the item itself"
        return [row("petition.duplicate_check", round(t.median * 1000, 2), "ms",
                    baseline=round(b.median * 1000, 2), target="<= 20",
                    note=f"{n} petitions, SQLite, p95 {t.p95 * 1000:.1f} ms")]
