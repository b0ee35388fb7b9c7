"""The WSGI entry point for production servers: ``gunicorn -c deploy/gunicorn.conf.py core.wsgi:app``."""
import gc
import os

from core.app import create_app
from core.db import db

app = create_app()

# A server that forks workers from this process (gunicorn's preload_app) must not hand them the connections
# made while loading: each worker opens its own (a SQLite or PostgreSQL connection shared across a fork
# corrupts both ends' conversations).
with app.app_context():
    for engine in db.engines.values():
        engine.dispose()

# Issue 22: the application's ~180,000 long-lived objects (plugins, mappers, compiled templates, catalogues)
# were walked by every full garbage collection (~0.2 s each, holding the GIL) and by many younger ones:
# about 1.2 ms per page. Frozen after start-up, the collector only looks at what requests allocate, and a
# page's net allocations fit under a young-generation threshold of 5,000 (one collection every few hundred
# pages instead of one per page). CONCORD_GC_FREEZE=0 keeps Python's defaults.
if os.environ.get("CONCORD_GC_FREEZE", "1") != "0":
    gc.collect()
    gc.freeze()
    gc.set_threshold(5000, 20, 10)
