"""Concord's own plugins. Third-party plugins live in their own packages."""
