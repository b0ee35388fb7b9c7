"""The menu tree a user sees: only entries whose endpoint and permission they may use."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from markupsafe import escape

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


_drawn: dict[tuple[int, str | None], tuple[list, str]] = {}   # (tree, active section) → its <li> markup


def nav_items_html(tree: list[MenuNode], blueprint: str | None) -> str:
    """The main menu's items as ``base.html`` draws them, drawn once per process for each tree and request
    blueprint (issue 22: the Jinja loop ran on every page). An entry is highlighted on its own blueprint's
    pages and on its plugin's sub-feature blueprints (``<plugin>_<feature>``). The tree object is kept with
    its markup, so a rebuilt tree never reads another's."""
    key = (id(tree), blueprint)
    hit = _drawn.get(key)
    if hit is not None and hit[0] is tree:
        return hit[1]
    parts = []
    for m in tree:
        mb = m.endpoint.split(".")[0]
        css = "active" if blueprint and (blueprint == mb or blueprint.startswith(mb + "_")) else ""
        sub = ""
        if m.children:
            sub = '<ul class="submenu">' + "".join(
                f'<li><a href="{escape(c.url)}" data-menu="{escape(c.id)}">{escape(c.label)}</a></li>'
                for c in m.children) + "</ul>"
        parts.append(f'\n      \n      <li class="{css}">\n        <a href="{escape(m.url)}" data-menu="{escape(m.id)}">'
                     f'{escape(m.label)}</a>\n        {sub}\n      </li>\n    ')
    html = "".join(parts)
    if len(_drawn) > 2000:
        _drawn.clear()
    _drawn[key] = (tree, html)
    return html


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
