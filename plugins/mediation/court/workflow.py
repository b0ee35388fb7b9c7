"""The court case's life as data on the core workflow engine (core/workflow.py): stages, and each step with
its permission, form, confirmation, clock effects and document. ``court.services`` checks and moves through
``WORKFLOW``; the case page's status bar and the OpenAPI enums come from the same declaration."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.toolkit import ServiceError, Transition, Workflow
from .deadlines import CONFIRMATION, ORDINARY, PRE_SUIT, SUMMARY


class CourtError(ServiceError):
    """Bad input or a step not possible now (fields → 422, ``""`` → 409 in the API)."""

    @property
    def message(self) -> str:
        return " ".join(str(m) for m in self.errors.values())


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
MEDIATION_CLOCKS = (ORDINARY, SUMMARY, PRE_SUIT)

WORKFLOW = Workflow("mediation.court", record_type="mediation_court_case", states=STATES, error=CourtError,
                    permission="mediation.court.mediate", transitions=[
    Transition("assign", _l("Assign a mediator"), ("received", "assigned"), "assigned",
               permission="mediation.court.assign", form="assign", primary=True),
    Transition("receipt", _l("Sign for the file (starts the clock)"), ("assigned",), "mediating", form="receipt",
               primary=True, clocks_start=MEDIATION_CLOCKS),
    Transition("extend", _l("Extend by both parties' agreement"), ("mediating",), None, form="extend"),
    Transition("succeed", _l("Agreement reached"), ("mediating",), "succeeded", form="succeed", primary=True,
               confirm=_l("the mediation period stops and the agreement is recorded as signed; the 30 days to apply "
                          "for judicial confirmation start and the case cannot go back to mediation."),
               clocks_stop=MEDIATION_CLOCKS, clocks_start=(CONFIRMATION,), document="mediation.court_confirmation"),
    Transition("fail", _l("Mediation failed"), ("mediating",), "failed", form="fail",
               confirm=_l("mediation ends without agreement; the hand-back record is prepared for the judge and the "
                          "case cannot go back to mediation."),
               clocks_stop=MEDIATION_CLOCKS, document="mediation.court_handback"),
    Transition("handback", _l("Hand the file back to the court"), ("failed",), "closed",
               confirm=_l("the hand-back pack goes back to the court and the case is closed here.")),
    Transition("ruling", _l("Record the court's ruling on confirmation"), ("succeeded",), "closed", form="ruling",
               confirm=_l("the court's ruling is recorded and the case is closed here."),
               clocks_stop=(CONFIRMATION,)),
])
TRANSITIONS = WORKFLOW.transitions
FORMS = ("assign", "receipt", "extend", "succeed", "fail", "ruling")


def check(case, action: str) -> None:
    """Raise ``CourtError`` when *action* is not possible in the case's present stage."""
    WORKFLOW.check(case, action)
