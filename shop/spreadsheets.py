"""Cells for spreadsheets: what every CSV export writes through, so no exported cell runs as a formula."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell_safe(value):
    """A text cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so Excel,
    LibreOffice and Google Sheets show it as text instead of running it ("=HYPERLINK(...)", "@SUM(...)").
    Numbers are left alone. Imports strip the apostrophe again (``cell_unescape``)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def cell_unescape(text: str) -> str:
    """The inverse of csv_cell_safe for a cell read back from a file we exported."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def safe_writerow(writerow):
    """Wrap a csv writer's writerow so every cell goes through csv_cell_safe."""

    def write(row):
        return writerow([csv_cell_safe(cell) for cell in row])

    return write
