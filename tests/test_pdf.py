"""PDF service: Chinese text and SC fonts survive into the PDF, user text stays text, the time limit
stops a runaway render, and the sample template works from the command line."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from markupsafe import Markup
from pypdf import PdfReader

from core.pdf import RenderTimeout, html_to_pdf, render, render_html, render_pdf
from core.pdf.templating import cn_date

RARE = "喆堃珺昇犇旻彧"
PUNCT = "，。：；！？“”‘’（）《》〔〕【】、——……"
SC_FONT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "core", "static", "fonts",
                       "NotoSerifCJKsc-Regular.otf")
JP_COLLECTION = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"


def sample_data(**extra) -> dict:
    data = {
        "issuer": "君山区信访局", "issuer_mark": "君山区信访局文件", "doc_prefix": "君信访",
        "doc_year": 2026, "doc_serial": 12, "date": "2026-11-23", "printed_by": "君山区信访局办公室",
        "title": "关于今令直写关有关事项的通知",
        "recipient": "各乡镇（街道）信访办",
        "sections": [("一、基本情况", [f"信访人{RARE}反映{PUNCT}问题。", "经调查核实，现答复如下。"])],
        "attachments": ["听证笔录"], "cc": "市信访局",
    }
    data.update(extra)
    return data


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


def embedded_fonts(pdf: bytes):
    """(BaseFont, embedded font program as a fontTools TTFont) for every font on every page."""
    from fontTools.ttLib import TTFont

    reader = PdfReader(io.BytesIO(pdf))
    seen = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            seen[str(font["/BaseFont"])] = TTFont(io.BytesIO(stream.get_object().get_data()))
    return seen


def test_sample_keeps_rare_names_and_full_width_punctuation(app):
    pdf = render_pdf("core.sample", **sample_data())
    assert pdf.startswith(b"%PDF-")
    text = squeeze(text_of(pdf))
    assert RARE in text
    assert squeeze(PUNCT) in text
    assert "君信访〔2026〕12号" in text
    assert "2026年11月23日" in text
    assert "关于今令直写关有关事项的通知" in text


def test_embedded_fonts_are_the_simplified_chinese_faces(app):
    fonts = embedded_fonts(render_pdf("core.sample", **sample_data()))
    assert fonts, "no embedded font"
    from fontTools.ttLib import TTFont
    sc_cmap = TTFont(SC_FONT, lazy=True).getBestCmap()
    for base_font, program in fonts.items():
        assert "SC" in base_font and "JP" not in base_font.upper().replace("-", ""), base_font
        ps_name = program["CFF "].cff.fontNames[0]
        assert "CJKsc" in ps_name and "jp" not in ps_name, ps_name
    # the glyphs drawn are the SC forms: the embedded cmaps map to the SC face's glyphs (CIDs)
    checked = set()
    for base_font, program in fonts.items():
        if "Serif" not in base_font:
            continue
        cmap = program.getBestCmap()
        for ch in "今令直写关" + RARE:
            if ord(ch) in cmap:
                assert cmap[ord(ch)] == sc_cmap[ord(ch)], (base_font, ch)
                checked.add(ch)
    assert checked == set("今令直写关" + RARE)
    if os.path.exists(JP_COLLECTION):  # the Japanese face draws 今 with another glyph
        from fontTools.ttLib import TTCollection
        jp = TTCollection(JP_COLLECTION, lazy=True).fonts[0]
        assert "JP" in jp["name"].getDebugName(1)
        assert sc_cmap[ord("今")] != jp.getBestCmap()[ord("今")]


def test_vendored_fonts_map_rare_name_characters():
    from fontTools.ttLib import TTFont
    folder = os.path.dirname(SC_FONT)
    for name in ("NotoSerifCJKsc-Regular.otf", "NotoSerifCJKsc-Bold.otf", "NotoSansCJKsc-Regular.otf"):
        font = TTFont(os.path.join(folder, name), lazy=True)
        assert font["name"].getDebugName(1).endswith(" SC")
        cmap = font.getBestCmap()
        assert not [ch for ch in RARE + PUNCT if ord(ch) not in cmap], name
    assert os.path.exists(os.path.join(folder, "OFL.txt"))


def test_markup_typed_into_a_field_comes_out_as_text(app):
    evil = '<img src="file:///etc/passwd"><script>alert(1)</script>'
    data = sample_data(recipient=evil, sections=[("一、" + evil, [evil])], cc=Markup("<b>抄送</b>"))
    html = render_html("core.sample", **data)
    assert '<img src="file:///etc/passwd">' not in html and "<script>" not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "&lt;b&gt;抄送&lt;/b&gt;" in html  # even a Markup value is text
    result = render("core.sample", **data)
    text = squeeze(text_of(result.pdf))
    assert squeeze('<img src="file:///etc/passwd">') in text
    assert "<script>alert(1)</script>" in text
    assert "<b>抄送</b>" in text
    assert result.refused == []  # nothing was even asked for


def test_base_layout_is_a_chinese_a4_document(app):
    html = render_html("core.sample", **sample_data())
    assert '<html lang="zh-CN">' in html
    result = render("core.sample", **sample_data(sections=[("", ["正文。"] * 60)]))
    reader = PdfReader(io.BytesIO(result.pdf))
    assert result.pages == len(reader.pages) >= 2
    width, height = (float(x) for x in reader.pages[0].mediabox.upper_right)
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297
    assert "—1—" in squeeze(reader.pages[0].extract_text())
    assert "—2—" in squeeze(reader.pages[1].extract_text())


def test_cn_date():
    from datetime import date, datetime
    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"
    assert cn_date(datetime(2026, 11, 23, 8, 0)) == "2026年11月23日"
    assert cn_date("2026-03-09") == "2026年3月9日"
    assert cn_date(None) == ""


EVIL_TEMPLATE = """{% extends "pdf/base.html" %}
{% block extra_style %}
body { background: url("file:///etc/passwd"); }
h1.title { background-image: url("http://127.0.0.1:1/x.png"); }
{% endblock %}
{% block content %}
<p>正文照常输出。</p>
<img src="file:///etc/passwd" alt="">
<img src="http://127.0.0.1:1/x" alt="">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="">
<img src="concord-static:../../../etc/passwd" alt="">
<img src="concord-static:fonts/../../pdf/engine.py" alt="">
<img src="concord-static:css/concord.css" alt="">
<img src="../../etc/passwd" alt="">
<img src="concord-static:img/favicon.svg" alt="">
{% endblock %}
"""


def test_template_reaching_outside_is_refused_and_still_renders(app, tmp_path, caplog):
    path = tmp_path / "evil.html"
    path.write_text(EVIL_TEMPLATE, encoding="utf-8")
    app.extensions["concord"].core_context().pdf_template("core.test_evil", str(path))
    caplog.set_level("WARNING", logger="concord.pdf")
    result = render("core.test_evil", title="测试", issuer="君山区信访局", date="2026-11-23")
    refused = [url for url, _reason in result.refused]
    for url in ("file:///etc/passwd", "http://127.0.0.1:1/x.png", "http://127.0.0.1:1/x",
                "concord-static:../../../etc/passwd", "concord-static:fonts/../../pdf/engine.py",
                "concord-static:css/concord.css", "../../etc/passwd"):
        assert url in refused, (url, refused)
    assert any(url.startswith("data:") for url in refused)
    assert not any("favicon.svg" in url for url in refused)  # the app's own image is served
    assert "正文照常输出" in squeeze(text_of(result.pdf))
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "concord.pdf")
    assert "refused to fetch file:///etc/passwd" in logged


def test_fetcher_resolution_rules(tmp_path):
    from core.pdf.fetcher import FetchRefused, resolve
    root = tmp_path / "static"
    (root / "img").mkdir(parents=True)
    (root / "img" / "seal.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    os.symlink(tmp_path / "secret.png", root / "img" / "link.png")
    rootp = os.path.realpath(root)
    assert resolve("concord-static:img/seal.png", rootp).endswith("img/seal.png")
    assert resolve("CONCORD-STATIC:img/seal.png?v=1", rootp).endswith("img/seal.png")
    assert resolve("img/seal.png", rootp).endswith("img/seal.png")
    for url in ("concord-static:img/link.png", "concord-static:../secret.png", "../secret.png",
                "concord-static:/etc/passwd", "//127.0.0.1/x.png", "file:///etc/passwd",
                "https://example.org/a.png", "data:image/png;base64,AAAA", "concord-static:img/none.png",
                "concord-static:img%2F..%2F..%2Fsecret.png", "concord-static:img\\..\\..\\secret.png", ""):
        with pytest.raises(FetchRefused):
            resolve(url, rootp)


def test_time_limit_stops_a_runaway_render(app):
    huge = "<html lang='zh-CN'><body>" + "<p>信访事项办理意见书正文内容。</p>" * 20000 + "</body></html>"
    with pytest.raises(RenderTimeout, match=r"took longer than 0\.3 s and was stopped") as info:
        html_to_pdf(huge, timeout=0.3)
    with pytest.raises(ProcessLookupError):  # the renderer was killed and reaped
        os.kill(info.value.pid, 0)
    # the configured limit applies to render_pdf; a small document still renders afterwards
    app.config["PDF_RENDER_TIMEOUT"] = 0.3
    with pytest.raises(RenderTimeout):
        render_pdf("core.sample", **sample_data(sections=[("", ["正文。" * 30] * 3000)]))
    app.config["PDF_RENDER_TIMEOUT"] = 20
    assert render_pdf("core.sample", **sample_data()).startswith(b"%PDF-")


def test_harfbuzz_warning_at_start(make_app, monkeypatch, caplog):
    import core.pdf
    caplog.set_level("WARNING")
    make_app()
    assert not [r for r in caplog.records if "libharfbuzz-subset0" in r.getMessage()]
    monkeypatch.setattr(core.pdf, "harfbuzz_subset_available", lambda: False)
    make_app()
    assert len([r for r in caplog.records if "libharfbuzz-subset0" in r.getMessage()]) == 1


def test_sample_loader_reads_users_and_regions(app):
    from core.pdf import RecordNotFound, load_record
    data = load_record("core.sample", "user:officer")
    assert "王信访" in data["title"] and data["doc_prefix"] == "君信访"
    assert load_record("core.sample", str(data["doc_serial"]))["title"] == data["title"]
    region = load_record("core.sample", "region:430611000000")
    assert "君山区" in region["title"]
    for bad in ("user:nobody", "region:999999999999", "999999", "thing:1", ""):
        with pytest.raises(RecordNotFound):
            load_record("core.sample", bad)


def test_cli_errors_are_one_line_exit_2(app, tmp_path):
    runner = app.test_cli_runner()
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "x.pdf"
    cases = [
        (["pdf", "render", "core.nope", "--record", "1", "--out", str(out)], "unknown PDF template 'core.nope'"),
        (["pdf", "render", "core.sample", "--record", "user:nobody", "--out", str(out)], "no user 'nobody'"),
        (["pdf", "render", "core.sample", "--record", "user:officer", "--out", str(folder / "no" / "x.pdf")],
         "cannot write"),
        (["pdf", "render", "core.sample", "--record", "user:officer", "--out", str(folder)], "cannot write"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output, result.stderr
    assert not out.exists()
    assert list(folder.iterdir()) == []  # nothing half-written


def test_cli_round_trip_writes_a_valid_pdf(app, db_url, tmp_path):
    out = tmp_path / "notice.pdf"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
    env.update(DATABASE_URL=db_url, CONCORD_INSTANCE=str(tmp_path / "instance"))
    concord = os.path.join(os.path.dirname(sys.executable), "concord")
    proc = subprocess.run([concord, "pdf", "render", "core.sample", "--record", "user:officer", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stdout
    pdf = out.read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    assert "关于为王信访同志开通和合系统账号的通知" in squeeze(text_of(pdf))


def test_renders_from_worker_threads_and_the_database_stays_usable(app):
    """The threaded web server forks from request threads; the parent's DB connection survives."""
    import threading

    from sqlalchemy import select

    from core.auth.models import User
    from core.db import db

    assert db.session.scalar(select(User.username).where(User.username == "officer")) == "officer"
    results, errors = [], []

    def work(n):
        try:
            results.append(html_to_pdf(f"<html lang='zh-CN'><body><p>第{n}份文书</p></body></html>", timeout=60))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(squeeze(text_of(r.pdf)) for r in results) == ["第0份文书", "第1份文书", "第2份文书"]
    db.session.rollback()
    assert db.session.scalar(select(User.username).where(User.username == "officer")) == "officer"
