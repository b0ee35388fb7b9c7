"""Everything the example plugin contributes, through its plugin context only."""
from flask_babel import lazy_gettext as _l

HEARTBEAT_FILE = "example-heartbeat"


def heartbeat() -> None:
    """The scheduled job (runs inside an app context): notes in the instance folder when it last ran."""
    from core.toolkit import clock    # the product's local time, not the machine's
    import os

    from flask import current_app

    with open(os.path.join(current_app.instance_path, HEARTBEAT_FILE), "w") as fh:
        fh.write(clock.now().isoformat(timespec="seconds"))


def _job_spec():
    try:  # the scheduler is a core service; import it only when the plugin loads
        from core.toolkit import JobSpec
    except (ImportError, AttributeError):
        return None
    return JobSpec(id="example.heartbeat", func=heartbeat, trigger={"interval": {"hours": 1}},
                   description=_l("Example heartbeat"))


def setup(ctx) -> None:
    from core.toolkit import kpi_measure
    from . import models, views, workflow

    ctx.models(models)                                  # example_suggestion, on its own Alembic branch
    ctx.migrations("migrations/versions")
    ctx.role("example_clerk", _l("Suggestion clerk"), _l("Answers the suggestion box"),
             grants=["example.page.read", "core.dashboard.read"])
    ctx.permissions({"example.page.read": _l("See the example page")},
                    default_grants={"officer": ["example.page.read"]})
    ctx.contribute(kpi_measure, "example.suggestions", workflow.measure())   # a KPI measure and its chart
    ctx.record_type("example_suggestion", lambda user, rid: user.can("example.page.read"),
                    lambda user, rid: user.can("example.page.read"))
    ctx.blueprint(views.bp)  # mounted at /example
    ctx.menu("example.root", _l("Example"), "example.index", "example.page.read", order=950)
    spec = _job_spec()
    if spec is not None:
        ctx.job(spec)
    ctx.translations()
