"""Writers that stream task rows into a CSV or XLSX file, one row at a time."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import xlsxwriter
from flask_babel import gettext

from app.exports.format import (
    TaskRow,
    csv_cells,
    header_row,
    labels_cell,
    local_naive,
    xlsx_text,
)
from app.exports.models import ExportFormat

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ExportWriter(Protocol):
    def write(self, rows: Iterable[TaskRow]) -> None: ...

    def close(self) -> None: ...


class CsvWriter:
    """UTF-8 with a byte order mark, so Excel reads accents right; a header row first, in the
    current language (the worker writes inside in_language)."""

    def __init__(self, path: Path, timezone_name: str) -> None:
        self.file = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.file)
        self.timezone_name = timezone_name
        self.writer.writerow(header_row())

    def write(self, rows: Iterable[TaskRow]) -> None:
        self.writer.writerows(csv_cells(row, self.timezone_name) for row in rows)

    def close(self) -> None:
        self.file.close()


class XlsxWriter:
    """xlsxwriter in constant-memory mode: each row is flushed to disk once the next begins.

    Text goes through write_string, so a title like "=HYPERLINK(...)" stays text."""

    def __init__(self, path: Path, timezone_name: str) -> None:
        self.workbook = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "strings_to_formulas": False}
        )
        self.sheet = self.workbook.add_worksheet(sheet_name(gettext("Tasks")))
        self.date_format = self.workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        bold = self.workbook.add_format({"bold": True})
        self.timezone_name = timezone_name
        for column, name in enumerate(header_row()):
            self.sheet.write_string(0, column, name, bold)
        self.sheet.set_column(1, 1, 40)
        self.sheet.set_column(6, 8, 20)
        self.sheet.set_column(9, 9, 60)
        self.sheet.set_column(10, 10, 24)
        self.next_row = 1

    def write(self, rows: Iterable[TaskRow]) -> None:
        for row in rows:
            self._write_row(self.next_row, row)
            self.next_row += 1

    def _write_row(self, r: int, row: TaskRow) -> None:
        sheet = self.sheet
        sheet.write_number(r, 0, row.id)
        for column, text in (
            (1, row.title),
            (2, row.status),
            (3, row.priority),
            (4, row.project),
            (5, row.assignee or ""),
        ):
            if text:
                sheet.write_string(r, column, xlsx_text(text))
        for column, moment in ((6, row.due_at), (7, row.created_at), (8, row.completed_at)):
            local = local_naive(moment, self.timezone_name)
            if local is not None:
                sheet.write_datetime(r, column, local, self.date_format)
        if row.description:
            sheet.write_string(r, 9, xlsx_text(row.description))
        if row.labels:
            sheet.write_string(r, 10, xlsx_text(labels_cell(row.labels)))

    def close(self) -> None:
        self.workbook.close()


def sheet_name(name: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "Tasks"


def open_writer(export_format: ExportFormat, path: Path, timezone_name: str) -> ExportWriter:
    if export_format == ExportFormat.XLSX:
        return XlsxWriter(path, timezone_name)
    return CsvWriter(path, timezone_name)
