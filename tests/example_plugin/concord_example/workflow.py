"""The suggestion's lifecycle, declared as data (core.workflow) — a new plugin needs nothing from core but this."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.toolkit import Chart, Measure, ServiceError, Transition, Workflow

STATES = {"new": _l("New"), "answered": _l("Answered"), "closed": _l("Closed")}

WORKFLOW = Workflow("example", record_type="example_suggestion", states=STATES, permission="example.page.read",
                    error=ServiceError, audit=False, transitions=[
    Transition("answer", _l("Answer"), ("new",), "answered", primary=True),
    Transition("close", _l("Close"), ("answered",), "closed", confirm=_l("the suggestion is closed for good.")),
])


def _suggestions(start, end):
    from .models import Suggestion as S
    return select(S.id.label("id"), S.region_id.label("region_id"), S.created_at.label("at"),
                  S.state.label("key")).where(S.created_at >= start, S.created_at < end)


def measure() -> Measure:
    from .models import Suggestion
    return Measure(_l("Suggestions received"), _suggestions, model=Suggestion, record_type="example_suggestion",
                   keys=STATES, chart=Chart("example_suggestions", _l("Suggestions by month"), order=95))
