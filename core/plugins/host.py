"""The plugin host: loads the enabled plugins in order and keeps what each contributed."""
from __future__ import annotations

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

    # -- registration ----------------------------------------------------------------------------
    def add(self, c: Contribution) -> None:
        unique_kinds = {"table", "menu", "permission", "job", "pdf_template", "sequence", "deadline_rule",
                        "setting", "home_card", "blueprint", "api", "cli", "migrations"}
        if c.kind in unique_kinds:
            owner = self._keys.get((c.kind, c.key))
            if owner is not None:
                raise PluginError(f"namespace clash: {c.kind} {c.key!r} is registered by {owner!r} and {c.plugin!r}")
            self._keys[(c.kind, c.key)] = c.plugin
        self.contributions.append(c)

    def items(self, kind: str) -> list[Contribution]:
        return [c for c in self.contributions if c.kind == kind]

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
            setup(ctx)
            self.add(Contribution(manifest.name, "loaded", manifest.name, manifest, manifest.version))
