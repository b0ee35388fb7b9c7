class PluginError(RuntimeError):
    """A plugin set that cannot be loaded: missing dependency, cycle or namespace clash."""
