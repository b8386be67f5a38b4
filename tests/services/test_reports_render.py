"""Every report in every format, opened back and checked; hostile device names stay inert."""
from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.blueprints.reports.reportdata import EVIL, EVIL_HTML, build_fleet
from zas.extensions import db
from zas.services import authz, render, reports


def scope_of(org):
    return authz.Scope(user_id=None, username="t", roles={org.id: "viewer"})


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def fleet(org):
    return build_fleet(org)


def test_csv_is_utf8_with_a_header_and_formula_safe(org, fleet):
    data = render.render_bytes(reports.build("inventory", {}, scope_of(org)), "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Device", "Organization", "Site"]
    names = {r[0] for r in rows[1:]}
    assert "'" + EVIL in names and EVIL not in names  # a spreadsheet shows the text, runs nothing
    assert EVIL_HTML in names and "core" in names
    core = next(r for r in rows if r[0] == "core")
    assert core[10] == "2" and core[11] == "core, dc"


def test_json_streams_rows_as_objects(org, fleet):
    data = json.loads(render.render_bytes(reports.build("config-drift", {}, scope_of(org)), "json"))
    assert data["report"] == "config-drift" and data["summary"]["Drifted"] == 1
    edge = next(r for r in data["rows"] if r["name"] == "edge")
    assert edge["added"] == 2 and edge["removed"] == 1 and edge["since"].endswith("Z")
    assert {r["name"] for r in data["rows"]} == {"edge", EVIL, EVIL_HTML}


def test_xlsx_has_typed_cells_frozen_header_and_no_formulas(org, fleet, tmp_path):
    data = render.render_bytes(reports.build("uptime", {}, scope_of(org)), "xlsx")
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Uptime and availability"]
    ws = wb["Uptime and availability"]
    assert ws.freeze_panes == "A2" and ws["A1"].value == "Device" and ws["A1"].font.b
    assert ws.column_dimensions["A"].width == 24
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["edge"][9] == 80.0 and rows["edge"][7] == 2  # numbers, not text
    evil = next(c for c in ws["A"] if c.value == EVIL)
    assert evil.data_type == "s"  # stored as a string, never a formula
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True)}
    assert summary["Organization"] == "Acme" and summary["Reboots"] == 2


@pytest.mark.parametrize("name", list(reports.REPORTS))
def test_every_report_renders_in_every_format(org, fleet, name, tmp_path):
    for fmt in reports.FORMATS:
        data = render.render_bytes(reports.build(name, {}, scope_of(org)), fmt)
        assert data, (name, fmt)
        if fmt == "pdf":
            text = pdf_text(data)
            assert reports.titles()[name] in text and "Acme" in text and "Page 1 of" in text
        elif fmt == "xlsx":
            (tmp_path / "x.xlsx").write_bytes(data)
            assert load_workbook(tmp_path / "x.xlsx").sheetnames[0] == "Summary"
        elif fmt == "json":
            assert json.loads(data)["report"] == name
        else:
            assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[0][0]


def test_pdf_has_title_block_rows_and_inert_names(org, fleet):
    text = pdf_text(render.render_bytes(reports.build("inventory", {}, scope_of(org)), "pdf"))
    for expected in ("Inventory", "Organization", "Acme", "Period", "current state", "Generated at", "core",
                     "Devices per platform", "=HYPERLINK", "<img src=file:///etc/passwd>"):
        assert "".join(expected.split()) in "".join(text.split()), expected  # long names wrap in their cell


def test_pdf_of_a_long_report_breaks_across_pages_with_numbers(org):
    from tests.factories import make_device

    for i in range(120):
        make_device(org, name=f"dev-{i:03d}")
    data = render.render_bytes(reports.build("inventory", {}, scope_of(org)), "pdf")
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages >= 3
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} of {pages}" in last and "Device" in last  # the header row repeats
    assert "dev-119" in pdf_text(data)


def test_empty_report_says_so_in_every_format(org, tmp_path):
    report = reports.build("config-drift", {}, scope_of(org))
    assert "No drifted devices" in pdf_text(render.render_bytes(report, "pdf"))
    rows = list(csv.reader(io.StringIO(render.render_bytes(reports.build("config-drift", {}, scope_of(org)),
                                                             "csv").decode("utf-8-sig"))))
    assert len(rows) == 1  # the header only


def test_fetcher_serves_static_files_and_refuses_everything_else(app):
    fetcher = render.static_fetcher()
    response = fetcher.fetch(render.BASE_URL + "static/css/print.css")
    assert b"@page" in response.read()
    for url in ("file:///etc/passwd", "http://example.com/x.css", "https://zas.invalid/static/css/print.css",
                render.BASE_URL + "static/../../../../etc/passwd", render.BASE_URL + "etc/passwd",
                "data:text/plain,hi", render.BASE_URL + "static/%2e%2e/%2e%2e/setup.cfg"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_pdf_never_loads_file_urls_from_report_content(app, monkeypatch):
    """Markup smuggled into the print template (not just a name) still cannot read a local file."""
    from weasyprint import HTML

    seen = []
    fetcher = render.static_fetcher()
    original = fetcher.fetch

    def spy(url, headers=None):
        seen.append(url)
        return original(url, headers)

    monkeypatch.setattr(fetcher, "fetch", spy)
    html = ('<link rel=stylesheet href="/static/css/print.css"><p>x</p>'
            '<img src="file:///etc/passwd"><link rel=stylesheet href="file:///etc/hostname">')
    pdf = HTML(string=html, base_url=render.BASE_URL, url_fetcher=fetcher).write_pdf()
    assert "file:///etc/passwd" in seen and pdf.startswith(b"%PDF")
    assert b"root:" not in pdf


def test_pdf_listing_keeps_long_values_whole_and_aligns_columns(org, fleet):
    """The PDF's fixed-pitch listing wraps a long value inside its column rather than cutting it."""
    from zas.services.reports.base import Column

    columns = [Column("name", "Device"), Column("tags", "Tags"), Column("n", "Interfaces", "int")]
    long_tags = ", ".join(f"tag-{i:02d}" for i in range(30))
    header, lines = render.listing_lines(columns, [["core", long_tags, "2"], ["edge", "x", "12"]])
    assert header.split() == ["Device", "Tags", "Interfaces"]
    first = lines[0].split("\n")
    assert len(first) > 1 and all(len(line) <= render.PDF_LINE_CHARS for line in first)
    assert " ".join(" ".join(first).split()).count("tag-") == 30  # every tag is there
    # numbers are right-aligned: both rows end their count at the same column
    edge = lines[1]
    assert first[0].rstrip().endswith("2") and edge.endswith("12") and len(edge) == len(first[0].rstrip())
    core = fleet["core"]
    core.tags = [f"tag-{i:02d}-{'x' * 10}" for i in range(12)]
    db.session.flush()
    text = "".join(pdf_text(render.render_bytes(reports.build("inventory", {}, scope_of(org)), "pdf")).split())
    for i in range(12):
        assert f"tag-{i:02d}-{'x' * 10}" in text
