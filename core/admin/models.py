from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db, TimestampMixin


class PluginState(TimestampMixin, db.Model):
    """An administrator's choice to disable an installed plugin (takes effect on the next start)."""

    __tablename__ = "core_plugin_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
