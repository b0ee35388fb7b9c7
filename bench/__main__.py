"""``python -m bench [NAME ...] [--out FILE]``: run every ``bench/bench_*.py`` (or the named ones), print
one table of figures and ratios, and write ``bench/results.json``. A benchmark that raises is reported
in the table and the others still run; the exit code is 0 unless no benchmark could run at all."""
from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import platform
import re
import sys
import time
import traceback
from core import clock

HERE = os.path.dirname(os.path.abspath(__file__))
_TARGET = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*([0-9.eE+-]+)")


def discover(names: list[str]) -> list[str]:
    found = sorted(f[len("bench_"):-3] for f in os.listdir(HERE) if f.startswith("bench_") and f.endswith(".py"))
    if not names:
        return found
    unknown = [n for n in names if n not in found]
    if unknown:
        raise SystemExit(f"bench: error: no benchmark {', '.join(unknown)} (have: {', '.join(found)})")
    return [n for n in found if n in names]


def check_target(value, target) -> str:
    """'met', 'MISSED' or '' (no target, or one that is not a comparison)."""
    if target is None or not isinstance(value, (int, float)):
        return ""
    if isinstance(target, bool):
        return "met" if target else "MISSED"
    m = _TARGET.match(str(target))
    if not m:
        return ""
    op, limit = m.group(1), float(m.group(2))
    ok = {"<=": value <= limit, "≤": value <= limit, ">=": value >= limit, "≥": value >= limit,
          "<": value < limit, ">": value > limit}[op]
    return "met" if ok else "MISSED"


def run_one(name: str) -> tuple[list[dict], str | None, float]:
    """Import and run one benchmark; returns (rows, error, seconds)."""
    t0 = time.perf_counter()
    try:
        module = importlib.import_module(f"bench.bench_{name}")
        rows = module.run()
        if not isinstance(rows, list) or not all(isinstance(r, dict) and "name" in r for r in rows):
            raise TypeError("run() must return a list of dicts with at least 'name', 'value', 'unit'")
    except BaseException as exc:  # noqa: BLE001 - one failing benchmark must not stop the others
        if isinstance(exc, KeyboardInterrupt):
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        detail = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
        sys.stderr.write(f"bench {name} failed:\n{traceback.format_exc()}\n")
        return [], detail, time.perf_counter() - t0
    clean = []
    for r in rows:
        r = dict(r)
        v, b = r.get("value"), r.get("baseline")
        if "ratio" not in r and isinstance(v, (int, float)) and isinstance(b, (int, float)) and b:
            r["ratio"] = v / b
        r["status"] = check_target(v, r.get("target"))
        clean.append(r)
    return clean, None, time.perf_counter() - t0


def fmt(x) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            return str(x)
        if x == 0:
            return "0"
        if abs(x) >= 1000:
            return f"{x:,.0f}"
        return f"{x:.3g}" if abs(x) >= 0.01 else f"{x:.2e}"
    return str(x)


def table(results: list[dict]) -> str:
    head = ["bench", "figure", "value", "unit", "baseline", "ratio", "target", "status / note"]
    lines = []
    for r in results:
        if r.get("error"):
            lines.append([r["bench"], "(failed)", "", "", "", "", "", "ERROR: " + r["error"][:80]])
            continue
        ratio = r.get("ratio")
        lines.append([r["bench"], str(r["name"]), fmt(r.get("value")), str(r.get("unit", "")),
                      fmt(r.get("baseline")), (fmt(ratio) + "x") if isinstance(ratio, (int, float)) else fmt(ratio),
                      fmt(r.get("target")), r.get("status", "") + (f"  {r['note']}" if r.get("note") else "")])
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(head)]
    numeric = {2, 4, 5}

    def render(cells):
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [render(head), "  ".join("-" * w for w in widths)]
    out += [render(line) for line in lines]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all), e.g. shell pdf")
    parser.add_argument("--out", default=os.path.join(HERE, "results.json"), help="where to write the JSON results")
    args = parser.parse_args(argv)
    names = discover(args.names)
    if not names:
        print("bench: no bench/bench_*.py found", file=sys.stderr)
        return 1

    results: list[dict] = []
    runs = []
    for name in names:
        print(f"… {name}", file=sys.stderr, flush=True)
        rows, error, seconds = run_one(name)
        runs.append({"bench": name, "seconds": round(seconds, 2), "error": error})
        if error:
            results.append({"bench": name, "error": error})
        for r in rows:
            results.append({"bench": name, **r})
    try:
        from bench import cleanup
        cleanup()
    except Exception:  # noqa: BLE001
        pass

    print(table(results))
    failed = [r["bench"] for r in runs if r["error"]]
    missed = [f"{r['bench']}:{r['name']}" for r in results if r.get("status") == "MISSED"]
    print(f"\n{len(names)} benchmarks, {len(failed)} failed{': ' + ', '.join(failed) if failed else ''}; "
          f"{len(missed)} targets missed{': ' + ', '.join(missed) if missed else ''}")

    doc = {
        "generated_at": clock.now_aware().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "database": "sqlite (temporary copy of the demo data)"},
        "runs": runs,
        "results": results,
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1, default=str)
    print(f"results written to {os.path.relpath(args.out)}")
    return 0 if len(failed) < len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
