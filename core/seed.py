"""Demo data (君山区, demo accounts) and synthetic scale data; each plugin adds its own records."""
from __future__ import annotations

from sqlalchemy import select

from core.auth.models import User
from core.auth.services import create_user
from core.db import db
from core.regions.importer import DEMO_CSV, import_regions
from core.regions.models import Region

DEMO_PASSWORD = "concord-demo"
DISTRICT = "430611000000"          # 君山区
# two grids in two villages of two different towns
GRID1_VILLAGE = "430611001001"     # 柳林洲街道 柳林社区
GRID2_VILLAGE = "430611100201"     # 广兴洲镇 (first village)

DEMO_USERS = [
    # username, roles, region, display name
    ("admin", ["admin"], DISTRICT, "系统管理员"),
    ("officer", ["officer"], DISTRICT, "王信访"),
    ("leader", ["leader"], DISTRICT, "李包案"),
    ("mediator", ["mediator"], DISTRICT, "赵调解"),
    ("grid1", ["grid_worker"], GRID1_VILLAGE, "陈网格"),
    ("grid2", ["grid_worker"], GRID2_VILLAGE, "刘网格"),
    ("legal", ["legal"], DISTRICT, "周法务"),
    ("aid", ["aid"], DISTRICT, "吴援助"),
    # 三员分立 (core/security/duties.py): admin is the system administrator
    ("secadmin", ["security_admin"], DISTRICT, "安全管理员"),
    ("auditor", ["audit_admin"], DISTRICT, "审计管理员"),
]


def _village_for_grid2() -> str:
    if db.session.scalar(select(Region.id).where(Region.code == GRID2_VILLAGE)):
        return GRID2_VILLAGE
    # the first village of the second town, whatever its code
    towns = db.session.scalars(select(Region).where(Region.level == "town").order_by(Region.code)).all()
    village = db.session.scalar(select(Region).where(Region.parent_id == towns[1].id).order_by(Region.code))
    return village.code


def seed_demo(host) -> dict:
    stats = import_regions(DEMO_CSV)
    created = []
    for username, roles, region, name in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        if username == "grid2":
            region = _village_for_grid2()
        create_user(username, DEMO_PASSWORD, roles, region, name, check_password=False)
        created.append(username)
    db.session.flush()
    for c in host.items("seed_demo"):
        c.value()
    return {"regions": stats, "users_created": created}


def is_empty() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is None
