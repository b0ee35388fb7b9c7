"""The court case's life as data: states and transitions (from-states, to-state, permission, label).

Written as a table so that it can move onto a shared workflow engine (core/workflow.py, issue 15) when
that lands; ``court_services`` asks ``check`` before every step and ``allowed`` builds the buttons."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _, lazy_gettext as _l

STATES = {
    "received": _l("File received from the court"),
    "assigned": _l("Mediator assigned"),
    "mediating": _l("Mediating (clock running)"),
    "succeeded": _l("Agreement reached"),
    "failed": _l("Mediation failed"),
    "closed": _l("Returned to the court"),
}
CONCLUDED = ("succeeded", "failed", "closed")
OPEN = ("received", "assigned", "mediating")


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    permission: str
    label: object
    clock: str = ""          # what happens to the statutory clock
    document: str = ""       # the document the step makes available


TRANSITIONS = {
    "assign": Transition(("received", "assigned"), "assigned", "mediation.court.assign", _l("Assign a mediator")),
    "receipt": Transition(("assigned",), "mediating", "mediation.court.mediate",
                          _l("Sign for the file (starts the clock)"), clock="start"),
    "extend": Transition(("mediating",), "mediating", "mediation.court.mediate",
                         _l("Extend by both parties' agreement"), clock="extend"),
    "succeed": Transition(("mediating",), "succeeded", "mediation.court.mediate", _l("Agreement reached"),
                          clock="stop; start judicial confirmation", document="confirmation.pdf"),
    "fail": Transition(("mediating",), "failed", "mediation.court.mediate", _l("Mediation failed"),
                       clock="stop", document="handback.pdf"),
    "handback": Transition(("failed",), "closed", "mediation.court.mediate", _l("Hand the file back to the court")),
    "ruling": Transition(("succeeded",), "closed", "mediation.court.mediate",
                         _l("Record the court's ruling on confirmation"), clock="stop judicial confirmation"),
}


def check(case, action: str) -> None:
    """Raise the service error when *action* is not possible in the case's present state."""
    from .court_services import CourtError
    t = TRANSITIONS[action]
    if case.state not in t.sources:
        raise CourtError({"": _("%(step)s is not possible now: the case is %(state)s.",
                                step=str(t.label), state=case.state_label)})


def allowed(case, user) -> list[str]:
    return [a for a, t in TRANSITIONS.items() if case.state in t.sources and user.can(t.permission)]
