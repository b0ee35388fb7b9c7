"""Message catalogs: extract translatable strings and keep each catalog's ``zh`` (and ``en``) ``.po`` in step.

Core's catalog covers ``core/`` and the top-level ``templates/``; each plugin keeps its own under
``plugins/<name>/translations``. ``concord i18n update`` refreshes them; a test fails on any string
without a Chinese translation.
"""
from __future__ import annotations

import os

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from core.config import project_root

METHOD_MAP = [("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}
LOCALES = ("zh",)


def catalogs() -> dict[str, tuple[list[str], str]]:
    """name → (source dirs, translations dir)."""
    root = project_root()
    out = {"core": ([os.path.join(root, "core"), os.path.join(root, "templates")],
                    os.path.join(root, "core", "translations"))}
    plugins_dir = os.path.join(root, "plugins")
    for name in sorted(os.listdir(plugins_dir)):
        d = os.path.join(plugins_dir, name)
        if os.path.isfile(os.path.join(d, "manifest.py")):
            out[name] = ([d], os.path.join(d, "translations"))
    return out


def extract(dirs: list[str]) -> Catalog:
    catalog = Catalog()
    for d in dirs:
        for filename, lineno, message, comments, context in extract_from_dir(
                d, METHOD_MAP, keywords=KEYWORDS, options_map={"**.html": {"extensions": "jinja2.ext.do"}}):
            if filename.startswith("tests") or "/tests/" in filename:
                continue
            catalog.add(message, None, [(os.path.join(os.path.relpath(d, project_root()), filename), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def po_path(translations_dir: str, locale: str) -> str:
    return os.path.join(translations_dir, locale, "LC_MESSAGES", "messages.po")


def load(path: str, locale: str) -> Catalog:
    if not os.path.exists(path):
        return Catalog(locale=locale)
    with open(path, "rb") as fh:
        return read_po(fh, locale=locale)


def update(name: str) -> dict[str, int]:
    dirs, tdir = catalogs()[name]
    template = extract(dirs)
    stats = {}
    for locale in LOCALES:
        path = po_path(tdir, locale)
        catalog = load(path, locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            write_po(fh, catalog, width=0, omit_header=False, sort_output=True, include_previous=False)
        stats[locale] = sum(1 for m in catalog if m.id and not m.string)
    return stats


def missing(name: str, locale: str = "zh") -> list[str]:
    dirs, tdir = catalogs()[name]
    template = extract(dirs)
    catalog = load(po_path(tdir, locale), locale)
    out = []
    for msg in template:
        if not msg.id:
            continue
        have = catalog.get(msg.id, context=msg.context)
        text = have.string if have else None
        if isinstance(text, (tuple, list)):
            text = all(text)
        if not text or (have and have.fuzzy):
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out
