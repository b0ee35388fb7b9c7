"""Declared extension points (core/plugins/points.py and each plugin's points.py): every signal sent and
every contribution kind is declared once; a declared point is used; a typo fails at start-up."""
from __future__ import annotations

import pathlib
import re
import sys
import textwrap

import pytest

from core.plugins import Manifest, PluginError
from core.plugins.points import CONTRIBUTION, SIGNAL, Point, points_of

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = [p for top in ("core", "plugins") for p in (ROOT / top).rglob("*.py")
           if "migrations" not in p.parts and "tests" not in p.parts]


def _text(path: pathlib.Path) -> str:
    return path.read_text(encoding="utf-8")


def _point_modules():
    import importlib
    out = {"core.plugins.points": importlib.import_module("core.plugins.points")}
    for path in (ROOT / "plugins").glob("*/points.py"):
        name = f"plugins.{path.parent.name}.points"
        out[name] = importlib.import_module(name)
    return out


def test_signals_are_sent_only_through_declared_points():
    """``core.signals.signal("name")`` is the old, string way: sending goes through a Point object."""
    offenders = []
    for path in SOURCES:
        rel = path.relative_to(ROOT).as_posix()
        if rel in ("core/signals.py", "core/plugins/points.py", "core/plugins/context.py"):
            continue
        for n, line in enumerate(_text(path).splitlines(), 1):
            if re.search(r"\bsignal\(\s*[\"'A-Za-z_]", line) and "signal.signal(" not in line \
                    and not line.lstrip().startswith("#"):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "send through a declared Point (points.x.send):\n" + "\n".join(offenders)


def test_every_receiver_and_contribution_names_a_point_object(app):
    host = app.extensions["concord"]
    by_name = [f"{plugin}: {role} {name!r}" for plugin, role, name, given in host.pending_points
               if isinstance(given, str)]
    assert not by_name, "pass the Point object, not its name:\n" + "\n".join(by_name)


def test_every_declared_point_is_used(app):
    host = app.extensions["concord"]
    code = {p: _text(p) for p in SOURCES if p.name != "points.py"}
    unused = []
    for module_name, module in _point_modules().items():
        for attr, point in vars(module).items():
            if not isinstance(point, Point):
                continue
            pattern = re.compile(rf"\b{attr}\.send\(" if point.kind == SIGNAL else rf"items\((?:\w+\.)?{attr}\)")
            by_name = re.compile(re.escape(repr(point.name)[1:-1]) + r"[\"']")   # looked up by name, then sent
            if not any(pattern.search(text) or (point.kind == SIGNAL and by_name.search(text) and ".send(" in text)
                       for text in code.values()):
                unused.append(f"{point.name}: never {'sent' if point.kind == SIGNAL else 'read'}")
            if point.owner and point.owner != "core":
                users = host.receivers(point.name) if point.kind == SIGNAL else host.items(point)
                if not users:
                    unused.append(f"{point.name}: no {'receiver' if point.kind == SIGNAL else 'provider'}")
    assert not unused, "declared but not used:\n" + "\n".join(unused)


def test_every_point_sent_or_contributed_is_declared(app):
    host = app.extensions["concord"]
    builtin = {"table", "menu", "permission", "job", "pdf_template", "pdf_loader", "sequence", "deadline_rule",
               "setting", "home_card", "blueprint", "api", "cli", "migrations", "receiver", "loaded", "seed_demo",
               "seed_scale", "role", "point", "record_type", "tracked"}
    undeclared = sorted({c.kind for c in host.contributions if c.kind not in builtin and c.kind not in host.points})
    assert not undeclared
    for c in host.items("receiver"):
        owner = c.key.partition(".")[0]
        assert c.key in host.points or not host.is_loaded(owner), c.key


def test_listing_shows_points_with_their_receivers(app):
    from core.cli import plugins_cmd
    out = app.test_cli_runner().invoke(plugins_cmd).output
    assert "extension points" in out
    assert "kpi.measure  contribution, declared by core" in out
    assert re.search(r"hearing\.concluded  signal, declared by hearing\n\s+receivers: petition", out)


def test_send_refuses_an_undeclared_payload_field_and_an_undeclared_point(app):
    from plugins.hearing import points
    with pytest.raises(TypeError, match="no payload field"):
        points.concluded.send(None, hearing=None, txt="typo")
    stray = Point("hearing.stray")
    with pytest.raises(PluginError, match="not declared"):
        stray.send(None)


def _plugin(tmp_path, monkeypatch, name, body, points=""):
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "plugin.py").write_text(textwrap.dedent(body))
    if points:
        (pkg / "points.py").write_text(textwrap.dedent(points))
    monkeypatch.syspath_prepend(str(tmp_path))
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]
    from core.plugins.registry import discover
    return list(discover().values()) + [Manifest(name=name, version="1", title=name, setup=f"{name}.plugin:setup",
                                                 depends=("hearing",))]


def test_a_typo_in_a_point_name_fails_at_start(make_app, tmp_path, monkeypatch):
    manifests = _plugin(tmp_path, monkeypatch, "typoplug", '''
        def setup(ctx):
            ctx.connect("hearing.conclude", lambda sender, **kw: None)
    ''')
    with pytest.raises(PluginError, match="hearing.conclude"):
        make_app(plugins=manifests)


def test_a_contribution_to_an_unknown_kind_fails_at_start(make_app, tmp_path, monkeypatch):
    manifests = _plugin(tmp_path, monkeypatch, "kindplug", '''
        def setup(ctx):
            ctx.contribute("kpi.measures", "kindplug.x", object())
    ''')
    with pytest.raises(PluginError, match="kpi.measures"):
        make_app(plugins=manifests)


def test_a_plugin_declares_its_own_points_without_touching_core(make_app, tmp_path, monkeypatch):
    manifests = _plugin(tmp_path, monkeypatch, "ownplug", '''
        from . import points

        def setup(ctx):
            ctx.connect(points.pinged, lambda sender, **kw: ("pong", kw["n"]))
    ''', points='''
        from core.plugins.points import Point
        pinged = Point("ownplug.pinged", payload={"sender": "None", "n": "int"}, doc="A test ping.")
    ''')
    app = make_app(plugins=manifests)
    with app.app_context():
        from ownplug import points
        assert [r for _fn, r in points.pinged.send(None, n=3)] == [("pong", 3)]
        assert app.extensions["concord"].points["ownplug.pinged"].owner == "ownplug"


def test_kinds_are_checked():
    with pytest.raises(ValueError):
        Point("x.y", kind="hook")
    assert {p.kind for m in _point_modules().values() for p in points_of(m)} <= {SIGNAL, CONTRIBUTION}
