"""Grid master data: create, edit, assign grid workers, import from CSV (code,name,region_code,…)."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from sqlalchemy import delete, select

from core.toolkit import User
from core.toolkit import db
from core.toolkit import Region
from core.toolkit import in_scope
from ..models import Grid, GridWorker
from ..errors import MediationError

CSV_COLUMNS = ("code", "name", "region_code", "boundary", "households", "workers")


def _clean(user, code, name, region_id, boundary, households, grid_id=None) -> dict:
    errors = {}
    code = (code or "").strip()
    name = " ".join((name or "").split())
    if not code:
        errors["code"] = _("Required.")
    elif len(code) > 30:
        errors["code"] = _("Must have at most %(n)s characters.", n=30)
    elif db.session.scalar(select(Grid.id).where(Grid.code == code, Grid.id != (grid_id or 0))) is not None:
        errors["code"] = _("Another grid already has this code.")
    if not name:
        errors["name"] = _("Required.")
    elif len(name) > 100:
        errors["name"] = _("Must have at most %(n)s characters.", n=100)
    region = None
    try:
        region = db.session.get(Region, int(region_id)) if region_id else None
    except (TypeError, ValueError):
        region = None
    if region is None or not in_scope(user, region.id):
        errors["region_id"] = _("No such region in your scope.")
    elif region.level not in ("village", "group"):
        errors["region_id"] = _("A grid lies in a village or community.")
    try:
        households = int(households or 0)
        if not 0 <= households <= 1_000_000:
            raise ValueError
    except (TypeError, ValueError):
        errors["households"] = _("Must be a whole number between 0 and 1000000.")
        households = 0
    if errors:
        raise MediationError(errors)
    return dict(code=code, name=name, region_id=region.id, boundary=(boundary or "").strip()[:500],
                households=households)


def _set_workers(grid: Grid, user_ids) -> None:
    ids = sorted({int(i) for i in user_ids or ()})
    workers = list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []
    bad = [u for u in workers if "grid_worker" not in u.role_codes]
    if len(workers) != len(ids) or bad:
        raise MediationError({"workers": _("Only users with the grid-worker role can be assigned.")})
    db.session.execute(delete(GridWorker).where(GridWorker.grid_id == grid.id))
    for u in workers:
        db.session.add(GridWorker(grid_id=grid.id, user_id=u.id))
    db.session.flush()
    db.session.expire(grid, ["workers"])


def save_grid(user, grid: Grid | None, *, code, name, region_id, boundary="", households=0, worker_ids=()) -> Grid:
    values = _clean(user, code, name, region_id, boundary, households, grid.id if grid else None)
    if grid is None:
        grid = Grid(**values)
        db.session.add(grid)
    else:
        for k, v in values.items():
            setattr(grid, k, v)
    db.session.flush()
    _set_workers(grid, worker_ids)
    return grid


def import_csv(user, data: bytes) -> dict:
    """Create or update grids from CSV; all rows or none. Errors name the line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MediationError({"file": _("The file is not UTF-8 text.")}) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        raise MediationError({"file": _("Missing columns: %(cols)s", cols=", ".join(missing))})
    created = updated = 0
    for line, row in enumerate(reader, start=2):
        region = db.session.scalar(select(Region).where(Region.code == (row.get("region_code") or "").strip()))
        usernames = (row.get("workers") or "").replace(";", " ").replace(",", " ").split()
        ids = list(db.session.scalars(select(User.id).where(User.username.in_(usernames)))) if usernames else []
        try:
            if len(ids) != len(set(usernames)):
                raise MediationError({"workers": _("Unknown user name.")})
            grid = db.session.scalar(select(Grid).where(Grid.code == (row.get("code") or "").strip()))
            save_grid(user, grid, code=row.get("code"), name=row.get("name"), region_id=region.id if region else None,
                      boundary=row.get("boundary"), households=row.get("households"), worker_ids=ids)
        except MediationError as exc:
            raise MediationError({"file": _("Line %(line)d: %(msg)s", line=line, msg=exc.message)}) from None
        if grid is None:
            created += 1
        else:
            updated += 1
    return {"created": created, "updated": updated}
