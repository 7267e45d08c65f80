"""Cells for spreadsheets: what every CSV export writes through, so no exported cell runs as a formula; and the
one reading of an uploaded CSV file (``csv_text_decode``, ``csv_table_read``: the stock count and sales imports)."""

import csv
import io
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


class CsvFileError(ValueError):
    """An uploaded CSV file that cannot be read as a table; the message says why, in the user's language."""


def csv_delimiter_guess(text: str, *, header_rows: int, recognises) -> str:
    """Comma, semicolon (Excel in a Vietnamese or European locale) or tab: the one that splits one of the top
    ``header_rows`` lines into cells ``recognises(cells)`` accepts as the header, else the one the first line uses
    most."""
    top = text.splitlines()[:header_rows]
    first_line = next((line for line in top if line.strip()), "")
    candidates = sorted((",", ";", "\t"), key=first_line.count, reverse=True)
    for delimiter in candidates:
        try:
            if any(recognises(cells) for cells in csv.reader(io.StringIO("\n".join(top)), delimiter=delimiter)):
                return delimiter
        except csv.Error:
            continue
    return candidates[0]


def csv_too_big_message(size: int, *, max_bytes: int) -> str:
    from django.utils.translation import gettext as _

    from shop.money import number_text

    return _("Tệp quá lớn (%(size)s KB); giới hạn %(max)s KB mỗi lần nhập: hãy chia thành nhiều tệp.") % {
        "size": number_text(size // 1000), "max": number_text(max_bytes // 1000)}


def csv_table_read(data: bytes, *, max_bytes: int, max_rows: int, header_rows: int, recognises) -> list[list[str]]:
    """An uploaded CSV file as rows of cells, blank rows kept as [] so row numbers stay the spreadsheet's; reading
    stops once more than ``max_rows`` filled rows (plus the header's) are seen, so the caller can say the file is too
    long. CsvFileError for an empty, oversized, Excel, undecodable or binary file."""
    from django.utils.translation import gettext as _

    if not data or not data.strip():
        raise CsvFileError(_("Tệp trống."))
    if len(data) > max_bytes:
        raise CsvFileError(csv_too_big_message(len(data), max_bytes=max_bytes))
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise CsvFileError(_("Đây là tệp Excel: hãy lưu lại dưới dạng CSV (UTF-8) rồi tải lên."))
    try:
        text = csv_text_decode(data)
    except UnicodeDecodeError as error:
        raise CsvFileError(_("Không đọc được tệp: bảng mã không hợp lệ.")) from error
    if "\x00" in text:
        raise CsvFileError(_("Không đọc được tệp: đây không phải tệp CSV."))
    delimiter = csv_delimiter_guess(text, header_rows=header_rows, recognises=recognises)
    table: list[list[str]] = []
    filled = 0
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if not any(cell.strip() for cell in cells):
                table.append([])
                continue
            filled += 1
            if filled > max_rows + header_rows:
                break
            table.append(cells)
    except csv.Error as error:
        raise CsvFileError(_("Không đọc được tệp CSV: %(error)s") % {"error": error}) from error
    return table


# ---------------------------------------------------------------- carrying a dry-run file to its apply
class UploadTokenInvalid(ValueError):
    """A dry run's signed token that cannot be used (expired, altered, malformed); the message says why."""


def upload_token_sign(*, data: bytes, salt: str, **fields) -> str:
    """The dry-run file, compressed and signed with ``fields`` (who it is for, what was seen): the apply form's
    hidden field, so what is applied is exactly what was checked (no session, no cache)."""
    import base64
    import zlib

    from django.core import signing

    return signing.dumps({**fields, "f": base64.b64encode(zlib.compress(data, 9)).decode("ascii")}, salt=salt)


def upload_token_read(token: str, *, salt: str, max_age: int) -> tuple[dict, bytes]:
    """(the signed fields, the file) back from ``upload_token_sign``; UploadTokenInvalid when expired, altered or
    malformed. The caller checks the fields are for this user (and place)."""
    import base64
    import zlib

    from django.core import signing
    from django.utils.translation import gettext as _

    invalid = _("Dữ liệu chạy thử không hợp lệ: hãy tải tệp lên và chạy thử lại.")
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise UploadTokenInvalid(_("Kết quả chạy thử đã quá hạn: hãy tải tệp lên và chạy thử lại.")) from error
    except signing.BadSignature as error:
        raise UploadTokenInvalid(invalid) from error
    try:
        data = zlib.decompress(base64.b64decode(payload.pop("f")))
    except (AttributeError, KeyError, TypeError, ValueError, zlib.error) as error:
        raise UploadTokenInvalid(invalid) from error
    return payload, data
