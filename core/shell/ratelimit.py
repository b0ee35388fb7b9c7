"""A small per-process sliding-window limit for public pages (query-code look-ups, confirmation links):
at most *limit* hits per client address per *window* seconds."""
from __future__ import annotations

import time
from collections import deque

from flask import current_app, request


def too_many(bucket: str, limit: int, window: float = 600.0) -> bool:
    """Count this request in *bucket*; True when the address already used its *limit* in the window."""
    hits = current_app.extensions.setdefault(f"ratelimit.{bucket}", {})
    now = time.monotonic()
    seen = hits.setdefault(request.remote_addr or "", deque())
    while seen and now - seen[0] > window:
        seen.popleft()
    if len(seen) >= limit:
        return True
    seen.append(now)
    if len(hits) > 10000:  # forget idle addresses
        for key in [k for k, v in hits.items() if not v or now - v[-1] > window]:
            hits.pop(key, None)
    return False
