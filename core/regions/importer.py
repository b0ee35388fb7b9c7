"""Import region rows (``code,name,level,parent_code,urban_rural_code``) from CSV, parents first.

The whole file is checked before anything is written: a bad row stops the import with a message
naming the line, and the database is left as it was (the caller rolls back the session anyway).
Existing codes are updated in place (name, level, parent, and the urban-rural code when the file has
one); a region that moves takes its subtree with it. Regions missing from the file are left alone.
"""
from __future__ import annotations

import csv
import io
import os
import re

from flask_babel import gettext as _
from sqlalchemy import select

from core.db import db
from .models import LEVELS, Region

DEMO_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "junshan.csv")
REQUIRED = ("code", "name", "level", "parent_code")
CODE = re.compile(r"[0-9A-Za-z]{1,20}")


class RegionImportError(ValueError):
    pass


def import_regions(path: str) -> dict[str, int]:
    """Import the CSV file at *path*; returns ``{"added", "updated", "rows"}``."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return import_regions_file(fh, path)
    except OSError as exc:
        raise RegionImportError(_("%(file)s: cannot be read (%(reason)s).", file=path,
                                  reason=exc.strerror or exc.__class__.__name__)) from None


def import_regions_bytes(data: bytes, source: str = "CSV") -> dict[str, int]:
    """Import an uploaded file's content."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegionImportError(_("%(file)s: the file is not UTF-8 text.", file=source)) from None
    return import_regions_file(io.StringIO(text, newline=""), source)


def _read(fh, source: str) -> list[tuple[int, dict]]:
    try:
        reader = csv.DictReader(fh, strict=True)
        fields = reader.fieldnames
        if not fields:
            raise RegionImportError(_("%(file)s: the file is empty.", file=source))
        missing = [c for c in REQUIRED if c not in {(f or "").strip() for f in fields}]
        if missing:
            raise RegionImportError(_("%(file)s: the header row needs the columns %(cols)s (missing: %(missing)s).",
                                      file=source, cols=",".join(REQUIRED), missing=",".join(missing)))
        reader.fieldnames = [(f or "").strip() for f in fields]
        rows = []
        for row in reader:
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}))
        return rows
    except UnicodeDecodeError:
        raise RegionImportError(_("%(file)s: the file is not UTF-8 text.", file=source)) from None
    except csv.Error as exc:
        raise RegionImportError(_("%(file)s: not a valid CSV file (%(reason)s).", file=source, reason=str(exc))) from None


def _check(rows: list[tuple[int, dict]], existing: dict[str, Region], source: str) -> None:
    levels = {code: r.level for code, r in existing.items()}
    seen: set[str] = set()
    for line, row in rows:
        where = f"{source}:{line}"
        code, name, level, parent = row.get("code", ""), row.get("name", ""), row.get("level", ""), row.get("parent_code", "")
        if level not in LEVELS:
            raise RegionImportError(_("%(where)s: unknown level %(level)r (use %(levels)s).", where=where,
                                      level=level, levels=", ".join(LEVELS)))
        if not CODE.fullmatch(code):
            raise RegionImportError(_("%(where)s: bad code %(code)r (up to 20 digits or letters).", where=where, code=code))
        if code in seen:
            raise RegionImportError(_("%(where)s: the code %(code)s appears twice.", where=where, code=code))
        if not name or len(name) > 100:
            raise RegionImportError(_("%(where)s: the name of %(code)s is empty or longer than 100 characters.",
                                      where=where, code=code))
        urc = row.get("urban_rural_code", "")
        if urc and not re.fullmatch(r"\d{3}", urc):
            raise RegionImportError(_("%(where)s: the urban-rural code %(urc)r is not three digits.", where=where, urc=urc))
        if parent:
            if parent not in levels or parent == code:
                raise RegionImportError(_("%(where)s: the parent %(parent)s of %(code)s is unknown.",
                                          where=where, parent=parent, code=code))
            if LEVELS.index(levels[parent]) >= LEVELS.index(level):
                raise RegionImportError(_("%(where)s: a %(level)s cannot be under a %(parent_level)s.",
                                          where=where, level=level, parent_level=levels[parent]))
        seen.add(code)
        levels[code] = level


def import_regions_file(fh, source: str = "CSV") -> dict[str, int]:
    rows = _read(fh, source)
    rows.sort(key=lambda item: LEVELS.index(item[1].get("level")) if item[1].get("level") in LEVELS else -1)
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    _check(rows, existing, source)
    added = updated = 0
    for _line, row in rows:
        code, name, level = row["code"], row["name"], row["level"]
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        path_value = (parent.path if parent else "/") + code + "/"
        region = existing.get(code)
        # an empty urban-rural code keeps the one already stored (the NBS extracts often lack it)
        urc = row.get("urban_rural_code") or (region.urban_rural_code if region is not None else None)
        if region is None:
            region = Region(code=code, name=name, level=level, parent=parent, path=path_value, urban_rural_code=urc)
            db.session.add(region)
            existing[code] = region
            added += 1
        elif (region.name, region.level, region.path, region.urban_rural_code) != (name, level, path_value, urc):
            old_path = region.path
            region.name, region.level, region.parent, region.path = name, level, parent, path_value
            region.urban_rural_code = urc
            if old_path != path_value:  # moved: its subtree follows
                for other in existing.values():
                    if other is not region and other.path.startswith(old_path):
                        other.path = path_value + other.path[len(old_path):]
            updated += 1
    db.session.flush()
    return {"added": added, "updated": updated, "rows": len(rows)}
