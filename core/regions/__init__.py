"""The administrative region tree (NBS 12-digit codes) and region scoping of records."""
from .models import Region, LEVELS
from .scope import in_scope, scope_filter, user_can_see_region

__all__ = ["Region", "LEVELS", "in_scope", "scope_filter", "user_can_see_region"]
