"""Cells for spreadsheets: what every CSV export writes through, so no exported cell runs as a formula; and the
one reading of an uploaded CSV file's bytes as text (``csv_text_decode``: the stock count and sales imports)."""

import unicodedata

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


def csv_text_decode(data: bytes) -> str:
    """The text of an uploaded CSV file, in NFC: UTF-8 (with or without Excel's BOM); UTF-16 with a BOM (Excel's
    "Unicode text"); otherwise Windows-1258, what Excel on a Vietnamese Windows writes for "CSV (comma
    delimited)" (a base letter followed by a tone mark, composed here). UnicodeDecodeError (a ValueError) for a
    UTF-16 file that is not valid UTF-16; callers turn it into their own message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)
