from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import TimestampMixin, db


class Setting(TimestampMixin, db.Model):
    """An administrator's value for a declared setting (JSON, so numbers stay numbers)."""

    __tablename__ = "core_setting"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))
