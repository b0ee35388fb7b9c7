"""The typed plugin manifest: cheap to import, read before any plugin code runs."""
from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


@dataclass(frozen=True)
class Manifest:
    """What a plugin says about itself.

    ``setup`` is a dotted path ``"package.module:function"``; it is imported only when the plugin is
    enabled and loaded, so reading every installed manifest never imports plugin code.
    """

    name: str
    version: str
    title: str
    setup: str
    depends: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    namespaces: tuple[str, ...] = ()  # extra id namespaces, e.g. legal_aid owns "referral"
    summary: str = ""
    title_zh: str = ""

    def __post_init__(self):
        if not _NAME.match(self.name):
            raise ValueError(f"plugin name {self.name!r} must be lower-case letters, digits and _")
        if self.name == "core":
            raise ValueError("plugin name 'core' is reserved")
        if ":" not in self.setup:
            raise ValueError(f"plugin {self.name}: setup must look like 'module:function'")
        object.__setattr__(self, "depends", tuple(self.depends))
        object.__setattr__(self, "uses", tuple(self.uses))
        object.__setattr__(self, "namespaces", tuple(self.namespaces))
