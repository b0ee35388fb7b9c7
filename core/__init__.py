"""Concord core: the framework and the master data every plugin shares."""


def create_app(config=None, plugins=None):
    from core.app import create_app as _create_app
    return _create_app(config, plugins)
