"""The plugin toolkit: everything a plugin may use from core, in one place (CKAN's ``plugins.toolkit``).

    from core import toolkit as tk              # tk.db, tk.require, tk.in_scope, tk.clock.now(), …
    from core.toolkit import db, require, ServiceError

A plugin imports core only through this module (and ``core.plugins.Manifest`` in its manifest);
``lint-imports`` (``[tool.importlinter]`` in pyproject.toml) fails CI otherwise. What is not listed here is
core's private business and may change. Names are resolved on first use, so importing the toolkit is cheap
(a models module does not pay for the API's or the PDF engine's imports).

Extension points are objects: ``tk.points.sync``, ``tk.Point``; the plugin context (``ctx``) passed to a
plugin's ``setup`` is the other half of the API (README "Writing a plugin").
"""
from __future__ import annotations

import importlib

# name → (module, attribute); attribute None exports the module itself
_EXPORTS: dict[str, tuple[str, str | None]] = {}


def _export(module: str, *names: str, **renamed: str) -> None:
    for name in names:
        _EXPORTS[name] = (module, name)
    for alias, name in renamed.items():
        _EXPORTS[alias] = (module, name)


# -- time, database, errors ---------------------------------------------------------------------------
_EXPORTS["clock"] = ("core.clock", None)
_export("core.db", "db", "VersionedMixin", "TimestampMixin", "StaleEdit", "check_version")
_export("core.errors", "ServiceError", "clean_text")
_export("core.concurrency.locks", "serialise")
# -- users, access, regions -----------------------------------------------------------------------------
_export("core.auth.models", "User", "Role")
_export("core.auth.guard", "require", "public", "login_only")
_export("core.auth.services", "create_user")
_export("core.regions.models", "Region")
_export("core.regions.scope", "in_scope", "in_subtree", "scope_condition", "scope_key", "user_can_see_region")
_export("core.regions.services", "region_choices")
# -- audit trail, chatter, personal data ------------------------------------------------------------------
_export("core.audit", "audit_actor")
_export("core.audit.services", "log_event", "log_note", "add_activity", "add_attachment", "AttachmentError",
        "model_for_table", "reveal")
_export("core.audit.models", "Attachment")
# -- parties (persons, organisations) ---------------------------------------------------------------------
_export("core.parties", "PartyError", "create_person", "create_organisation", "find_duplicates",
        "find_or_create_person", "organisation_by_code")
_export("core.parties.models", "Person", "Organisation", "ORG_KINDS")
_export("core.parties.services", "person_lock_key")
_export("core.parties.validation", "InvalidValue", "clean_id_number", "clean_name", "clean_phone",
        "id_check_char", "normalise_name")
# -- deadlines and the calendar ---------------------------------------------------------------------------
_EXPORTS["deadlines"] = ("core.calendar.deadlines", None)
_export("core.calendar.deadlines", "DUE_SOON_DAYS", "attention", "deadline_batch", "deadline_rows",
        "deadlines_for", "extend", "find_deadline", "met", "pause", "resume", "running_clocks", "start_deadline",
        "stop_if_running")
_export("core.calendar.listed", "clock_columns", "listed_clock")
_export("core.calendar.engine", "DeadlineInputError")
_export("core.calendar.models", "Deadline")
_export("core.calendar.rules", "DeadlineRule")
_export("core.scale", "office_time")
_export("core.calendar.services", "compute_rule", "get_rule", "is_working_day",
        compute_deadline="compute", all_rules="rules")
# -- documents, numbering, notifications, settings, jobs --------------------------------------------------
_export("core.pdf", "RecordNotFound", "pdf_response", "record_document", "render_pdf")
_export("core.sequences", "next_reference")
_export("core.notifications.services", "notify")
_export("core.notifications.models", "Notification")
_EXPORTS["settings"] = ("core.settings.services", None)
_export("core.settings.services", "settings_texts", setting="get")
_export("core.scheduler", "JobSpec")
# -- pages: forms, lists, actions, labels -----------------------------------------------------------------
_export("core.shell.actions", "perform", "require_valid", "unit_of_work")
_export("core.shell.listing", "Column", "Filter", "ListView", "listed", "row_link")
_export("core.shell.ratelimit", "too_many")
_export("core.shell.record_actions", "chosen_action", "status_actions")
_export("core.shell.xlsx", xlsx_single="single")
_export("core.labels", "DEADLINE_STATUS", "enum_labels", "register_actions", "register_enum",
        "register_record_type", "register_setting_labels", "rule_title")
_export("core.i18n", "remembered", "texts_memo")
# -- JSON API ----------------------------------------------------------------------------------------------
_export("core.api", "ApiBlueprint", "ApiBody", "ApiError", "Collection", "Id", "LocalDate", "LocalDateTime",
        "OptionalText", "PageQuery", "Text", "VersionedPatch", "get_or_404_in_scope", "invalid", "run_service")
# -- KPIs --------------------------------------------------------------------------------------------------
_export("core.kpi", "Chart", "KpiDefault", "Measure", "Rate", "clock_query", KpiColumn="Column")
# -- extension points, workflow, demo data -----------------------------------------------------------------
_EXPORTS["points"] = ("core.plugins.points", None)
_export("core.plugins.points", "Point", "SIGNAL", "CONTRIBUTION", "calendar_changed", "kpi_default",
        "kpi_hotspot_source", "kpi_measure", "notification_channel", "sync")
_export("core.seed", "DEMO_PASSWORD", "DISTRICT")
_export("core.workflow", "Transition", "Workflow")

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"core.toolkit has no {name!r}: plugins use only what the toolkit exports") from None
    value = importlib.import_module(module)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value     # resolved once
    return value


def __dir__():
    return __all__
