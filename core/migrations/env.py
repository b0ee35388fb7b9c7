"""Alembic environment shared by every branch (core and plugins)."""
from alembic import context

from core.db import db

config = context.config
app = config.attributes["flask_app"]
plugin = config.attributes.get("autogenerate_plugin")
host = app.extensions["concord"]


def _owner(table_name: str) -> str:
    for c in host.items("table"):
        if c.key == table_name:
            return c.branch
    return ""


def include_object(obj, name, type_, reflected, compare_to):
    if plugin is None:
        return True
    table = obj if type_ == "table" else getattr(obj, "table", None)
    table_name = getattr(table, "name", name) if table is not None else name
    return _owner(table_name) == plugin


def run() -> None:
    with app.app_context():
        with db.engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=db.metadata,
                include_object=include_object,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()


run()
