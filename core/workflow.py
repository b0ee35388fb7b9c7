"""A record's lifecycle declared as data, and the one engine that checks, moves, audits and signals.

A plugin declares its state machine once, next to its services::

    from core.toolkit import Transition, Workflow

    WORKFLOW = Workflow("petition", record_type="petition_case", states=STATES, error=PetitionError, transitions=[
        Transition("accept", _l("Accept"), ("registered", "forwarded"), "accepted",
                   permission="petition.case.transition", clocks_stop=("petition.accept_notice",)),
        Transition("reply", _l("Reply"), ("handling", "extended"), "replied", form="reply",
                   document="petition.document"),
        Transition("refer", _l("Referred to a legal route"), ("registered",), "referred", system=True),
        …])

and its services call ``WORKFLOW.check(record, action)`` (may this step happen now? → the target stage) and
``WORKFLOW.move(record, action, note=…)`` (set the stage, write the audit event ``<name>.<action>``, send
``core.record_moved``). What the declaration also gives, so nobody copies it by hand:

* ``available_actions(record, user, post_url=…, open_url=…)`` — the status-bar buttons of a record page
  (the stage allows it, the user holds the permission, not a system step; with its form and confirmation);
* ``api_actions(collection, handlers)`` — one API action operation per declared step, with the step's
  label as summary and its permission (a step without a handler fails at import); a step's ``api_name`` /
  ``api_summary`` give the operation another name or summary (an API older than the declaration);
* ``perform(record, action, steps, forms, back)`` — a record page's action POST (form checked, step run, one
  commit, back to the page);
* ``state_literal()`` / ``action_literal()`` — ``Literal[...]`` types for pydantic bodies (OpenAPI enums).

Clock effects (``clocks_start``/``clocks_stop``) and the document a step produces are declared for the pages
and the README's tables; the services still start and stop the clocks, because each start needs a date the
service knows (a rule's basis), not the engine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal

from flask_babel import gettext as _

from core.errors import ServiceError


@dataclass(frozen=True)
class Transition:
    action: str
    label: Any
    sources: tuple[str, ...]
    target: str | None = None          # None: the stage stays (e.g. classify)
    permission: str | None = None      # None: the workflow's default permission
    form: str | None = None            # the form the step needs (None: a button that posts at once)
    confirm: Any = None                # an irreversible step: the sentence naming what happens
    primary: bool = False              # the stage's main way forward (drawn first/highlighted)
    clocks_start: tuple[str, ...] = ()
    clocks_stop: tuple[str, ...] = ()
    document: str | None = None        # PDF template the step produces
    system: bool = False               # driven by another plugin or a job, never a button or an API action
    refusal: Any = None                # the message when the stage does not allow it (``%(state)s``: the stage)
    extra: dict = field(default_factory=dict)
    api_name: str | None = None        # the step's API action name when it is not the step's own
    api_summary: Any = None            # the API operation's summary when it is not the label


class Workflow:
    def __init__(self, name: str, *, record_type: str, states: dict[str, Any], transitions: Iterable[Transition],
                 permission: str | None = None, error: type[ServiceError] = ServiceError, state_attr: str = "state",
                 audit: bool = True, on_move: Callable | None = None, error_field: str = ""):
        self.name = name
        self.record_type = record_type
        self.states = states
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.action in self.transitions:
                raise ValueError(f"workflow {name!r}: action {t.action!r} declared twice")
            unknown = [s for s in t.sources + ((t.target,) if t.target else ()) if s not in states]
            if unknown:
                raise ValueError(f"workflow {name!r}: action {t.action!r} names unknown stages {unknown}")
            self.transitions[t.action] = t
        self.permission = permission
        self.error = error
        self.state_attr = state_attr
        self.audit = audit
        self.on_move = on_move
        self.error_field = error_field      # the field a refused step's message is given under ("": the record)

    # -- reading the declaration ---------------------------------------------------------------------
    def __contains__(self, action: str) -> bool:
        return action in self.transitions

    def __getitem__(self, action: str) -> Transition:
        return self.transitions[action]

    def labels(self) -> dict[str, str]:
        return {a: str(t.label) for a, t in self.transitions.items()}

    def allowed(self, record, include_system: bool = False) -> list[str]:
        """The actions the record's stage allows, in declaration order."""
        state = getattr(record, self.state_attr)
        return [a for a, t in self.transitions.items() if state in t.sources and (include_system or not t.system)]

    def permission_of(self, action: str) -> str | None:
        return self.transitions[action].permission or self.permission

    def state_literal(self):
        return Literal[tuple(self.states)]

    def action_literal(self, include_system: bool = False):
        return Literal[tuple(a for a, t in self.transitions.items() if include_system or not t.system)]

    # -- the engine ----------------------------------------------------------------------------------
    def check(self, record, action: str) -> str | None:
        """The stage *action* leads to, or the workflow's error naming the action and the present stage."""
        t = self.transitions.get(action)
        if t is None:
            raise self.error(_("Unknown action."))
        state = getattr(record, self.state_attr)
        if state not in t.sources:
            stage = str(self.states.get(state, state))
            message = (str(t.refusal) % {"state": stage} if t.refusal is not None else
                       _("“%(action)s” is not possible at the stage “%(stage)s”.", action=str(t.label), stage=stage))
            raise self.error({self.error_field: message} if self.error_field else message)
        return t.target

    def move(self, record, action: str, note: str | None = None, at=None) -> str | None:
        """Check, set the new stage, run the plugin's ``on_move(record, action, at)`` (e.g. its step list),
        write the audit event ``<workflow>.<action>`` and send ``core.record_moved``."""
        source = getattr(record, self.state_attr)
        target = self.check(record, action)
        if target:
            setattr(record, self.state_attr, target)
        if self.on_move is not None:
            self.on_move(record, action, at)
        if self.audit:
            from core.audit.services import log_event
            log_event(f"{self.name}.{action}", self.record_type, record.id,
                      text=str(note or self.transitions[action].label)[:2000])
        from core.plugins import points
        points.record_moved.send(record, workflow=self.name, action=action, source=source,
                                 target=target or source)
        return target

    # -- what the declaration generates -------------------------------------------------------------
    def available_actions(self, record, user, *, post_url: Callable[[str], str] | None = None,
                          open_url: Callable[[str], str] | None = None, forms: Iterable[str] | None = None,
                          exclude: Iterable[str] = (), version: int | None = None) -> list:
        """The status-bar actions *user* may take on *record* now. With *post_url*/*open_url* (code → URL)
        they are ``core.shell.record_actions.StatusAction`` buttons; without, plain dicts (code, label,
        permission, form, direct, confirm, primary) for a caller drawing its own. *forms*: the form keys the
        page can show (a step whose form is missing is left out)."""
        exclude = set(exclude)
        forms = set(forms) if forms is not None else None
        codes = []
        for action in self.allowed(record):
            t = self.transitions[action]
            perm = self.permission_of(action)
            if action in exclude or (perm and not (user is not None and user.can(perm))):
                continue
            if t.form and forms is not None and t.form not in forms:
                continue
            codes.append(action)
        if post_url is None or open_url is None:
            return [{"code": a, "label": str(self[a].label), "permission": self.permission_of(a),
                     "form": self[a].form, "direct": self[a].form is None and self[a].confirm is None,
                     "confirm": str(self[a].confirm) if self[a].confirm else None, "primary": self[a].primary}
                    for a in codes]
        from core.shell.record_actions import status_actions
        return status_actions(codes, self.labels(), post_url=post_url, open_url=open_url,
                              direct=[a for a in codes if self[a].form is None],
                              primary=[a for a in codes if self[a].primary],
                              confirms={a: self[a].confirm for a in codes if self[a].confirm}, version=version)

    def api_actions(self, collection, handlers: dict[str, tuple[Any, Callable]], run: Callable | None = None,
                    skip: Iterable[str] = ()) -> None:
        """Register one API action per declared (non-system) step on *collection* (``Collection.action``):
        *handlers* maps the action to ``(body model, call(record, body))``. Every step needs a handler except
        those in *skip* (reached another way, e.g. editing a draft through PATCH)."""
        skip = set(skip)
        missing = [a for a, t in self.transitions.items() if not t.system and a not in handlers and a not in skip]
        extra = [a for a in handlers if a not in self.transitions or self.transitions[a].system]
        if missing or extra:
            raise ValueError(f"workflow {self.name!r}: API handlers missing for {missing}, unknown {extra}")
        from core.api import run_service
        run = run or run_service
        for action, t in self.transitions.items():
            if t.system or action in skip:
                continue
            body, call = handlers[action]
            self._api_action(collection, action, t, body, call, run)

    def _api_action(self, collection, action, t, body, call, run) -> None:
        @collection.action(t.api_name or action, body=body, permission=self.permission_of(action),
                           summary=t.api_summary or t.label)
        def _act(record, body):
            run(call, record, body)
        _act.__name__ = f"_{t.api_name or action}"

    def perform(self, record, action: str, steps: dict[str, Callable], forms: dict, back: str):
        """A record page's POST of step *action* (404 when it is not declared): the step's form
        (``forms[action]``, if it has one) is validated and ``steps[action](record, form)`` runs through
        ``core.shell.actions.perform`` (the version checked, one commit, "Done: <label>" flashed, or rolled
        back with the refusal flashed). The answer goes *back* to the record page (its URL): when the step
        was refused, with the step's form open again (``?act=``) next to the message."""
        if action not in self.transitions:
            from flask import abort
            abort(404)
        from core.shell.actions import perform, require_valid

        def step():
            form = forms.get(action)
            if form is not None:
                require_valid(form)
            self.dispatch(record, action, steps, form)
        from flask import redirect
        ok = perform(record, step, _("Done: %(a)s", a=str(self.transitions[action].label)))
        return redirect(back if ok else f"{back}?act={action}")

    def dispatch(self, record, action: str, handlers: dict[str, Callable], *args):
        """Run the handler of *action* (``handlers[action](record, *args)``) after checking it is declared."""
        if action not in self.transitions or action not in handlers:
            raise self.error(_("Unknown action."))
        return handlers[action](record, *args)

    def act_route(self, bp, rule: str, load: Callable, steps: dict[str, Callable], forms: Callable[[Any], dict],
                  page: Callable[[Any], str], *, permission: str | None = None, endpoint: str = "act") -> None:
        """Register a record page's step POST on blueprint *bp*: ``POST <rule>/act/<action>`` (endpoint
        *endpoint*), guarded by *permission* (default: the workflow's). The view loads the record with
        ``load(**url ids)`` (404 / scope are the loader's business) and answers ``perform(record, action, steps,
        forms(record), page(record))`` — the one way petition cases, referrals and legal-aid applications take
        their steps from the web."""
        from core.auth.guard import require
        guard = permission or self.permission
        if not guard:
            raise ValueError(f"workflow {self.name!r}: act_route needs a permission (the workflow declares none)")

        def act(action: str, **ids):
            record = load(**ids)
            return self.perform(record, action, steps, forms(record), page(record))
        act.__name__ = endpoint
        bp.add_url_rule(f"{rule}/act/<action>", endpoint=endpoint, methods=["POST"],
                        view_func=require(guard)(act))
