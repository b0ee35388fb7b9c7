"""The only way a PDF render reaches a file: the app's own fonts and images under ``core/static``.

Documents name them with the private scheme ``concord-static:`` (``concord-static:fonts/X.otf``,
``concord-static:img/logo.png``); a relative reference (``img/logo.png``) means the same. Every other
URL — ``file:``, ``http(s):``, ``data:``, a path that leaves the static folder (``..``, an absolute
path, a symlink pointing out), a file type that is not a font or an image — is refused: the fetcher
raises :class:`FetchRefused` (WeasyPrint logs it and renders on without the resource) and records
the refusal so the caller can log it.

One exception, for the fallback faces of rare characters (outside the Basic Multilingual Plane, e.g.
𠀀 U+20000 in a name from a household register): ``concord-system-font:NAME`` serves exactly the
files listed in :data:`SYSTEM_FONTS`, fixed paths of Debian font packages (``fonts-hanazono``,
``fonts-babelstone-han``, installed by run.sh and .ci/run). Only those names resolve, only to those
paths, and only when the real file still lies under ``/usr/share/fonts``: the renderer still never
reads an arbitrary local file, and the project does not carry 80 MB of fonts it can install.
"""
from __future__ import annotations

import mimetypes
import os
import re
from urllib.parse import unquote

SCHEME = "concord-static"
BASE_URL = SCHEME + ":"  # urljoin leaves relative references alone for an unknown scheme
STATIC_ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static"))
ALLOWED = {
    ".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".svg": "image/svg+xml", ".webp": "image/webp",
}
SYSTEM_SCHEME = "concord-system-font"
SYSTEM_FONT_ROOT = "/usr/share/fonts"
# name → (path, Debian package, licence); order = the fallback order in fonts.css
SYSTEM_FONTS = {
    "HanaMinB.ttf": ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", "fonts-hanazono",
                     "Hanazono Font License or SIL OFL 1.1"),
    "BabelStoneHan.ttf": ("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf", "fonts-babelstone-han",
                          "Arphic Public License; some symbols CC BY-SA"),
}
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")


class FetchRefused(ValueError):
    """A document asked for something outside the app's own fonts and images."""


def resolve(url: str, root: str = STATIC_ROOT) -> str:
    """The file under *root* that *url* names, or :class:`FetchRefused`."""
    m = _SCHEME_RE.match(url)
    if m and m.group(1).lower() == SYSTEM_SCHEME:
        return resolve_system_font(url[m.end():])
    if m:
        if m.group(1).lower() != SCHEME:
            raise FetchRefused(f"scheme {m.group(1).lower()!r} is not served")
        rest = url[m.end():]
    else:
        rest = url  # a relative reference: relative to the static folder
    if "?" in rest or "#" in rest:
        rest = re.split(r"[?#]", rest, maxsplit=1)[0]
    path = unquote(rest)
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        raise FetchRefused("not a path inside the static folder")
    full = os.path.realpath(os.path.join(root, path))
    if not full.startswith(root + os.sep):
        raise FetchRefused("path leaves the static folder")
    ext = os.path.splitext(full)[1].lower()
    if ext not in ALLOWED:
        raise FetchRefused(f"file type {ext or '(none)'!r} is not a font or an image")
    if not os.path.isfile(full):
        raise FetchRefused("no such file")
    return full


def resolve_system_font(name: str, fonts: dict | None = None) -> str:
    """The installed file of a listed system font, or :class:`FetchRefused`."""
    entry = (SYSTEM_FONTS if fonts is None else fonts).get(unquote(name))
    if entry is None:
        raise FetchRefused("not a listed system font")
    full = os.path.realpath(entry[0])
    if not full.startswith(SYSTEM_FONT_ROOT + os.sep) or os.path.splitext(full)[1].lower() not in (".ttf", ".otf"):
        raise FetchRefused("system font path leaves the font folder")
    if not os.path.isfile(full):
        raise FetchRefused(f"system font not installed (Debian package {entry[1]})")
    return full


def system_fonts_missing() -> list[str]:
    """The Debian packages of listed fallback fonts that are not installed."""
    return [pkg for path, pkg, _lic in SYSTEM_FONTS.values() if not os.path.isfile(path)]


def make_fetcher():
    """A WeasyPrint URL fetcher (imported lazily: WeasyPrint is slow to import)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=())  # the inherited opener is never used
            self.refused: list[tuple[str, str]] = []

        def fetch(self, url, headers=None):
            try:
                path = resolve(url)
            except FetchRefused as exc:
                self.refused.append((url[:300], str(exc)))
                raise
            with open(path, "rb") as fh:
                body = fh.read()
            ctype = ALLOWED.get(os.path.splitext(path)[1].lower()) or mimetypes.guess_type(path)[0]
            served = (f"{SYSTEM_SCHEME}:{os.path.basename(path)}" if path.startswith(SYSTEM_FONT_ROOT + os.sep)
                      else f"{SCHEME}:{os.path.relpath(path, STATIC_ROOT)}")
            return URLFetcherResponse(served, body,
                                      {"Content-Type": ctype or "application/octet-stream"})

    return StaticFetcher()
