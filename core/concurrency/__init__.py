"""Concurrency (core service): requests that arrive at once agree instead of fighting.

- ``idempotency``: every create form carries a one-time token and every API write may carry an
  ``Idempotency-Key`` header (or a ``client_uuid`` in its body); a repeat within the window answers the
  first outcome. Claims are INSERTs under a unique constraint, never read-then-write.
- ``locks.serialise(*keys)``: hold a lock until the transaction ends (``pg_advisory_xact_lock`` on
  PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) so that a duplicate check and the insert it guards are atomic.
- ``core.auth.throttle``: login failures counted per account and per address in their own rows.
"""
from flask_babel import lazy_gettext as _l


def setup(ctx) -> None:
    from core.scheduler import JobSpec
    from . import idempotency, models

    ctx.models(models, branch="core_concurrency")
    ctx.migrations("concurrency/migrations", branch="core_concurrency")
    idempotency.init_app(ctx.app)
    ctx.job(JobSpec("core.idempotency_purge", housekeeping, {"cron": {"hour": 3, "minute": 35}},
                    _l("Delete idempotency keys older than their window")))


def housekeeping() -> None:
    """Daily: idempotency keys past their window; sign-in counters with nothing left to remember."""
    from core.auth import throttle
    from . import idempotency
    idempotency.purge()
    throttle.purge()
