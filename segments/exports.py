"""CSV files the product writes for people to open in spreadsheets."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Quote a cell that a spreadsheet would otherwise run as a formula.

    A leading apostrophe makes Excel, LibreOffice and Google Sheets show the
    cell as text; the CSV parser removes it again on import, so an exported
    file imports back to the same identifiers.
    """
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row]


class Echo:
    """A file-like object whose write returns what it was given."""

    def write(self, value: str) -> str:
        return value


def csv_attachment(rows: Iterable, filename: str) -> HttpResponse:
    """Answer a small CSV file as a download."""
    writer = csv.writer(Echo())
    body = "".join(writer.writerow(safe_row(row)) for row in rows)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
