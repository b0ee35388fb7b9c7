"""Grids (网格) and their grid workers: pages, CSV import."""
