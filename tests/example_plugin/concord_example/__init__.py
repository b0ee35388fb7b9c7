"""concord_example: a minimal third-party Concord plugin."""
