"""Formal documents to GB/T 9704-2012: 28 characters a line, the signature never alone on the last page
(§7.3.5), and characters outside the BMP (a petitioner 张𠀀𪚥) drawn with real glyphs and read back
as text by pypdf and by poppler's pdftotext (ToUnicode), checked in the embedded font programs."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from core.pdf import render, render_pdf
from core.pdf.fetcher import SYSTEM_FONTS, FetchRefused, resolve, resolve_system_font, system_fonts_missing

NAME = "张𠀀𪚥"                   # U+20000 and U+2A6A5, CJK Extension B
# characters outside the BMP from Extensions B, C, D, E, F (and the 通用规范汉字表 ones among them:
# 𫓧 U+2B4E7, 𫖯 U+2B5AF, 𬌗 U+2C317, 𬣙 U+2C8D9 are in the 2013 list of 8,105)
RARE_SIP = "𠀀𪚥𠮷𡈼𪜀𫝀𫠝𫓧𫖯𬌗𬣙𬺰"
PARA = "经调查核实，信访人反映的问题属实，相关部门已经责令整改，并于规定期限内完成了补偿款的发放工作。"
SIGNATURE = ("君山区信访局", "2026年3月20日")

pytestmark = pytest.mark.skipif(bool(system_fonts_missing()),
                                reason="fonts-hanazono / fonts-babelstone-han not installed (run.sh installs them)")


def opinion(n: int = 3, name: str = NAME, extra: str = "") -> dict:
    return {"issuer": SIGNATURE[0], "title": "信访事项处理意见书", "recipient": name, "attachments": [],
            "date": date(2026, 3, 20),
            "sections": [("", [f"{name}：你于2026年3月2日以来访方式提出的信访事项收悉。{extra}"]),
                         ("一、信访请求", ["请求补发拆迁补偿款。"]), ("二、事实和理由", [PARA] * n),
                         ("三、处理意见", ["经调查核实，本机关意见为：支持。"])]}


def page_texts(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def pdftotext(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def embedded_programs(pdf: bytes) -> dict[str, TTFont]:
    reader = PdfReader(io.BytesIO(pdf))
    out = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            assert "/ToUnicode" in font, font["/BaseFont"]           # every font stays extractable
            out[str(font["/BaseFont"])] = TTFont(io.BytesIO(stream.get_object().get_data()))
    return out


def drawn_with_a_glyph(programs: dict[str, TTFont], ch: str) -> str | None:
    """The embedded font whose program maps *ch* to a glyph with an outline (not .notdef, not empty)."""
    for base, font in programs.items():
        gname = font.getBestCmap().get(ord(ch))
        if not gname or gname == ".notdef":
            continue
        if "glyf" in font:
            glyph = font["glyf"][gname]
            if glyph.numberOfContours != 0:
                return base
        else:
            cs = font["CFF "].cff.topDictIndex[0].CharStrings[gname]
            if cs.calcBounds(None) is not None:
                return base
    return None


def test_rare_name_reads_back_with_pypdf_and_pdftotext(app, tmp_path):
    pdf = render_pdf("petition.document", **opinion(extra=f"另，附表所列{RARE_SIP}。"))
    text = "".join(page_texts(pdf))
    assert f"{NAME}：" in text and RARE_SIP in "".join(text.split())
    assert "\ufffd" not in text
    poppler = pdftotext(pdf, tmp_path)
    assert f"{NAME}：" in poppler and RARE_SIP in "".join(poppler.split())


def test_embedded_fonts_have_real_glyphs_for_rare_characters(app):
    pdf = render_pdf("petition.document", **opinion(extra=f"另，附表所列{RARE_SIP}，喆堃。"))
    programs = embedded_programs(pdf)
    assert any("Concord-Han-Ext" in b for b in programs), list(programs)
    missing = [ch for ch in RARE_SIP + "张信访喆堃" if drawn_with_a_glyph(programs, ch) is None]
    assert not missing, f"no glyph embedded for {missing}"
    # the BMP text stays in the main face; only the extension characters come from the fallback
    assert "Serif" in drawn_with_a_glyph(programs, "张")
    assert "Han-Ext" in drawn_with_a_glyph(programs, "𠀀")


def test_font_stack_covers_gb18030_levels_1_and_2():
    """GB 18030-2022 implementation levels 1–2: the BMP unified ideographs (U+4E00–U+9FA5 and the
    later additions to U+9FEF), Extension A, and the 通用规范汉字表 characters outside the BMP — all
    drawn by the vendored SC face or the fallback faces. Checked over the whole of Extensions B–F."""
    from core.pdf.fetcher import STATIC_ROOT
    import os
    stack = [TTFont(os.path.join(STATIC_ROOT, "fonts", "NotoSerifCJKsc-Regular.otf"), lazy=True)]
    stack += [TTFont(path, lazy=True) for path, _pkg, _lic in SYSTEM_FONTS.values()]
    covered = set()
    for font in stack:
        covered |= set(font.getBestCmap())
    wanted = {*range(0x4E00, 0x9FF0), *range(0x3400, 0x4DB6), *range(0x20000, 0x2A6E0),
              *range(0x2A700, 0x2B735), *range(0x2B740, 0x2B81E), *range(0x2B820, 0x2CEA2),
              *range(0x2CEB0, 0x2EBE1)}
    sc_sip = {c for c in stack[0].getBestCmap() if c >= 0x20000}   # the SC face's own SIP set
    assert len(sc_sip) > 2000
    missing = sorted((wanted | sc_sip) - covered)
    assert not missing, f"{len(missing)} characters without a glyph, e.g. {[hex(c) for c in missing[:10]]}"


def test_28_characters_a_line_filling_the_type_area(app):
    line = "一二三四五六七八九十" * 10
    pdf = render_pdf("petition.document", **{**opinion(0), "sections": [("", [line])]})
    lines = [ln for ln in page_texts(pdf)[0].splitlines() if ln.startswith(("一", "二", "三", "四", "五"))]
    assert len(lines[0]) == 26               # first line: two characters of indent
    assert all(len(ln) == 28 for ln in lines[1:-1]), [len(ln) for ln in lines]


@pytest.mark.parametrize("n", range(8, 24))
def test_signature_never_alone_on_the_last_page(app, n):
    result = render("petition.document", **opinion(n))
    pages = page_texts(result.pdf)
    assert result.pages == len(pages) >= 2
    last = pages[-1]
    for part in SIGNATURE:
        assert part in last                   # signature and date on the last page …
    body = last
    for part in (*SIGNATURE, f"— {len(pages)} —"):
        body = body.replace(part, "")
    assert body.strip(), f"{n} paragraphs: the last page holds only the signature"   # … with body text


def test_system_fonts_resolve_by_name_only(tmp_path):
    assert resolve("concord-system-font:HanaMinB.ttf").startswith("/usr/share/fonts/")
    for url in ("concord-system-font:../../etc/passwd", "concord-system-font:/etc/passwd",
                "concord-system-font:DejaVuSans.ttf", "concord-system-font:"):
        with pytest.raises(FetchRefused):
            resolve(url)
    outside = tmp_path / "evil.ttf"
    outside.write_bytes(b"x")
    with pytest.raises(FetchRefused):
        resolve_system_font("evil.ttf", {"evil.ttf": (str(outside), "x", "x")})
