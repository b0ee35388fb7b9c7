"""Hearings (公开听证)."""
