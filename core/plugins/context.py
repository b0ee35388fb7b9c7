"""The plugin context: the one object through which a plugin (or a core service) contributes.

Every contribution is namespaced by the plugin's name and recorded, so ``concord plugins`` and the
Apps page can show it and a clash fails at start-up instead of at run time.
"""
from __future__ import annotations

import inspect
import os
from dataclasses import dataclass
from typing import Any, Callable

from flask import Blueprint

from .errors import PluginError


@dataclass
class Menu:
    id: str
    label: str
    endpoint: str
    permission: str | None = None
    parent: str | None = None
    order: int = 100
    plugin: str = ""


@dataclass
class Role:
    """A user role (``officer``, ``mediator``, …): shared vocabulary, so not namespaced. Several plugins may
    declare the same role (the first declaration's label wins); ``grants`` are its default permissions,
    any declared permission (core's included)."""
    code: str
    label: Any
    description: Any = ""
    grants: tuple[str, ...] = ()
    plugin: str = ""


@dataclass
class Contribution:
    plugin: str
    kind: str
    key: str
    value: Any = None
    detail: str = ""
    branch: str = ""  # for tables and migrations: the Alembic branch that owns them


class PluginContext:
    """What ``setup(ctx)`` receives. See README "Writing a plugin" for each method."""

    def __init__(self, host, name: str, root_path: str, namespaces: tuple[str, ...] = ()):
        self.host = host
        self.app = host.app
        self.name = name
        self.root_path = root_path
        self._namespaces = (name,) + tuple(namespaces)

    # -- helpers ---------------------------------------------------------------------------------
    def _check_ns(self, kind: str, key: str, sep: str = ".") -> None:
        if not any(key == ns or key.startswith(ns + sep) for ns in self._namespaces):
            raise PluginError(
                f"plugin {self.name!r}: {kind} {key!r} must be namespaced as "
                + " or ".join(f"'{ns}{sep}…'" for ns in self._namespaces)
            )

    def _add(self, kind: str, key: str, value: Any = None, detail: str = "", sep: str = ".") -> None:
        self._check_ns(kind, key, sep)
        self.host.add(Contribution(self.name, kind, key, value, detail))

    # -- the plugin API --------------------------------------------------------------------------
    def is_loaded(self, name: str) -> bool:
        """Whether plugin *name* is enabled in this app (for a plugin's optional ``uses``)."""
        return self.host.is_loaded(name)

    def models(self, module, branch: str | None = None) -> None:
        """Declare a models module; every table must be called ``<plugin>_…``. Its tables belong to the
        Alembic branch *branch* (default: the plugin's own branch)."""
        from core.db import db

        for _, obj in inspect.getmembers(module, inspect.isclass):
            table = getattr(obj, "__table__", None)
            if table is None or obj.__module__ != module.__name__ or not issubclass(obj, db.Model):
                continue
            self._check_ns("table", table.name, "_")
            self.host.add(Contribution(self.name, "table", table.name, obj, obj.__name__, branch or self.name))
        for table in getattr(module, "__tables__", ()):  # plain association tables
            self._check_ns("table", table.name, "_")
            self.host.add(Contribution(self.name, "table", table.name, table, "Table", branch or self.name))

    def blueprint(self, bp: Blueprint, url_prefix: str | None = None) -> None:
        """Mount a web blueprint named after the plugin (``<plugin>`` or ``<plugin>_…``), under
        ``/<plugin>`` unless *url_prefix* says otherwise."""
        is_core = self.name == "core"
        if not is_core and bp.name != self.name and not bp.name.startswith(self.name + "_"):
            raise PluginError(f"plugin {self.name!r}: blueprint {bp.name!r} must be named after the plugin")
        prefix = url_prefix if url_prefix is not None else (None if is_core else f"/{self.name}")
        self._add("blueprint", f"{self.name}.{bp.name}", bp, prefix)
        self.app.register_blueprint(bp, url_prefix=prefix)

    def api(self, bp: Blueprint) -> None:
        """An API blueprint, mounted under /api/v1; its routes join the OpenAPI document."""
        if bp.name != "api" and bp.name != f"{self.name}_api" and not bp.name.startswith(f"{self.name}_api"):
            raise PluginError(f"plugin {self.name!r}: API blueprint {bp.name!r} must be named '{self.name}_api'")
        self._add("api", f"{self.name}.{bp.name}", bp, "/api/v1")
        self.host.api_blueprints.append(bp)

    def menu(self, id: str, label: str, endpoint: str, permission: str | None = None,
             parent: str | None = None, order: int = 100) -> None:
        self._add("menu", id, Menu(id, label, endpoint, permission, parent, order, self.name), endpoint)

    def menu_section(self, id: str, label: str, endpoint: str, permission: str | None, order: int,
                     entries: list[tuple], parent: str | None = None) -> None:
        """A menu and its entries at once; each entry is ``(id, label, endpoint, permission, order)``,
        or ``(…, parent)`` to place it under another menu (e.g. ``"admin.root"``)."""
        self.menu(id, label, endpoint, permission, parent=parent, order=order)
        for entry in entries:
            entry_id, entry_label, entry_endpoint, entry_permission, entry_order, *under = entry
            self.menu(entry_id, entry_label, entry_endpoint, entry_permission,
                      parent=under[0] if under else id, order=entry_order)

    def permissions(self, perms: dict[str, str] | list[tuple[str, str]],
                    default_grants: dict[str, list[str]] | None = None) -> None:
        """Declare permissions (code → label) and which roles get them by default (role ``"*"``: every role)."""
        items = perms.items() if isinstance(perms, dict) else perms
        for code, label in items:
            self._add("permission", code, label, label)
        for role, codes in (default_grants or {}).items():
            for code in codes:
                self._check_ns("grant", code)
                self.host.default_grants.setdefault(role, set()).add(code)

    def role(self, code: str, label, description="", grants: list[str] | tuple[str, ...] = ()) -> None:
        """Declare a role the plugin's users hold, with its default permissions (granted once, when the
        role or the permission is new; an administrator edits them afterwards)."""
        if not code or not code.replace("_", "").isalnum() or not code.islower():
            raise PluginError(f"plugin {self.name!r}: role code {code!r} must be lower-case letters, digits and _")
        self.host.add(Contribution(self.name, "role", code, Role(code, label, description, tuple(grants), self.name),
                                   str(label)))
        for perm in grants:
            self.host.default_grants.setdefault(code, set()).add(perm)

    def job(self, spec) -> None:
        """A scheduled job (``core.scheduler.JobSpec``); run only by the ``concord scheduler`` process."""
        self._add("job", spec.id, spec, str(spec.trigger))

    def pdf_template(self, id: str, path: str, title: str = "", loader: Callable | None = None) -> None:
        """A Jinja PDF template (rendered by ``core.pdf.render_pdf``). ``loader(record_id) -> dict``, if
        given, lets ``concord pdf render ID --record N`` load the data of one record."""
        full = path if os.path.isabs(path) else os.path.join(self.root_path, path)
        if not os.path.isfile(full):
            raise PluginError(f"plugin {self.name!r}: PDF template {id!r} has no file {full}")
        self._add("pdf_template", id, full, title or os.path.basename(full))
        if loader is not None:
            self._add("pdf_loader", id, loader, getattr(loader, "__qualname__", ""))

    def sequence(self, id: str, pattern: str, title: str = "") -> None:
        """A gap-free per-year reference sequence, e.g. ``JS-XF-{year}-{n:05d}``."""
        self._add("sequence", id, pattern, pattern)

    def deadline_rules(self, rules: list) -> None:
        for rule in rules:
            self._add("deadline_rule", rule.code, rule, f"{rule.length} {rule.unit} · {rule.basis}")

    def settings(self, defaults: dict[str, Any], form=None) -> None:
        for key, value in defaults.items():
            self._add("setting", f"{self.name}.{key}" if not key.startswith(self.name + ".") else key,
                      value, repr(value))
        if form is not None:
            self.host.settings_forms[self.name] = form

    def points(self, declared) -> None:
        """Declare extension points: a points module (its ``Point`` objects) or a list of them; each name is
        namespaced by the plugin (``hearing.concluded``)."""
        from .points import Point, points_of

        items = points_of(declared) if not isinstance(declared, (list, tuple)) else list(declared)
        for point in items:
            if not isinstance(point, Point):
                raise PluginError(f"plugin {self.name!r}: {point!r} is not a Point")
            if self.name != "core":
                self._check_ns("point", point.name)
            self.host.declare_point(point, self.name)

    def connect(self, point, fn: Callable) -> None:
        """Receive a signal point (``ctx.connect(points.hearing_concluded, fn)``); ``fn(sender, **payload)``.
        A point nobody declared fails at start-up. (A point's name as a string is still accepted and checked
        the same way; prefer the object.)"""
        from core.signals import signal
        from .points import SIGNAL, Point

        if isinstance(point, Point) and point.kind != SIGNAL:
            raise PluginError(f"plugin {self.name!r}: {point.name!r} is a contribution point; use ctx.contribute")
        name = point.name if isinstance(point, Point) else str(point)
        signal(name).connect(fn, weak=False)
        self.host.add(Contribution(self.name, "receiver", name, fn, fn.__qualname__))
        self.host.pending_points.append((self.name, "receiver", name, point))

    def cli(self, group) -> None:
        self._add("cli", f"{self.name}.{group.name}", group, group.name)
        self.app.cli.add_command(group)

    def home_card(self, id: str, fn: Callable, permission: str | None = None, order: int = 100) -> None:
        """``fn(user)`` returns a list of attention items shown on the user's home page."""
        self._add("home_card", id, (fn, permission, order), permission or "")

    def seed(self, kind: str, fn: Callable) -> None:
        """A seeder: ``kind`` is ``demo`` (``fn()``) or ``scale`` (``fn(petitions=, disputes=, progress=)``)."""
        if kind not in ("demo", "scale"):
            raise PluginError(f"plugin {self.name!r}: unknown seed kind {kind!r}")
        self._add(f"seed_{kind}", f"{self.name}.{kind}", fn, fn.__qualname__)

    def translations(self, path: str = "translations") -> None:
        full = path if os.path.isabs(path) else os.path.join(self.root_path, path)
        self.host.translation_dirs.append(full)

    def migrations(self, path: str = "migrations/versions", branch: str | None = None,
                   depends_on: tuple[str, ...] = ()) -> None:
        """An Alembic versions folder for branch *branch* (default: the plugin's name). The branch's
        first revision depends on ``core`` and on the branches of the plugin's dependencies."""
        full = path if os.path.isabs(path) else os.path.join(self.root_path, path)
        branch = branch or self.name
        self.host.add(Contribution(self.name, "migrations", f"{branch}.migrations", full,
                                   os.path.relpath(full), branch))
        self.host.branch_depends[branch] = tuple(depends_on)

    def contribute(self, point, key: str, value: Any, detail: str = "") -> None:
        """Add a value to a contribution point (``ctx.contribute(points.kpi_measure, "<plugin>.<name>", m)``);
        *key* is namespaced by the plugin. A point nobody declared fails at start-up."""
        from .points import CONTRIBUTION, Point

        if isinstance(point, Point) and point.kind != CONTRIBUTION:
            raise PluginError(f"plugin {self.name!r}: {point.name!r} is a signal; use ctx.connect or point.send")
        name = point.name if isinstance(point, Point) else str(point)
        self._add(name, key, value, detail)
        self.host.pending_points.append((self.name, "contribution", name, point))

    def record_type(self, name: str, can_view: Callable, can_edit: Callable, url: Callable | None = None) -> None:
        """A record type the audit trail, chatter and personal-data reveal can link to and check access to:
        ``can_view(user, record_id)``, ``can_edit(user, record_id)``, ``url(record_id)``. ``url`` is a pure
        function of the id (the record's page, typically ``url_for(endpoint, x_id=record_id)``): a list of many
        records (the audit log) builds it once per page and puts each row's id in its place."""
        from core.audit.access import register_record_access

        self._check_ns("record type", name, "_")
        self._add("record_type", name, (can_view, can_edit, url), getattr(can_view, "__qualname__", ""), sep="_")
        register_record_access(name, can_view, can_edit, url=url, app=self.app)

    def track(self, model, fields: tuple[str, ...], labels: dict | None = None) -> None:
        """Track changes of *fields* of *model* in the audit trail (a model may instead declare
        ``__tracked__``)."""
        from core.audit import tracking

        self.host.add(Contribution(self.name, "tracked", model.__name__, fields, ", ".join(fields)))
        tracking.track(model, fields, labels=labels)
