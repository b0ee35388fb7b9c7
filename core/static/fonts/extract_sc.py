"""Re-create the Simplified-Chinese font files in this folder from Debian's fonts-noto-cjk collections.

    .venv/bin/python core/static/fonts/extract_sc.py [/usr/share/fonts/opentype/noto]

A Noto CJK ``.ttc`` holds one face per region and its FIRST face is the Japanese one. This script
takes the face whose family name ends in "SC", keeps every character its cmap maps (the SC glyph
forms) plus the glyphs reached by the layout features a Chinese document needs, and drops the
Japanese/Korean/Traditional alternates (``locl``, ``jp78``, ``trad`` … are not kept). The faces of
a collection share one CFF table named after the Japanese face (``NotoSerifCJKjp-Regular``); the
CFF names are set to the SC face's PostScript name so that a PDF's embedded font says what it is.
About two minutes and 500 MB of memory per face. Not run at build or test time: the output is
committed. ``--rename-only`` only fixes the CFF names of the files already here.
"""
from __future__ import annotations

import os
import sys

FACES = (  # (collection, output file)
    ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf"),
    ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf"),
    ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
)
FEATURES = ["ccmp", "kern", "liga", "calt", "mark", "mkmk", "vert", "vrt2", "vkrn", "vpal", "valt",
            "vhal", "palt", "halt", "fwid", "hwid", "pwid"]
MUST_MAP = "喆堃珺昇犇旻彧今令直写关，。：；“”（）〔〕《》、—"


def sc_face(path: str):
    from fontTools.ttLib import TTCollection

    for font in TTCollection(path).fonts:
        family = font["name"].getDebugName(1) or ""
        if family.endswith(" SC") and "Mono" not in family:
            return font
    raise SystemExit(f"{path}: no Simplified-Chinese face")


def fix_cff_names(font) -> None:
    """Name the CFF table after the face's own PostScript name (the TTC's is the JP face's)."""
    ps_name = font["name"].getDebugName(6)  # e.g. NotoSerifCJKsc-Regular
    cff = font["CFF "].cff
    old = cff.fontNames[0]
    if old == ps_name:
        return
    top = cff.topDictIndex[0]
    cff.fontNames = [ps_name]
    top.FullName = font["name"].getDebugName(4)
    top.FamilyName = font["name"].getDebugName(1)
    for fd in getattr(top, "FDArray", []) or []:
        if getattr(fd, "FontName", "").startswith(old):
            fd.FontName = ps_name + fd.FontName[len(old):]


def extract(src: str, out: str) -> None:
    from fontTools import subset

    font = sc_face(src)
    opts = subset.Options()
    opts.layout_features = FEATURES
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.hinting = True
    opts.legacy_kern = True
    opts.recalc_bounds = False
    subsetter = subset.Subsetter(opts)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    cmap = font.getBestCmap()
    missing = [c for c in MUST_MAP if ord(c) not in cmap]
    if missing:
        raise SystemExit(f"{out}: characters missing from the cmap: {''.join(missing)}")
    fix_cff_names(font)
    font.save(out)
    print(f"{out}: {font['name'].getDebugName(4)}, {font['maxp'].numGlyphs} glyphs, {len(cmap)} characters")


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.argv[1:] == ["--rename-only"]:
        from fontTools.ttLib import TTFont

        for _, name in FACES:
            font = TTFont(os.path.join(here, name))
            fix_cff_names(font)
            font.save(os.path.join(here, name))
            print(name, font["CFF "].cff.fontNames)
        return
    src_dir = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto"
    for collection, name in FACES:
        extract(os.path.join(src_dir, collection), os.path.join(here, name))


if __name__ == "__main__":
    main()
