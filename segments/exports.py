"""CSV files the product writes for people to open in spreadsheets."""

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
