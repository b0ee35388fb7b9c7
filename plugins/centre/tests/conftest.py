"""The project's fixtures (tests/conftest.py: per-test database cloned from a migrated, seeded template; the
browser fixtures) made reachable from plugins/centre/tests, which pytest does not place under tests/."""
import importlib.util
import os
import sys

_ROOT_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests")
_spec = importlib.util.spec_from_file_location("concord_root_conftest", os.path.join(_ROOT_TESTS, "conftest.py"))
_mod = sys.modules.get("concord_root_conftest")
if _mod is None:
    _mod = importlib.util.module_from_spec(_spec)
    sys.modules["concord_root_conftest"] = _mod
    _spec.loader.exec_module(_mod)
globals().update({k: v for k, v in vars(_mod).items() if not k.startswith("__")})
