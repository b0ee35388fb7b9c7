"""Buffered reads of personal data become one audit row per response (issue 22)."""
from __future__ import annotations


def coalesce(rows: list[dict]) -> list[dict]:
    """One row per response (issue 22): the reads a request buffered become one row per (user, action),
    naming every record and field in ``text`` (``core_person 12: id_number, phone; core_person 13: phone``)
    and the purpose given with ``?reveal=``; a single read keeps its record and field columns."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["user_id"], row["action"]), []).append(row)
    out = []
    for group in groups.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        records: dict[tuple, list[str]] = {}
        for row in group:
            fields = records.setdefault((row["record_type"] or "", row["record_id"] or ""), [])
            if row["field"] and row["field"] not in fields:
                fields.append(row["field"])
        types = {t for t, _i in records}
        every_field = sorted({f for fields in records.values() for f in fields})
        listing = "; ".join(f"{t} {i}: {', '.join(fields)}".strip() for (t, i), fields in records.items())
        purpose = next((r["text"] for r in group if r.get("text")), None)
        merged = dict(group[0])
        merged.update({
            "record_type": types.pop() if len(types) == 1 else None,
            "record_id": group[0]["record_id"] if len(records) == 1 else None,
            "field": ",".join(every_field)[:64] or None,
            "text": (f"{len(records)} records · {listing}" + (f" · {purpose}" if purpose else "")),
        })
        out.append(merged)
    return out
