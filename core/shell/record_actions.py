"""The status-bar buttons of a record page: only the actions its stage allows, each opening its form.

Until the workflow core (``core/workflow.py``, issue 15) generates them from the declared state machine,
a plugin passes what it already knows — the allowed action codes (from its transition table), their
labels, which need no form, which cannot be undone — and gets the buttons back. The page renders them
with the ``statusbar`` macro and shows the one chosen form (``?act=<code>``, no JavaScript needed);
an irreversible action's form carries a required confirmation checkbox naming what will happen.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import request


@dataclass
class StatusAction:
    code: str
    label: str
    url: str                  # POST target (direct) or the page with the form open (form)
    direct: bool              # posts at once from the status bar (no fields, reversible)
    primary: bool = False
    confirm: str | None = None  # what will happen, for an irreversible step
    version: int | None = None


def status_actions(allowed, labels: dict, *, post_url, open_url, direct=(), primary=(), confirms=None,
                   version=None) -> list[StatusAction]:
    """*allowed*: action codes in the order to show; *post_url(code)* / *open_url(code)* build the links;
    *direct*: codes that post without a form; *confirms*: code → sentence naming what happens."""
    try:
        from core import workflow  # noqa: F401  - issue 15: swap this helper for workflow.available_actions
    except ImportError:
        pass
    confirms = confirms or {}
    out = []
    for code in allowed:
        irreversible = code in confirms
        is_direct = code in direct and not irreversible
        out.append(StatusAction(code, str(labels.get(code, code)), post_url(code) if is_direct else open_url(code),
                                is_direct, code in primary, str(confirms[code]) if irreversible else None, version))
    return out


def chosen_action(actions: list[StatusAction]) -> StatusAction | None:
    """The action whose form the page shows (``?act=``), if it is one the stage allows."""
    code = request.args.get("act")
    return next((a for a in actions if a.code == code and not a.direct), None)
