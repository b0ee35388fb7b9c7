"""Roles are contributed: core declares only the administrator; each plugin declares the roles its users
hold with ``ctx.role(code, label, description, grants=[...])`` (contract §4). Permissions are data:
declarations give defaults, administrators edit them."""
from flask_babel import lazy_gettext as _l

ADMIN = "admin"


def setup_roles(ctx) -> None:
    ctx.role(ADMIN, _l("Administrator"), _l("Everything, including users, roles and plugins"))


def declared_roles(host) -> dict:
    """code → the first declaration of each role (``core.plugins.context.Role``), in load order."""
    out = {}
    for c in host.items("role"):
        out.setdefault(c.key, c.value)
    return out
