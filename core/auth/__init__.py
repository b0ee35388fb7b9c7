from . import grants as _grants  # noqa: F401  (registers the grants-stamp flush hook; not from models: no cycle)
