"""Import region rows (``code,name,level,parent_code,urban_rural_code``) from CSV, parents first."""
from __future__ import annotations

import csv
import os

from sqlalchemy import select

from core.db import db
from .models import LEVELS, Region

DEMO_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "junshan.csv")


class RegionImportError(ValueError):
    pass


def import_regions(path: str) -> dict[str, int]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    required = {"code", "name", "level", "parent_code"}
    if rows and not required <= set(rows[0]):
        raise RegionImportError(f"{path}: needs columns {', '.join(sorted(required))}")
    rows.sort(key=lambda r: LEVELS.index(r["level"]) if r["level"] in LEVELS else 99)
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    added = updated = 0
    for n, row in enumerate(rows, start=2):
        code, level = row["code"].strip(), row["level"].strip()
        if level not in LEVELS:
            raise RegionImportError(f"{path}:{n}: unknown level {level!r}")
        if not code or len(code) > 20:
            raise RegionImportError(f"{path}:{n}: bad code {code!r}")
        parent = existing.get(row["parent_code"].strip()) if row.get("parent_code") else None
        if row.get("parent_code") and parent is None:
            raise RegionImportError(f"{path}:{n}: parent {row['parent_code']} of {code} is unknown")
        path_value = (parent.path if parent else "/") + code + "/"
        region = existing.get(code)
        if region is None:
            region = Region(code=code, name=row["name"].strip(), level=level, parent=parent, path=path_value,
                            urban_rural_code=(row.get("urban_rural_code") or None))
            db.session.add(region)
            existing[code] = region
            added += 1
        elif (region.name, region.level, region.path) != (row["name"].strip(), level, path_value):
            region.name, region.level, region.parent, region.path = row["name"].strip(), level, parent, path_value
            updated += 1
    db.session.flush()
    return {"added": added, "updated": updated, "rows": len(rows)}
