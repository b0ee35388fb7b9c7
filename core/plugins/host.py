"""The plugin host: loads the enabled plugins in order and keeps what each contributed."""
from __future__ import annotations

import importlib.util
import os
from collections import defaultdict
from importlib import import_module

from .context import Contribution, PluginContext
from .errors import PluginError
from .manifest import Manifest
from .registry import discover, load_setup, resolve


class PluginHost:
    def __init__(self, app):
        self.app = app
        self.available: dict[str, Manifest] = {}
        self.loaded: list[Manifest] = []
        self.contributions: list[Contribution] = []
        self._keys: dict[tuple[str, str], str] = {}
        self.default_grants: dict[str, set[str]] = {}
        self.api_blueprints: list = []
        self.translation_dirs: list[str] = []
        self.settings_forms: dict = {}
        self.branch_depends: dict[str, tuple[str, ...]] = {}
        self.points: dict = {}                 # name → Point (core/plugins/points.py)
        self.pending_points: list[tuple] = []  # (plugin, role, name, Point or str) checked when loading ends

    # -- registration ----------------------------------------------------------------------------
    def add(self, c: Contribution) -> None:
        unique_kinds = {"table", "menu", "permission", "job", "pdf_template", "sequence", "deadline_rule",
                        "setting", "home_card", "blueprint", "api", "cli", "migrations", "record_type", "point"}
        if c.kind in unique_kinds:
            owner = self._keys.get((c.kind, c.key))
            if owner is not None:
                raise PluginError(f"namespace clash: {c.kind} {c.key!r} is registered by {owner!r} and {c.plugin!r}")
            self._keys[(c.kind, c.key)] = c.plugin
        self.contributions.append(c)

    def items(self, kind) -> list[Contribution]:
        """The contributions of a kind: a contribution ``Point`` or a built-in kind's name. Grouped by kind
        once for the contributions there are (issue 22: every setting read scanned all ~2,000 of them)."""
        kind = getattr(kind, "name", kind)
        index = self.__dict__.get("_by_kind")
        if index is None or index[0] != len(self.contributions):
            grouped: dict[str, list[Contribution]] = defaultdict(list)
            for c in self.contributions:
                grouped[c.kind].append(c)
            index = self._by_kind = (len(self.contributions), dict(grouped))
        return list(index[1].get(kind, ()))

    def declare_point(self, point, plugin: str) -> None:
        if point.name in self.points:
            raise PluginError(f"namespace clash: point {point.name!r} is declared by "
                              f"{self.points[point.name].owner!r} and {plugin!r}")
        object.__setattr__(point, "owner", plugin)
        self.points[point.name] = point
        self.add(Contribution(plugin, "point", point.name, point, point.kind))

    def check_points(self) -> None:
        """Every receiver and contribution names a declared point of the right kind (typos fail here)."""
        from .points import CONTRIBUTION, SIGNAL
        for plugin, role, name, given in self.pending_points:
            point = self.points.get(name)
            want = SIGNAL if role == "receiver" else CONTRIBUTION
            if point is None:
                owner = name.partition(".")[0]
                core_owned = {p.name.partition(".")[0] for p in self.points.values() if p.owner == "core"}
                if owner not in core_owned and not self.is_loaded(owner):
                    continue   # dormant: the owner is not loaded here (a plugin's optional ``uses``)
                raise PluginError(f"plugin {plugin!r}: {role} for {name!r}, which no loaded plugin declares")
            if point.kind != want:
                raise PluginError(f"plugin {plugin!r}: {name!r} is a {point.kind}, not a {want}")
            if not isinstance(given, str) and given is not point:
                raise PluginError(f"plugin {plugin!r}: {name!r} is not the declared point object")

    def receivers(self, name: str) -> list[Contribution]:
        return [c for c in self.contributions if c.kind == "receiver" and c.key == name]

    def values(self, kind: str) -> list:
        return [c.value for c in self.items(kind)]

    def by_plugin(self) -> dict[str, list[Contribution]]:
        grouped: dict[str, list[Contribution]] = defaultdict(list)
        for c in self.contributions:
            grouped[c.plugin].append(c)
        return grouped

    def is_loaded(self, name: str) -> bool:
        return any(m.name == name for m in self.loaded)

    # -- loading ---------------------------------------------------------------------------------
    def core_context(self) -> PluginContext:
        import core
        return PluginContext(self, "core", os.path.dirname(core.__file__), namespaces=("admin", "auth"))

    def load(self, plugins: list[Manifest] | None, enabled: list[str] | None, disabled: set[str] = frozenset()) -> None:
        if plugins is not None and all(isinstance(p, Manifest) for p in plugins):
            self.available = {m.name: m for m in plugins}
            # an explicit manifest list (tests) loads all of it unless told otherwise
            enabled = enabled if enabled is not None else [m.name for m in plugins]
        else:
            self.available = discover()
            if enabled is None and disabled:
                enabled = [n for n in sorted(self.available) if n not in disabled]
        self.loaded = resolve(self.available, enabled)
        for manifest in self.loaded:
            setup = load_setup(manifest)
            root = os.path.dirname(import_module(manifest.setup.partition(":")[0]).__file__)
            ctx = PluginContext(self, manifest.name, root, namespaces=manifest.namespaces)
            package = manifest.setup.partition(":")[0].rpartition(".")[0]
            if package and importlib.util.find_spec(f"{package}.points") is not None:
                ctx.points(import_module(f"{package}.points"))   # a plugin's points.py is read by convention
            setup(ctx)
            self.add(Contribution(manifest.name, "loaded", manifest.name, manifest, manifest.version))
        self.check_points()
