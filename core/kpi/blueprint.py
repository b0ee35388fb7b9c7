"""The dashboard blueprint, shared by the dashboard pages (views.py) and the risk assessments (risk_views.py)."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)
