"""core.toolkit: the one import surface of a plugin. Every name it lists resolves; an unknown one says so."""
import pytest

from core import toolkit as tk


def test_every_exported_name_resolves():
    missing = []
    for name in tk.__all__:
        try:
            getattr(tk, name)
        except Exception as exc:  # noqa: BLE001 - listed with the reason
            missing.append(f"{name}: {exc!r}")
    assert not missing


def test_the_names_are_the_core_objects_themselves():
    from core.db import db
    from core.errors import ServiceError
    from core.kpi.measures import Column
    assert tk.db is db and tk.ServiceError is ServiceError and tk.KpiColumn is Column
    assert tk.clock.now() is not None


def test_an_unknown_name_fails_loudly():
    with pytest.raises(AttributeError, match="plugins use only what the toolkit exports"):
        tk.register_blueprint  # noqa: B018
