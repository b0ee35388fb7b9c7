"""Plugin host: manifest, discovery, ordering, context. See README "Writing a plugin"."""
from .context import Menu, PluginContext
from .errors import PluginError
from .host import PluginHost
from .manifest import Manifest
from .registry import dependents_of, discover, resolve

__all__ = ["Manifest", "Menu", "PluginContext", "PluginError", "PluginHost", "dependents_of", "discover", "resolve"]


def host():
    """The current app's plugin host."""
    from flask import current_app
    return current_app.extensions["concord"]
