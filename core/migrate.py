"""Alembic, one branch per plugin: core's branch is ``core``; plugin X's first revision carries the
branch label ``X`` and depends on the branches of X's dependencies. ``concord db upgrade`` applies
every loaded plugin's heads; ``concord db revision --plugin X`` autogenerates X's next revision from
the tables X owns (``X_…``) only."""
from __future__ import annotations

import os

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import current_app

HERE = os.path.dirname(os.path.abspath(__file__))


def _branch_dirs(host) -> dict[str, str]:
    return {c.branch: c.value for c in host.items("migrations")}


def alembic_config(app=None) -> Config:
    app = app or current_app
    host = app.extensions["concord"]
    cfg = Config()
    cfg.set_main_option("script_location", os.path.join(HERE, "migrations"))
    dirs = _branch_dirs(host)
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    cfg.set_main_option("version_locations", " ".join(dirs.values()))
    cfg.set_main_option("path_separator", "space")
    cfg.attributes["flask_app"] = app
    return cfg


def upgrade(app=None) -> None:
    cfg = alembic_config(app)
    command.upgrade(cfg, "heads")


def current_heads(app=None) -> set[str]:
    from alembic.runtime.migration import MigrationContext
    from core.db import db
    with db.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def revision(branch: str, message: str, app=None) -> str:
    """Autogenerate the next revision of *branch* from the tables that branch owns."""
    plugin = branch
    app = app or current_app
    host = app.extensions["concord"]
    cfg = alembic_config(app)
    dirs = _branch_dirs(host)
    if plugin not in dirs:
        raise ValueError(f"no migrations branch {plugin!r}; known: {', '.join(sorted(dirs))}")
    script = ScriptDirectory.from_config(cfg)
    has_branch = any(plugin in (rev.branch_labels or ()) for rev in script.walk_revisions())
    cfg.attributes["autogenerate_plugin"] = plugin
    kwargs = dict(message=message, autogenerate=True, version_path=dirs[plugin])
    if has_branch:
        kwargs["head"] = f"{plugin}@head"
    else:
        kwargs["head"] = "base"
        kwargs["branch_label"] = plugin
        deps = ["core"] if plugin != "core" else []
        deps += list(host.branch_depends.get(plugin, ()))
        manifest = next((m for m in host.loaded if m.name == plugin), None)
        if manifest:
            deps += [d for d in manifest.depends if d in dirs]
        deps = list(dict.fromkeys(deps))
        if deps:
            kwargs["depends_on"] = deps
    rev = command.revision(cfg, **kwargs)
    return rev.path if rev is not None and not isinstance(rev, list) else ""
