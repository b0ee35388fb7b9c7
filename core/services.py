"""Core services (calendar, audit, sequences, PDF, scheduler, master data, notifications, API) each
register themselves here through the core plugin context. Each import is one service package."""


def setup_services(ctx) -> None:
    import importlib

    for name in ("core.api", "core.settings", "core.calendar", "core.audit", "core.sequences", "core.pdf",
                 "core.scheduler", "core.regions", "core.parties", "core.notifications", "core.concurrency",
                 "core.kpi", "core.security"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # service not built yet
            raise
        setup = getattr(module, "setup", None)
        if setup is not None:
            setup(ctx)
