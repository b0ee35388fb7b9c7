"""Plugin ordering and failure modes of the host."""
import pytest

from core.plugins import Manifest, PluginError, resolve


def m(name, depends=(), uses=()):
    return Manifest(name=name, version="1.0", title=name, setup="x:y", depends=depends, uses=uses)


def test_order_is_by_depth_then_name_whatever_the_input_order():
    available = {x.name: x for x in [m("zeta"), m("alpha", ("zeta",)), m("beta"), m("gamma", ("alpha", "beta"))]}
    for enabled in (["gamma", "beta", "alpha", "zeta"], ["zeta", "alpha", "beta", "gamma"]):
        assert [p.name for p in resolve(available, enabled)] == ["beta", "zeta", "alpha", "gamma"]


def test_missing_dependency_fails_fast():
    with pytest.raises(PluginError, match="depends on 'ghost', which is not installed"):
        resolve({"a": m("a", ("ghost",))}, None)


def test_disabled_dependency_fails_fast():
    with pytest.raises(PluginError, match="which is not enabled"):
        resolve({"a": m("a", ("b",)), "b": m("b")}, ["a"])


def test_cycle_fails_fast_and_names_it():
    with pytest.raises(PluginError, match="dependency cycle: a -> b -> a|dependency cycle: b -> a -> b"):
        resolve({"a": m("a", ("b",)), "b": m("b", ("a",))}, None)


def test_unknown_enabled_plugin():
    with pytest.raises(PluginError, match="not installed"):
        resolve({}, ["nope"])


def test_manifest_validates_its_name():
    with pytest.raises(ValueError):
        Manifest(name="Bad Name", version="1", title="x", setup="a:b")
    with pytest.raises(ValueError):
        Manifest(name="core", version="1", title="x", setup="a:b")


def test_installed_plugins_load_in_dependency_order(app):
    names = [p.name for p in app.extensions["concord"].loaded]
    assert names.index("petition") < names.index("hearing")
    assert names.index("petition") < names.index("legal_aid")
    assert set(names) >= {"petition", "hearing", "mediation", "legal_aid"}


def test_namespace_clash_fails_at_start(make_app, tmp_path, monkeypatch):
    import sys, textwrap
    pkg = tmp_path / "clashplug"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(textwrap.dedent('''
        def setup(ctx):
            ctx.menu("petition.root", "mine", "shell.home")
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    from core.plugins.registry import discover
    manifests = list(discover().values()) + [Manifest(name="clashplug", version="1", title="c", setup="clashplug:setup")]
    with pytest.raises(PluginError, match="namespaced|clash"):
        make_app(plugins=manifests)


def test_enabled_subset_from_config(make_app):
    app = make_app({"PLUGINS": ["mediation"]})
    assert [p.name for p in app.extensions["concord"].loaded] == ["mediation"]
    assert "petition.index" not in app.view_functions


def test_plugin_needing_a_disabled_one_refuses_to_start(make_app):
    with pytest.raises(PluginError, match="depends on 'petition'"):
        make_app({"PLUGINS": ["hearing"]})
