"""The menu tree a user sees: only entries whose endpoint and permission they may use."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from core.auth.guard import user_may_open


@dataclass
class MenuNode:
    id: str
    label: str
    url: str
    endpoint: str
    children: list["MenuNode"] = field(default_factory=list)


def menus_for(user, host) -> list[MenuNode]:
    if not getattr(user, "is_authenticated", False):
        return []
    entries = sorted(host.values("menu"), key=lambda m: (m.order, m.id))
    visible = {}
    for m in entries:
        if (m.permission and not user.can(m.permission)) or not user_may_open(user, m.endpoint):
            continue
        visible[m.id] = MenuNode(m.id, str(m.label), url_for(m.endpoint), m.endpoint)
    roots = []
    for m in entries:
        node = visible.get(m.id)
        if node is None:
            continue
        if m.parent and m.parent in visible:
            visible[m.parent].children.append(node)
        elif not m.parent:
            roots.append(node)
    return roots
