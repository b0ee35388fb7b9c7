"""Grid mediation (网格调解)."""
