"""Export cells: formula-injection neutralising, XLSX-safe text, dates in the person's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.services.export_format import (
    COLUMNS,
    TaskRow,
    csv_cells,
    local_iso,
    neutralise_cell,
    xlsx_text,
)


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
    }
