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


_built: dict[tuple, list[MenuNode]] = {}     # per process: the tree depends only on what the key names


def menus_for(user, host) -> list[MenuNode]:
    """The tree for *user*, built once per process for each (plugins, permissions, language, mount point):
    a change of grants changes the permission set (core.auth.grants) and so the key; enabling or disabling
    a plugin takes effect with a new process, which starts with an empty cache."""
    if not getattr(user, "is_authenticated", False):
        return []
    from flask import request
    from flask_babel import get_locale
    key = (id(host), len(host.contributions), frozenset(getattr(user, "permission_codes", ())),
           str(get_locale()), request.script_root if request else "")
    tree = _built.get(key)
    if tree is None:
        tree = _build(user, host)
        if len(_built) > 500:
            _built.clear()
        _built[key] = tree
    return tree


def _build(user, host) -> list[MenuNode]:
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
