"""core.workflow: a lifecycle declared as data; one engine checks, moves, audits and signals; the buttons
and the API actions come from the declaration."""
from types import SimpleNamespace

import pytest

from core.errors import ServiceError
from core.workflow import Transition, Workflow

STATES = {"draft": "Draft", "sent": "Sent", "done": "Done"}


def _wf(**kw):
    return Workflow("demo", record_type="demo_item", states=STATES, permission="demo.edit", audit=False,
                    transitions=[Transition("send", "Send", ("draft",), "sent", primary=True),
                                 Transition("finish", "Finish", ("sent",), "done", form="finish",
                                            confirm="it cannot be undone"),
                                 Transition("sync", "Synchronise", ("draft", "sent"), None, system=True)], **kw)


class User:
    def __init__(self, *perms):
        self.perms = set(perms)

    def can(self, perm):
        return perm in self.perms


def test_declaration_is_checked():
    with pytest.raises(ValueError, match="unknown stages"):
        Workflow("x", record_type="x", states=STATES, transitions=[Transition("a", "A", ("nowhere",), "done")])
    with pytest.raises(ValueError, match="declared twice"):
        Workflow("x", record_type="x", states=STATES,
                 transitions=[Transition("a", "A", ("draft",)), Transition("a", "A", ("sent",))])


def test_check_and_allowed_follow_the_stage(app):
    wf = _wf()
    item = SimpleNamespace(id=1, state="draft")
    assert wf.allowed(item) == ["send"] and wf.allowed(item, include_system=True) == ["send", "sync"]
    with pytest.raises(ServiceError, match="Finish"):
        wf.check(item, "finish")
    assert wf.check(item, "send") == "sent"


def test_move_sets_the_stage_runs_the_hook_and_signals(app):
    from core.plugins import points
    seen, moved = [], []

    def on_moved(sender, **kw):
        moved.append((sender.state, kw["action"], kw["source"], kw["target"]))

    from core.signals import signal
    signal(points.record_moved.name).connect(on_moved)
    try:
        wf = _wf(on_move=lambda rec, action, at: seen.append(action))
        item = SimpleNamespace(id=1, state="draft")
        wf.move(item, "send")
        wf.move(item, "sync")
    finally:
        signal(points.record_moved.name).disconnect(on_moved)
    assert item.state == "sent" and seen == ["send", "sync"]
    assert moved == [("sent", "send", "draft", "sent"), ("sent", "sync", "sent", "sent")]


def test_available_actions_respect_stage_permission_and_system_steps(app):
    wf = _wf()
    item = SimpleNamespace(id=1, state="sent")
    assert wf.available_actions(item, User()) == []
    [finish] = wf.available_actions(item, User("demo.edit"))
    assert finish["code"] == "finish" and finish["form"] == "finish" and finish["confirm"] == "it cannot be undone"
    assert finish["direct"] is False
    with app.test_request_context("/"):
        [button] = wf.available_actions(item, User("demo.edit"), post_url=lambda a: f"/post/{a}",
                                        open_url=lambda a: f"/open/{a}")
    assert button.url == "/open/finish" and button.confirm == "it cannot be undone"


def test_literals_and_api_handlers_come_from_the_declaration():
    wf = _wf()
    assert wf.state_literal().__args__ == ("draft", "sent", "done")
    assert wf.action_literal().__args__ == ("send", "finish")
    with pytest.raises(ValueError, match="missing"):
        wf.api_actions(None, {"send": (None, None)})


def test_petition_lifecycle_is_declared_once(app):
    from plugins.petition import api, services
    assert api.State.__args__ == tuple(services.STATES)
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    declared = [a for a, t in services.WORKFLOW.transitions.items() if not t.system]
    assert all(any(p.endswith("/" + a) for p in doc["paths"]) for a in declared), list(doc["paths"])
    assert not any("legal_answered" in p for p in doc["paths"])


def test_act_route_registers_the_guarded_step_post():
    """A record page's POST …/act/<action> is one call (petition cases, referrals, legal-aid applications)."""
    from flask import Blueprint, Flask
    bp = Blueprint("demo", __name__)
    _wf().act_route(bp, "/<int:item_id>", load=lambda item_id: None, steps={}, forms=lambda r: {}, page=lambda r: "/")
    app = Flask("demo")
    app.register_blueprint(bp, url_prefix="/demo")
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "demo.act")
    assert rule.rule == "/demo/<int:item_id>/act/<action>" and rule.methods - {"HEAD", "OPTIONS"} == {"POST"}
    assert app.view_functions["demo.act"]._concord_permission == ("demo.edit",)
    with pytest.raises(ValueError, match="needs a permission"):
        Workflow("bare", record_type="demo_item", states=STATES, transitions=[]).act_route(
            Blueprint("bare", __name__), "/<int:i>", load=None, steps={}, forms=None, page=None)
