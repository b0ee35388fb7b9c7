"""Checks on free text shared by every service."""
from __future__ import annotations

import re

# Unicode bidirectional controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM): in a name or
# a file name they reorder what is displayed ("invoice‮fdp.exe" shows as "invoiceexe.pdf"), so they are refused
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def has_bidi_control(text: str | None) -> bool:
    return bool(text) and BIDI_CONTROLS.search(text) is not None
