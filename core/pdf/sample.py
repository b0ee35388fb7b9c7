"""The core sample document ``core.sample``: a formal notice about a user account or a region.

Record ids: ``7`` or ``user:7`` or ``user:officer`` (a core_user by id or username);
``region:430611000000`` or ``region:3`` (a core_region by code or id).
"""
from __future__ import annotations

from sqlalchemy import func, select

from core.auth.models import User
from core.db import db
from core.regions.models import Region

from .templating import RecordNotFound, today


def _county(region: Region | None) -> Region | None:
    """The county-level region above (or at) *region*, else the first county in the tree."""
    node = region
    while node is not None and node.level != "county":
        node = node.parent
    if node is not None:
        return node
    return db.session.scalar(select(Region).where(Region.level == "county").order_by(Region.code).limit(1))


def _header(county: Region | None, number: int) -> dict:
    name = county.name if county else ""
    issuer = f"{name}信访局" if name else "信访局"
    day = today()
    return {
        "issuer": issuer,
        "issuer_mark": f"{issuer}文件",
        "doc_prefix": f"{name[:1]}信访" if name else "信访",
        "doc_year": day.year,
        "doc_serial": number,
        "date": day,
        "printed_by": f"{issuer}办公室",
    }


def _user(key: str) -> dict:
    user = db.session.get(User, int(key)) if key.isdigit() else None
    if user is None:
        user = db.session.scalar(select(User).where(User.username == key))
    if user is None:
        raise RecordNotFound(f"no user {key!r}")
    name = user.display_name or user.username
    roles = "、".join(r.name for r in user.roles) or "（未分配）"
    area = user.region.name if user.region else "全辖区"
    data = _header(_county(user.region), user.id)
    data.update(
        title=f"关于为{name}同志开通和合系统账号的通知",
        recipient="局机关各科室，各乡镇（街道）信访办",
        sections=[
            ("一、开通情况", [
                f"经研究，决定为{name}同志开通和合听证与调解管理系统账号。账号：{user.username}；"
                f"角色：{roles}；管辖范围：{area}。",
            ]),
            ("二、工作要求", [
                "请严格按照《信访工作条例》的规定登记、受理、办理信访事项，做到“件件有着落、事事有回音”。",
                "账号仅限本人使用，不得转借他人；发现异常登录的，应当立即报告。",
            ]),
        ],
        attachments=["和合系统操作手册"],
        cc="市信访局",
    )
    return data


def _region(key: str) -> dict:
    region = db.session.scalar(select(Region).where(Region.code == key))
    if region is None and key.isdigit() and len(key) < 10:
        region = db.session.get(Region, int(key))
    if region is None:
        raise RecordNotFound(f"no region {key!r}")
    children = db.session.scalar(select(func.count(Region.id)).where(Region.parent_id == region.id)) or 0
    data = _header(_county(region), region.id)
    data.update(
        title=f"关于做好{region.name}矛盾纠纷排查化解工作的通知",
        recipient=f"{region.name}各有关单位",
        sections=[
            ("一、基本情况", [
                f"{region.name}（统计用区划代码：{region.code}）下辖{children}个区划单位。",
            ]),
            ("二、工作要求", [
                "各单位要坚持和发展新时代“枫桥经验”，做到小事不出村、大事不出镇、矛盾不上交。",
                "排查发现的矛盾纠纷，应当在网格内登记，逐级上报，限期化解。",
            ]),
        ],
        attachments=[],
        cc="",
    )
    return data


def load_sample(record_id: str) -> dict:
    kind, sep, key = str(record_id).strip().partition(":")
    if not sep:
        kind, key = "user", kind
    if kind == "user" and key:
        return _user(key)
    if kind == "region" and key:
        return _region(key)
    raise RecordNotFound(f"record ids for core.sample look like 7, user:officer or region:430611000000, not {record_id!r}")
