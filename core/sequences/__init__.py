"""Reference sequences: gap-free numbers per year, declared by plugins with ``ctx.sequence(id, pattern)``.

    from core.sequences import next_reference
    case.reference = next_reference("petition.case", case.received_at)   # inside the request's transaction
"""
from flask_babel import lazy_gettext as _l

from .patterns import PatternError, render, validate_pattern
from .services import SequenceError, next_reference, peek_reference

__all__ = ["next_reference", "peek_reference", "render", "validate_pattern", "PatternError", "SequenceError"]


def setup(ctx) -> None:
    from . import models, views
    from .services import sync_sequences

    ctx.models(models, branch="core_sequences")
    ctx.migrations("sequences/migrations", branch="core_sequences")
    ctx.permissions({"admin.sequences.manage": _l("Edit reference number patterns")})
    ctx.blueprint(views.bp, url_prefix="/admin/sequences")
    ctx.menu("admin.sequences", _l("Reference numbers"), "sequences.index", "admin.sequences.manage",
             parent="admin.root", order=55)
    from core.plugins.points import sync
    ctx.contribute(sync, "core.sequences", sync_sequences, "store declared sequences")
