"""Petition register (信访事项登记)."""
