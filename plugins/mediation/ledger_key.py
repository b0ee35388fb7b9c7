"""The ledger key: one integer per dispute that packs the five codes the monthly ledger counts by
(category, source, risk level, state, handling level), in ``mediation_dispute.ledger_key``: set on every
ORM insert and update (models.py), by the scale seeder for its bulk rows, and filled for older rows by
the migration that made the column (with EXPRESSION, frozen there).

Grouping a million rows by one integer instead of five text columns is what brings the district roll-up
within reach of a one-column GROUP BY (see bench/bench_mediation_rollup.py). The digits are fixed here,
once and for all: a code that is not in these tables (a risk level added in the settings, say) packs
as 0 (and a row without a key reads as 0), and the roll-up then counts the plain way, by the text columns.

    key = category * 10000 + source * 1000 + risk * 100 + state * 10 + level
"""
from __future__ import annotations

# never renumber: stored rows carry these digits (a change needs a migration that re-creates the column)
CATEGORY = {"marriage_family": 1, "neighbour": 2, "housing_homestead": 3, "contract": 4, "production_business": 5,
            "damages": 6, "forest_land": 7, "land_acquisition_demolition": 8, "environment": 9, "labour": 10,
            "consumer": 11, "medical": 12, "traffic": 13, "property_management": 14, "other": 15}
SOURCE = {"patrol": 1, "application": 2, "court": 3, "police": 4}
RISK = {"red": 1, "orange": 2, "yellow": 3, "green": 4}
STATE = {"registered": 1, "mediating": 2, "resolved": 3, "failed": 4, "escalated": 5, "refused": 6, "closed": 7}
LEVEL = {"village": 1, "town": 2, "district": 3}

# dimension → (column, codes, multiplier, modulus of the digit group)
PARTS = {
    "category": ("category", CATEGORY, 10000, 100),
    "source": ("source", SOURCE, 1000, 10),
    "risk_level": ("risk_level", RISK, 100, 10),
    "state": ("state", STATE, 10, 10),
    "handling_level": ("handling_level", LEVEL, 1, 10),
}


def _case(column: str, codes: dict[str, int]) -> str:
    whens = " ".join(f"WHEN '{code}' THEN {n}" for code, n in codes.items())
    return f"(CASE {column} {whens} ELSE 0 END)"


EXPRESSION = " + ".join(f"{_case(column, codes)} * {mult}" for column, codes, mult, _mod in PARTS.values())
DECODE = {dim: {n: code for code, n in codes.items()} for dim, (_c, codes, _m, _mod) in PARTS.items()}


def digit(dim: str, key: int) -> int:
    _column, _codes, mult, mod = PARTS[dim]
    return (key // mult) % mod


def pack(category: str, source: str, risk_level: str, state: str, handling_level: str) -> int:
    values = {"category": category, "source": source, "risk_level": risk_level, "state": state,
              "handling_level": handling_level}
    return sum(PARTS[d][1].get(v, 0) * PARTS[d][2] for d, v in values.items())
