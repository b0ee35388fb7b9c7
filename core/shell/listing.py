"""The Odoo-style list view: search, filters, group-by, sort, pagination and CSV / xlsx export over a Select."""
from __future__ import annotations

import csv
import io
from urllib.parse import urlencode
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from flask import Response, request, url_for
from markupsafe import Markup, escape

try:                  # markupsafe's own C escape of a str (what ``escape`` calls), without a Markup per cell
    from markupsafe import _escape_inner as _escape_str
except ImportError:   # pragma: no cover - another markupsafe
    def _escape_str(text: str) -> str:
        return str(escape(text))


def _cell(value) -> str:
    """A cell's text, escaped as ``markupsafe.escape`` escapes it (issue 22: a Markup object per cell cost a
    third of drawing the rows)."""
    if type(value) is str:
        return _escape_str(value)
    return "" if value is None else str(escape(value))
from sqlalchemy import func, or_

from core.db import count_parts_statement, count_statement, counted, db, inline_int


@dataclass
class Column:
    key: str
    label: Any
    value: Callable[[Any], Any] | None = None      # row → display value (default: getattr key)
    link: Callable[[Any], str] | None = None       # row → URL
    sort: Any = None                               # a column expression to sort by
    css: str = ""
    # a coded field's words: the row's ``key`` attribute looked up here (a value without a label shows as
    # stored); a list draws each code's words once per page (issue 22), ``value`` is then not used
    labels: Any = None

    def get(self, row):
        if self.labels is not None:
            raw = getattr(row, self.key, None)
            label = self.labels.get(raw) if raw is not None else None
            return str(label) if label is not None else raw
        return self.value(row) if self.value else getattr(row, self.key, "")


class row_link:
    """A list column's link to each row's page, built with ``url_for`` once per page (issue 22: ``url_for`` per
    row cost ~20 Python calls a link): the first row's URL is built for a placeholder id, the others by putting
    the row's id in its place. ``Column("reference", …, link=row_link("petition.case", case_id="id"))`` links
    each row to ``url_for("petition.case", case_id=row.id)``; any URL the shortcut cannot vouch for (not
    exactly one integer argument, the placeholder not found once) is built by ``url_for`` row by row."""

    _PLACEHOLDER = 2147483519          # an int the bounded converter accepts and no real URL part spells

    def __init__(self, endpoint: str, **args: str):
        self.endpoint = endpoint
        self.args = args                # URL argument → the row's attribute
        self._parts: tuple[str, str] | None = None
        self._built = False

    def _template(self) -> tuple[str, str] | None:
        if not self._built:
            self._built = True
            if len(self.args) == 1:
                (name,) = self.args
                self._parts = url_parts(url_for(self.endpoint, **{name: self._PLACEHOLDER}))
        return self._parts

    def __call__(self, row) -> str:
        values = {name: getattr(row, attr) for name, attr in self.args.items()}
        parts = self._template()
        if parts is not None:
            (value,) = values.values()
            url = id_url(parts, value)
            if url is not None:
                return url
        return url_for(self.endpoint, **values)


def _coded(column: Column) -> Callable[[Any], Any]:
    """*column*'s value of a row for a page: each code's words looked up once (``Column.labels``), as
    ``Column.get`` gives them."""
    key, words = column.key, {}

    def get(row):
        raw = getattr(row, key, None)
        try:
            return words[raw]
        except KeyError:
            text = words[raw] = column.get(row)
            return text
        except TypeError:                   # an unhashable value: as Column.get gives it
            return column.get(row)
    return get


def url_parts(url: str | None, placeholder: int = row_link._PLACEHOLDER) -> tuple[str, str] | None:
    """A URL built for *placeholder* as (before, after) the id, or None when the placeholder is not found exactly
    once (the URL cannot be made for another id by putting it in its place)."""
    mark = str(placeholder)
    if not url or url.count(mark) != 1:
        return None
    before, _sep, after = url.partition(mark)
    return before, after


def id_url(parts: tuple[str, str] | None, value) -> str | None:
    """The URL of *parts* for the id *value*, or None when *value* is not an id the shortcut may put in."""
    if parts is not None and type(value) is int and 0 <= value <= 2147483647:
        return f"{parts[0]}{value}{parts[1]}"
    return None


_listed: dict[tuple, Any] = {}
_pages: dict[int, tuple[Any, dict]] = {}     # id of a kept base statement → (it, its pages' statements)


def listed(name: str, key: tuple, build: Callable[[], Any]):
    """The base statement of list *name* for *key*, built by *build* once per process (issue 22: building a
    scoped statement with its loader options, then the page's count and rows statements from it and their
    SQLAlchemy cache keys, cost ~0.5 ms a page). *key* must hold everything *build* reads: for a list scoped
    by region, :func:`core.regions.scope.scope_key` of the user."""
    full = (name, *key)
    stmt = _listed.get(full)
    if stmt is None:
        if len(_listed) >= 2_000:
            _listed.clear()
            _pages.clear()
        stmt = _listed[full] = build()
        _pages[id(stmt)] = (stmt, {})
    return stmt


_drawn_filters: dict[tuple, str] = {}      # a filter's select as drawn, by everything the drawing reads


@dataclass
class Filter:
    key: str
    label: Any
    options: list[tuple[str, Any]]
    apply: Callable[[Any, str], Any]               # (stmt, value) → stmt
    # False when ``apply`` reads more than the value (the clock: "today"), so a page's statement with this
    # filter is built for its request only (``ListView._page_statements``)
    cacheable: bool = True

    def html(self, chosen: str | None, all_label: str) -> str:
        """The filter's ``<select>`` (its label for screen readers first), *chosen* selected (a value that is
        not an option selects none). Drawn once per process for the same texts (issue 22: a list's filters are
        made per request, their options mostly the same labels every time): the key is the words themselves,
        so a renamed label or another language draws anew."""
        options = tuple((value, text if type(text) is str else str(text)) for value, text in self.options)
        if chosen is not None and not any(value == chosen for value, _text in options):
            chosen = None
        key = (self.key, str(self.label), options, chosen, all_label)
        drawn = _drawn_filters.get(key)
        if drawn is None:
            if len(_drawn_filters) >= 2_000:
                _drawn_filters.clear()
            drawn = _drawn_filters[key] = self._draw(chosen, all_label)
        return drawn

    def _draw(self, chosen: str | None, all_label: str) -> str:
        key, label = escape(self.key), escape(self.label)
        options = "".join(f'<option value="{escape(value)}" {"selected" if chosen == value else ""}>'
                          f'{escape(text)}</option>' for value, text in self.options)
        drawn = (f'\n      <label class="sr-only" for="f-{key}">{label}</label>\n      <select name="{key}" '
                 f'id="f-{key}">\n        <option value="">{label}: {escape(all_label)}</option>\n        '
                 f'{options}\n      </select>\n    ')
        return drawn


@dataclass
class GroupBy:
    key: str
    label: Any
    expr: Any
    display: Callable[[Any], Any] = lambda v: v


@dataclass
class Page:
    rows: list
    total: int
    page: int
    per_page: int
    groups: list[tuple[Any, int]] = field(default_factory=list)
    exact: bool = True          # False: there are more than ``total`` rows (the count stops at a cap)

    @property
    def pages(self) -> int:
        counted = max(1, -(-self.total // self.per_page))
        if not self.exact and len(self.rows) == self.per_page:
            return max(counted, self.page + 1)
        return counted


class ListView:
    PER_PAGE_MAX = 200

    def __init__(self, stmt, columns: list[Column], search: list = (), filters: list[Filter] = (),
                 group_bys: list[GroupBy] = (), default_sort=None, per_page: int = 25, export_name: str = "export",
                 count_parts: list | None = None, core_rows: bool = False):
        self.stmt = stmt
        # True: *stmt* selects columns (``select(Model.__table__)``), its rows are Core rows read by attribute
        # like the objects they stand for (issue 22: loading 50 audit log entries as ORM objects cost ~0.3 ms)
        self.core_rows = core_rows
        # the rows of *stmt* as statements no row is in two of (``scope_alternatives``): an unsearched,
        # unfiltered page counts them by a UNION ALL (``core.db.count_parts_statement``)
        self.count_parts = count_parts
        self.columns = columns
        self.search = list(search)
        self.filters = list(filters)
        self.group_bys = list(group_bys)
        self.default_sort = default_sort
        self.per_page = per_page
        self.export_name = export_name
        self.args = request.args
        self._path: str | None = None
        self._view_args: dict = {}

    # -- request args → statement ---------------------------------------------------------------
    @property
    def q(self) -> str:
        return (self.args.get("q") or "").strip()[:100]

    def active_filters(self) -> dict[str, str]:
        out = {}
        for f in self.filters:
            v = self.args.get(f.key)
            if v and v in {o[0] for o in f.options}:
                out[f.key] = v
        return out

    def filtered(self):
        stmt = self.stmt
        if self.q and self.search:
            # autoescape: % and _ typed by the user are searched for, not wildcards
            stmt = stmt.where(or_(*[col.contains(self.q, autoescape=True) for col in self.search]))
        active = self.active_filters()
        for f in self.filters:
            if f.key in active:
                stmt = f.apply(stmt, active[f.key])
        return stmt

    def _int_arg(self, name, default, lo, hi):
        try:
            return min(hi, max(lo, int(self.args.get(name, default))))
        except (TypeError, ValueError):
            return default

    def _page_statements(self, per_page: int, page: int):
        """The count and the rows statements of a page of this list. For a base statement made once per
        process (:func:`listed`) they are kept (issue 22): built, and their SQLAlchemy cache keys computed,
        once for each endpoint, search, filters, sort and page asked for; any other statement (one derived
        from a kept one included) builds them for this request only."""
        from core.db import _cap
        sort_key = self.args.get("sort", "")
        entry = _pages.get(id(self.stmt))
        kept = entry[1] if entry is not None and entry[0] is self.stmt else None
        active = self.active_filters()
        if any(not f.cacheable for f in self.filters if f.key in active):
            kept = None
        key = (request.endpoint, self.q, tuple(sorted(active.items())), sort_key, per_page, page, _cap(None))
        if kept is not None and key in kept:
            return kept[key]
        stmt = self.filtered()
        plain = not self.q and not active
        count = count_parts_statement(self.count_parts) if self.count_parts and plain else count_statement(stmt)
        desc = sort_key.startswith("-")
        col = next((c for c in self.columns if c.key == sort_key.lstrip("-") and c.sort is not None), None)
        if col is not None:
            stmt = stmt.order_by(col.sort.desc() if desc else col.sort.asc())
        elif self.default_sort is not None:
            stmt = stmt.order_by(*(self.default_sort if isinstance(self.default_sort, (list, tuple)) else [self.default_sort]))
        rows = stmt.limit(inline_int(per_page)).offset(inline_int((page - 1) * per_page))
        # the rows carry the capped count as a column (an uncorrelated scalar subquery: counted once), so a
        # page is one round trip to the database (issue 22: PostgreSQL answers each statement in ~0.3 ms)
        made = (count, rows.add_columns(count.scalar_subquery().label("list_total")))
        if kept is not None:
            if len(kept) >= 200:
                kept.clear()
            kept[key] = made
        return made

    def page(self) -> Page:
        per_page = self._int_arg("per_page", self.per_page, 1, self.PER_PAGE_MAX)
        page = self._int_arg("page", 1, 1, 10**6)
        count, rows_stmt = self._page_statements(per_page, page)
        if self.core_rows:
            # each row is the record (its list_total column is one attribute more), read on the session's
            # connection: a Core statement needs none of the ORM's result handling (~0.05 ms a page)
            rows = found = db.session.connection().execute(rows_stmt).all()
        else:
            found = db.session.execute(rows_stmt).unique().all()
            rows = [r[0] for r in found]
        if found:
            total, exact = counted(found[0][-1])
        else:   # a page past the end has no row to carry the count: counted on the session's connection
            total, exact = counted(db.session.connection().execute(count).scalar())
        groups = []
        gb = next((g for g in self.group_bys if g.key == self.args.get("group_by")), None)
        if gb is not None:
            gstmt = self.filtered().order_by(None).with_only_columns(gb.expr, func.count()).group_by(gb.expr).order_by(func.count().desc())
            groups = [(gb.display(v), n) for v, n in db.session.execute(gstmt)]
        return Page(rows, total, page, per_page, groups, exact)

    def filters_html(self, all_label) -> Markup:
        """The filter selects of the list's search form, as the ``list_view`` macro drew them (issue 22)."""
        all_label = str(all_label)
        return Markup("".join(f.html(self.args.get(f.key), all_label) for f in self.filters))

    def head_html(self) -> Markup:
        """The table's header cells, a sortable column's label linking to the list sorted by it (again:
        descending)."""
        current = self.args.get("sort")
        out = []
        for c in self.columns:
            label = escape(c.label)
            if c.sort is not None:
                href = escape(self.url(sort=("-" if current == c.key else "") + str(c.key)))
                out.append(f'<th scope="col"><a href="{href}">{label}</a></th>')
            else:
                out.append(f'<th scope="col">{label}</th>')
        return Markup("".join(out))

    def rows_html(self, rows) -> Markup:
        """The table's rows, drawn here rather than by a Jinja loop (issue 22: the loop was a third of a list
        page's CPU): the same markup the ``list_view`` macro drew, every value and label escaped."""
        cells = [(_coded(c) if c.labels is not None else c.value or c.get, c.link,
                  f'<td class="{escape(c.css)}" data-label="{escape(c.label)}">') for c in self.columns]
        out = []
        append = out.append
        for row in rows:
            append("\n      <tr>")
            for get, link, td in cells:
                value = get(row)      # _cell(value), written out: 500 cells on a page of the audit log
                text = _escape_str(value) if type(value) is str else "" if value is None else str(escape(value))
                append(f'{td}<a href="{_cell(link(row))}">{text}</a></td>' if link else f"{td}{text}</td>")
            append("</tr>\n    ")
        return Markup("".join(out))

    def url(self, **changes) -> str:
        """This list's URL with *changes* to its query (``None`` drops an argument): what ``url_for`` of the
        request's endpoint gives, its path built once per page (issue 22: a page asks for some ten of them)."""
        args = self.args.to_dict()
        args.update({k: v for k, v in changes.items() if v is not None})
        for k, v in changes.items():
            if v is None:
                args.pop(k, None)
        if self._path is None:
            self._view_args = request.view_args or {}
            self._path = url_for(request.endpoint, **self._view_args)
        view_args = self._view_args
        if "?" in self._path or (view_args and any(k in view_args for k in args)):
            return url_for(request.endpoint, **view_args, **args)
        # werkzeug's own query encoding (routing.rules._encode_query_vars): None dropped, same safe set
        query = urlencode([(k, v) for k, v in args.items() if v is not None], safe="!$'()*,/:;?@")
        return f"{self._path}?{query}" if query else self._path

    # -- export -----------------------------------------------------------------------------------
    EXPORT_FORMATS = ("csv", "xlsx")

    def export_requested(self) -> bool:
        """``?format=csv`` or ``?format=xlsx``: the whole filtered list as a file instead of a page."""
        return self.args.get("format") in self.EXPORT_FORMATS

    def export(self, limit: int = 100_000) -> Response:
        return self.xlsx_response(limit) if self.args.get("format") == "xlsx" else self.csv_response(limit)

    def _export_rows(self, limit: int):
        stmt = self.filtered()
        if self.default_sort is not None:
            stmt = stmt.order_by(*(self.default_sort if isinstance(self.default_sort, (list, tuple)) else [self.default_sort]))
        if self.core_rows:
            return db.session.connection().execute(stmt.limit(limit)).all()
        return db.session.scalars(stmt.limit(limit)).unique()

    def xlsx_response(self, limit: int = 100_000) -> Response:
        """The list as a worksheet named after the record type (信访事项, 纠纷 … in the Chinese UI), the column
        labels as a bold frozen header, numbers as numbers and dates as date cells: a column whose key is a
        date or datetime attribute exports that value, not the text the page shows."""
        from . import xlsx
        rows = [[self._export_value(c, row) for c in self.columns] for row in self._export_rows(limit)]
        return xlsx.single(self.sheet_title(), [str(c.label) for c in self.columns], rows, self.export_name)

    @staticmethod
    def _export_value(column: Column, row):
        raw = getattr(row, column.key, None)
        if isinstance(raw, (date, datetime)):
            return raw.replace(microsecond=0) if isinstance(raw, datetime) else raw
        return column.get(row)

    def sheet_title(self) -> str:
        """The label of the listed record type (``__record_label__``), else the export name."""
        try:
            entity = self.stmt.column_descriptions[0]["entity"]
        except (AttributeError, IndexError, KeyError):
            entity = None
        label = getattr(entity, "__record_label__", None)
        return str(label) if label else self.export_name

    def csv_response(self, limit: int = 100_000) -> Response:
        return csv_file(self.export_name, [c.label for c in self.columns],
                        ([c.get(row) for c in self.columns] for row in self._export_rows(limit)))


def csv_file(name: str, headers, rows) -> Response:
    """A CSV download: UTF-8 with a BOM (Excel opens Chinese text correctly), formula-safe cells, dates
    as text; ``text/csv; charset=utf-8`` once."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_safe(v) for v in row])
    return Response(buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}.csv"})


def _csv_safe(value) -> str:
    text = "" if value is None else str(value)
    # neutralise spreadsheet formula injection
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
