"""Export cells: formula-injection neutralising, XLSX-safe text, dates in the person's zone."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.exports.files import open_writer
from app.exports.format import (
    COLUMNS,
    FORMULA_TRIGGERS,
    TaskRow,
    csv_cells,
    local_iso,
    neutralise_cell,
    xlsx_text,
)
from app.exports.models import ExportFormat


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\x00=1+1", "'=1+1"),  # a NUL in front does not hide the formula
        ("a\x00b", "ab"),
        ("Plain title", "Plain title"),
        ("Costs = 3 + 4", "Costs = 3 + 4"),  # only the first character matters
        ("email me@example.com", "email me@example.com"),
        ("", ""),
        ("'already quoted", "'already quoted"),
        ("Ünïcödé ✓", "Ünïcödé ✓"),
    ],
)
def test_neutralise_cell_quotes_what_a_spreadsheet_would_evaluate(value, expected):
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "=1+1"),  # written with write_string: stays text without a quote
        ("line\nbreak\ttab", "line\nbreak\ttab"),
        ("bell\x07nul\x00vt\x0b", "bellnulvt"),
    ],
)
def test_xlsx_text_drops_only_what_xml_cannot_hold(value, expected):
    assert xlsx_text(value) == expected


def test_local_iso_is_in_the_persons_zone_with_its_offset():
    moment = datetime(2026, 7, 1, 22, 30, 15, 123456, tzinfo=UTC)
    assert local_iso(moment, "Europe/Berlin") == "2026-07-02T00:30:15+02:00"
    assert local_iso(moment, "America/New_York") == "2026-07-01T18:30:15-04:00"
    assert local_iso(None, "UTC") == ""


def test_csv_cells_follow_the_columns_and_neutralise_every_text_cell():
    row = TaskRow(
        id=7,
        title="=cmd|' /C calc'!A0",
        status="pending",
        priority="high",
        project="+Project",
        assignee="@ann",
        due_at=datetime(2026, 1, 15, 12, 0, tzinfo=UTC),
        created_at=datetime(2026, 1, 1, 9, 0, tzinfo=UTC),
        completed_at=None,
        description="-rm",
        labels=("=sum", "ops"),
    )
    cells = csv_cells(row, "Asia/Tokyo")
    assert len(cells) == len(COLUMNS)
    assert dict(zip(COLUMNS, cells, strict=True)) == {
        "id": 7,
        "title": "'=cmd|' /C calc'!A0",
        "status": "pending",
        "priority": "high",
        "project": "'+Project",
        "assignee": "'@ann",
        "due": "2026-01-15T21:00:00+09:00",
        "created": "2026-01-01T18:00:00+09:00",
        "completed": "",
        "description": "'-rm",
        "labels": "'=sum, ops",
    }


# What a person can type: any text a browser sends as UTF-8 (no lone surrogates).
TYPED = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
TRIGGERED = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\x00", "\x00=", "\x00\t", "\r\n="]),
    TYPED,
)
CELL_TEXT = st.one_of(TYPED, TRIGGERED)


@settings(max_examples=300, deadline=None)
@given(value=CELL_TEXT)
def test_no_neutralised_cell_starts_a_formula_or_holds_a_nul(value):
    cell = neutralise_cell(value)
    assert not cell.startswith(FORMULA_TRIGGERS) and "\x00" not in cell
    # Nothing else is lost: the text as typed (less NULs) follows the quote, if any.
    assert cell.removeprefix("'") == value.replace("\x00", "") or cell == value.replace("\x00", "")


def typed_row(text: str) -> TaskRow:
    moment = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    return TaskRow(1, text, "pending", "high", text, text, None, moment, None, text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=CELL_TEXT)
@example(value="noncharacters \ufffe\uffff, a vertical tab \x0b and a NUL \x00")
@example(value='=HYPERLINK("http://evil.test","x")')
def test_any_typed_text_makes_files_that_open_and_evaluate_nothing(value, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cells")
    for export_format in (ExportFormat.CSV, ExportFormat.XLSX):
        writer = open_writer(export_format, folder / f"t.{export_format.value}", "UTC")
        writer.write([typed_row(value)])
        writer.close()
    with (folder / "t.csv").open(encoding="utf-8-sig", newline="") as file:
        _, cells = list(csv.reader(file))
    text_cells = [cells[1], cells[4], cells[5], cells[9]]
    assert not [c for c in text_cells if c.startswith(FORMULA_TRIGGERS) or "\x00" in c]
    sheet = openpyxl.load_workbook(folder / "t.xlsx").active
    written = [sheet.cell(2, column) for column in (2, 5, 6, 10)]
    assert all(cell.data_type == "s" for cell in written if cell.value is not None)
