"""Report renderers: the HTML page's table and chart, CSV, XLSX, PDF and JSON.

Every renderer takes a `reports.Report` and streams: CSV and JSON yield text chunks as rows
arrive, XLSX is written by openpyxl's write-only mode (rows go to a temporary file, not RAM),
and PDF lays out at most PDF_MAX_ROWS rows. Cell text is data, never markup or a formula.

The PDF's data table is a fixed-pitch listing: one text run per row (columns padded to their
width, long values wrapped inside their column) instead of one table cell per value. WeasyPrint
spends about a millisecond per cell, whatever the CSS, so 1,000 rows of 14 cells took 9-30 s;
a row of one cell takes 1/14 of that. Rows still never split across pages and the header row
repeats on every page.
"""
from __future__ import annotations

import csv
import io
import json
import mimetypes
import re
import tempfile
import textwrap
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from flask import current_app, render_template
from markupsafe import Markup, escape

from zas.services.reports import Report

PAGE_MAX_ROWS = 1000
PDF_MAX_ROWS = 1000
# characters per listing line: A4 landscape less margins (273 mm) in 6.5pt DejaVu Sans Mono
# (0.602 em = 1.38 mm a character), a few spare; print.css sets that font and size
PDF_LINE_CHARS = 190
PDF_GAP = 2  # spaces between listing columns
PDF_MIN_WIDTH = 6
PDF_MAX_WIDTH = 48
CHUNK_ROWS = 500
BASE_URL = "http://zas.invalid/"  # never resolved: the fetcher serves it from the static folder
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_CONTROL_WS = re.compile(r"[\t\r\n\x0b\x0c]")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def filename(report: Report, fmt: str) -> str:
    """zas-<report>-<date>.<ext>, e.g. zas-config-drift-2026-11-25.csv."""
    return f"zas-{report.name}-{report.slug_date}.{fmt}"


def render(report: Report, fmt: str) -> Iterator[bytes]:
    """The report as a stream of bytes in `fmt` (csv, xlsx, pdf, json)."""
    return {"csv": csv_stream, "xlsx": xlsx_stream, "pdf": pdf_stream, "json": json_stream}[fmt](report)


def render_bytes(report: Report, fmt: str) -> bytes:
    return b"".join(render(report, fmt))


# -- cells -----------------------------------------------------------------------------------------

def text_cell(value) -> str:
    """A value as display text (dates in UTC, no microseconds)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def safe_csv_cell(value) -> str:
    """Text a spreadsheet will not run: a leading =, +, -, @ or control character gets a quote prefix."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text_cell(value)
    text = text_cell(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def period_text(report: Report) -> str:
    if not report.period:
        return "current state"
    since, until = report.period
    return f"{since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC"


# -- CSV / JSON ------------------------------------------------------------------------------------

def csv_stream(report: Report) -> Iterator[bytes]:
    """UTF-8 CSV (with a BOM so spreadsheets detect it), a header row, then the rows."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([c.label for c in report.columns])
    yield ("\ufeff" + buf.getvalue()).encode()
    for chunk in _chunks(report.rows):
        buf.seek(0)
        buf.truncate()
        writer.writerows([safe_csv_cell(v) for v in row] for row in chunk)
        yield buf.getvalue().encode()


def json_stream(report: Report) -> Iterator[bytes]:
    """{report, title, scope, generated_at, period, summary, notes, columns, rows: [{key: value}]}."""
    head = {
        "report": report.name, "title": report.title, "scope": report.scope_label,
        "generated_at": report.generated_at.isoformat(timespec="seconds") + "Z",
        "period": {"since": report.period[0].isoformat(timespec="seconds") + "Z",
                   "until": report.period[1].isoformat(timespec="seconds") + "Z"} if report.period else None,
        "filters": report.filters.as_params(),
        "summary": {label: value for label, value in report.summary},
        "notes": report.notes,
        "columns": [{"key": c.key, "label": c.label, "type": c.kind} for c in report.columns],
    }
    yield json.dumps(head, default=_json_default)[:-1].encode() + b', "rows": ['
    keys = [c.key for c in report.columns]
    first = True
    for chunk in _chunks(report.rows):
        parts = [json.dumps(dict(zip(keys, row)), default=_json_default) for row in chunk]
        yield (("" if first else ",") + ",".join(parts)).encode()
        first = False
    yield b"]}"


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    return str(value)


def _chunks(rows) -> Iterator[list]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK_ROWS)):
        yield chunk


# -- XLSX ------------------------------------------------------------------------------------------

def xlsx_stream(report: Report) -> Iterator[bytes]:
    """An XLSX workbook: a Summary sheet, then the data sheet (typed cells, bold frozen header)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    info = wb.create_sheet("Summary")
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 60
    for label, value in _title_block(report) + list(report.summary) + [("Note", n) for n in report.notes]:
        info.append([_xlsx_cell(WriteOnlyCell, info, label), _xlsx_cell(WriteOnlyCell, info, value)])
    ws = wb.create_sheet(report.title[:31])
    ws.freeze_panes = "A2"
    for i, column in enumerate(report.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in report.columns:
        cell = WriteOnlyCell(ws, value=column.label)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    kinds = [c.kind for c in report.columns]
    for row in report.rows:
        ws.append([_xlsx_cell(WriteOnlyCell, ws, v, k) for v, k in zip(row, kinds)])
    with tempfile.TemporaryFile() as fh:
        wb.save(fh)
        fh.seek(0)
        while block := fh.read(256 * 1024):
            yield block


def _xlsx_cell(cell_class, ws, value, kind: str = "text"):
    if isinstance(value, str):
        cell = cell_class(ws, value=_XLSX_ILLEGAL.sub("", value))
        cell.data_type = "s"  # a device named "=HYPERLINK(...)" stays text, never a formula
        return cell
    cell = cell_class(ws, value=value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif kind == "percent" and value is not None:
        cell.number_format = "0.00"
    return cell


def _title_block(report: Report) -> list[tuple[str, object]]:
    return [("Report", report.title), ("Organization", report.scope_label), ("Period", period_text(report)),
            ("Generated at (UTC)", report.generated_at.replace(microsecond=0))]


# -- HTML and PDF ----------------------------------------------------------------------------------

def html_context(report: Report, max_rows: int, listing: bool = False) -> dict:
    """What the page and the print template show: formatted rows (up to `max_rows`), summary, chart;
    with `listing`, the rows as fixed-pitch text lines for the PDF (see `listing_lines`)."""
    rows = [[text_cell(v) for v in row] for row in islice(iter(report.rows), max_rows + 1)]
    more = len(rows) > max_rows
    rows = rows[:max_rows]
    if listing:
        header, lines = listing_lines(report.columns, rows)
        extra = {"listing": True, "listing_header": header, "listing_rows": lines}
    else:
        extra = {"listing": False}
    return {"report": report, "rows": rows, "more": more, "max_rows": max_rows, **extra,
            "numeric": [c.kind in ("int", "float", "percent") for c in report.columns],
            "widths": [round(100.0 * c.width / sum(x.width for x in report.columns), 2) for c in report.columns],
            "title_block": [(k, text_cell(v)) for k, v in _title_block(report)],
            "summary": [(k, text_cell(v)) for k, v in report.summary],
            "period": period_text(report), "chart": bar_chart_svg(report.chart) if report.chart else None}


def listing_widths(columns, rows: list[list[str]], line: int = PDF_LINE_CHARS) -> list[int]:
    """Each column's width in characters: its longest value (or label word), capped, then the
    widest columns narrowed until the line fits `line` characters."""
    widths = []
    for i, column in enumerate(columns):
        label = max((len(w) for w in column.label.split()), default=0)
        longest = max((len(r[i]) for r in rows), default=0)
        widths.append(max(PDF_MIN_WIDTH, min(PDF_MAX_WIDTH, max(label, longest))))
    excess = sum(widths) + PDF_GAP * (len(widths) - 1) - line
    while excess > 0:
        widest = max(range(len(widths)), key=lambda k: widths[k])
        if widths[widest] <= PDF_MIN_WIDTH:
            break
        widths[widest] -= 1
        excess -= 1
    return widths


def _wrap(text: str, width: int) -> list[str]:
    text = _CONTROL_WS.sub(" ", text)  # a tab or newline would break the columns' alignment
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _listing_row(cells: list[str], widths: list[int], numeric: list[bool], gap: int = PDF_GAP) -> str:
    wrapped = [_wrap(c, w) for c, w in zip(cells, widths)]
    out = []
    for k in range(max(len(w) for w in wrapped)):
        parts = []
        for lines, width, num in zip(wrapped, widths, numeric):
            text = lines[k] if k < len(lines) else ""
            parts.append(text.rjust(width) if num else text.ljust(width))
        out.append((" " * gap).join(parts).rstrip())
    return "\n".join(out)


def listing_lines(columns, rows: list[list[str]]) -> tuple[str, list[str]]:
    """The header and each row as fixed-pitch text (plain text: the template escapes it); a value
    longer than its column wraps onto further lines of its row, so nothing is cut off."""
    widths = listing_widths(columns, rows)
    numeric = [c.kind in ("int", "float", "percent") for c in columns]
    # a narrow listing spreads out a little (up to 4 spaces between columns) to read more easily
    gap = min(4, PDF_GAP + (PDF_LINE_CHARS - sum(widths) - PDF_GAP * (len(widths) - 1)) // max(1, len(widths) - 1))
    gap = max(PDF_GAP, gap)
    return (_listing_row([c.label for c in columns], widths, numeric, gap),
            [_listing_row(row, widths, numeric, gap) for row in rows])


def pdf_stream(report: Report) -> Iterator[bytes]:
    """A PDF of the first PDF_MAX_ROWS rows from the print stylesheet (page numbers, repeated headers)."""
    from weasyprint import HTML

    html = render_template("reports/print.html", **html_context(report, PDF_MAX_ROWS, listing=True))
    yield HTML(string=html, base_url=BASE_URL, url_fetcher=static_fetcher()).write_pdf()


def static_fetcher():
    """A WeasyPrint URL fetcher that serves only files under ZAS's static folder."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static = Path(current_app.static_folder).resolve()
    prefix = (current_app.static_url_path or "/static").rstrip("/") + "/"

    class StaticOnlyFetcher(URLFetcher):
        """Refuses file://, data:, and every network URL: report content must not reach the host or the network."""

        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, body=read_static(url, static, prefix),
                                      headers={"Content-Type": mimetypes.guess_type(url)[0] or "text/plain"})

    return StaticOnlyFetcher(timeout=1, allowed_protocols=("http",), allow_redirects=False)


def read_static(url: str, static: Path, prefix: str) -> bytes:
    """The bytes of a static file named by a report URL; ValueError for anything else."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if parts.scheme != base.scheme or parts.netloc != base.netloc or not parts.path.startswith(prefix):
        raise ValueError(f"reports may only load ZAS's static files; refused {url[:200]!r}")
    path = (static / parts.path[len(prefix):]).resolve()
    if not path.is_relative_to(static) or not path.is_file():
        raise ValueError(f"reports may only load ZAS's static files; refused {url[:200]!r}")
    return path.read_bytes()


def bar_chart_svg(chart, width: int = 640) -> Markup:
    """A horizontal bar chart as inline SVG (labels escaped; works in the page and in WeasyPrint)."""
    bars = chart.bars
    if not bars:
        return Markup("")
    top = chart.max_value or max((float(v) for _, v in bars), default=0) or 1.0
    row_h, label_w, value_w = 20, 200, 70
    plot_w = width - label_w - value_w
    height = row_h * len(bars) + 28
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(chart.title)}">',
             f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(chart.title)}</text>']
    for i, (label, value) in enumerate(bars):
        y = 24 + i * row_h
        w = max(0.0, min(1.0, float(value or 0) / top)) * plot_w
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" font-size="11" text-anchor="end">{escape(short)}</text>'
                     f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="#3c71b8"/>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="11">'
                     f'{escape(text_cell(value))}{escape(chart.unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
