"""Discovery and deterministic ordering of plugins.

Plugins come from the ``concord.plugins`` entry-point group (so third-party packages work) or from an
explicit list (tests). Only enabled plugins load; they load in dependency order with a stable tie-break
(depth in the dependency graph, then name), so nothing depends on list or install order.
"""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from .errors import PluginError
from .manifest import Manifest

ENTRY_POINT_GROUP = "concord.plugins"


def discover() -> dict[str, Manifest]:
    """Every installed plugin's manifest, keyed by name (no plugin code is imported)."""
    found: dict[str, Manifest] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        manifest = ep.load()
        if not isinstance(manifest, Manifest):
            raise PluginError(f"entry point {ep.name!r} does not point at a Manifest")
        if manifest.name != ep.name:
            raise PluginError(f"entry point {ep.name!r} names a manifest called {manifest.name!r}")
        if manifest.name in found:
            raise PluginError(f"two installed plugins are both called {manifest.name!r}")
        found[manifest.name] = manifest
    return found


def resolve(available: dict[str, Manifest], enabled: list[str] | None) -> list[Manifest]:
    """The enabled plugins in load order; fails fast on a missing dependency or a cycle."""
    names = sorted(available) if enabled is None else list(dict.fromkeys(enabled))
    for name in names:
        if name not in available:
            raise PluginError(f"plugin {name!r} is enabled but not installed")
    chosen = {n: available[n] for n in names}
    for m in chosen.values():
        for dep in m.depends:
            if dep not in available:
                raise PluginError(f"plugin {m.name!r} depends on {dep!r}, which is not installed")
            if dep not in chosen:
                raise PluginError(f"plugin {m.name!r} depends on {dep!r}, which is not enabled")

    depth: dict[str, int] = {}

    def visit(name: str, trail: tuple[str, ...]) -> int:
        if name in trail:
            cycle = " -> ".join(trail[trail.index(name):] + (name,))
            raise PluginError(f"dependency cycle: {cycle}")
        if name not in depth:
            deps = chosen[name].depends
            depth[name] = 1 + max((visit(d, trail + (name,)) for d in deps), default=-1)
        return depth[name]

    for name in chosen:
        visit(name, ())
    return [chosen[n] for n in sorted(chosen, key=lambda n: (depth[n], n))]


def dependents_of(name: str, manifests: list[Manifest]) -> list[str]:
    """Names of the given plugins that depend on *name*."""
    return sorted(m.name for m in manifests if name in m.depends)


def load_setup(manifest: Manifest):
    module_name, _, func_name = manifest.setup.partition(":")
    try:
        module = import_module(module_name)
        return getattr(module, func_name)
    except (ImportError, AttributeError) as exc:
        raise PluginError(f"plugin {manifest.name!r}: cannot import setup {manifest.setup!r}: {exc}") from exc
