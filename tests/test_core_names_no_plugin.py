"""Core knows no plugin: roles, KPI defaults, charts and breakdown columns come from the plugins that own
them (``ctx.role``, ``Measure(chart=…, rate=…, column=…, section=…)``, ``kpi.default``). This test reads
every core module and fails on code naming a plugin: an identifier-like string such as
``"petition.received"`` or ``"hearing_hearing"``, a name ``petition``, or an import of ``plugins.*``.
Comments, docstrings and translatable sentences (words, not codes) are allowed."""
from __future__ import annotations

import io
import pathlib
import re
import tokenize

ROOT = pathlib.Path(__file__).resolve().parents[1]
PLUGINS = ("petition", "hearing", "mediation", "legal_aid", "centre")
CODE = re.compile(r"^[a-z_][a-z0-9_.:]*$")
PART = re.compile(r"(?:^|[._:])(" + "|".join(PLUGINS) + r")(?:$|[._:])")
# (file, string) pairs that name a real-world thing, not a plugin, with the reason
ALLOWED = {
    ("core/parties/models.py", "legal_aid_centre"): "an organisation kind (法律援助中心), master data",
    ("core/parties/seed.py", "legal_aid_centre"): "the demo legal-aid centre organisation",
}


def _offences(path: pathlib.Path) -> list[str]:
    rel = path.relative_to(ROOT).as_posix()
    out = []
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    previous = None
    for tok in tokens:
        if tok.type == tokenize.STRING:
            docstring = previous is None or previous.type in (tokenize.INDENT, tokenize.NEWLINE, tokenize.DEDENT) \
                or (previous.type == tokenize.OP and previous.string == ":")
            value = re.sub(r"^[a-zA-Z]*(['\"]{1,3})(.*)\1$", r"\2", tok.string, flags=re.S)
            if not docstring and CODE.match(value) and PART.search(value) and (rel, value) not in ALLOWED:
                out.append(f"{rel}:{tok.start[0]}: {value!r}")
        elif tok.type == tokenize.NAME and tok.string in PLUGINS:
            out.append(f"{rel}:{tok.start[0]}: name {tok.string}")
        elif tok.type == tokenize.NAME and tok.string == "plugins" and previous is not None \
                and previous.string in ("from", "import"):
            out.append(f"{rel}:{tok.start[0]}: imports plugins")
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            previous = tok
    return out


def test_no_core_module_names_a_plugin():
    offences = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        if "migrations" in path.parts:   # history: a migration may move a table that a plugin used to own
            continue
        offences += _offences(path)
    assert not offences, "core names a plugin:\n" + "\n".join(offences)


def test_the_check_catches_what_it_should(tmp_path):
    sample = ROOT / "core" / "_probe_names.py"
    sample.write_text('"""Docstring about petition.received is fine."""\n'
                      'X = registry["petition.received"]  # comment petition.received is fine\n'
                      'Y = _("No petition or dispute")\n'
                      'from plugins.hearing import models\n', encoding="utf-8")
    try:
        found = _offences(sample)
    finally:
        sample.unlink()
    assert any("'petition.received'" in f for f in found)
    assert any("imports plugins" in f for f in found)
    assert not any("No petition" in f for f in found)
    assert len([f for f in found if "petition.received" in f]) == 1
