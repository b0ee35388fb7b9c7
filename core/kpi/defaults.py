"""The default KPIs (domain.md §1: district assessment rules, e.g. 大川区), declared by the plugins that own
their measures (``ctx.contribute("kpi.default", code, KpiDefault(...))``) and seeded once as data;
administrators edit names, targets, measures and periods afterwards (a re-seed never overwrites them)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from core.db import db
from core.plugins.points import kpi_default
from .models import KpiDefinition


def seed_defaults() -> str:
    have = set(db.session.scalars(select(KpiDefinition.code)))
    added = 0
    declared = sorted(current_app.extensions["concord"].items(kpi_default), key=lambda c: (c.value.order, c.key))
    for c in declared:
        d = c.value
        if d.code in have:
            continue
        db.session.add(KpiDefinition(code=d.code, name=d.name, numerator=d.numerator, denominator=d.denominator,
                                     period=d.period, target=d.target, higher_is_better=d.higher_is_better,
                                     source=d.source, sort_order=d.order, seeded=True))
        added += 1
    db.session.flush()
    return f"{added} added"
