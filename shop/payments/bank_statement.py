"""Bank statement CSV exports → rows, to match incoming transfers to orders by their reference.

Accepts UTF-8 (with or without BOM), comma or semicolon delimited, with a header line whose column names
are matched without regard to case, accents or surrounding spaces. A bad row is reported on the row
(`error`), never by stopping the file; a file without the needed columns raises `StatementError`.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from shop.money import whole_number_parse
from shop.text import fold_vietnamese

REFERENCE_PREFIX = "OCOP"

# The prefix anywhere (banks glue words together), then at most a few separators, then the digits.
_REFERENCE = re.compile(REFERENCE_PREFIX + r"[\s\-_.:#/]{0,3}([0-9]+)", re.IGNORECASE)
_ORDER_NUMBER = re.compile(r"[0-9]{1,21}")  # "OCOP" + 21 digits = 25 characters, VietQR's limit

# Aliases in order of preference: when several columns match, the most specific alias wins.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("ngày giao dịch", "ngay gd", "transaction date", "ngày", "date"),
    "amount": ("số tiền ghi có", "ghi có", "credit", "số tiền", "amount"),
    "description": ("nội dung", "diễn giải", "mô tả", "description", "content"),
}

_TIME = r"(?:[ T].*)?"  # an optional time after the date, ignored
_DMY = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{4})" + _TIME)
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + _TIME)
_UNIT_SUFFIX = re.compile(r"\s*\([^()]*\)$")  # "Số tiền (VND)" → "Số tiền"
_CURRENCY = re.compile(r"₫|vnđ|vnd|đồng|dong|đ", re.IGNORECASE)
_DECIMAL = re.compile(r"([0-9]{1,3}(?:([.,])[0-9]{3})*|[0-9]+)([.,])([0-9]+)")


class StatementError(ValueError):
    """The file as a whole cannot be read (message in Vietnamese, for the person who uploaded it)."""


@dataclass(frozen=True)
class StatementRow:
    line: int  # 1-based line in the file, the header included
    booked_on: dt.date | None
    amount: int | None  # whole dong, credits only
    description: str
    reference: str | None  # "OCOP" + digits, as found in the description
    error: str = ""  # "" when the row is fine


def reference_for(order_number: str) -> str:
    """The transfer reference of an order: "100023" → "OCOP100023"."""
    if not isinstance(order_number, str) or not _ORDER_NUMBER.fullmatch(order_number):
        raise ValueError(f"Order number must be 1 to 21 digits, got {order_number!r}.")
    return REFERENCE_PREFIX + order_number


def reference_find(text: str) -> str | None:
    """The first order reference in a transfer text, normalised: "ck ocop-100023 nguyen van a" → "OCOP100023"."""
    match = _REFERENCE.search(text or "")
    return REFERENCE_PREFIX + match.group(1) if match else None


def _fold_header(name: str) -> str:
    return " ".join(fold_vietnamese(_UNIT_SUFFIX.sub("", name.replace("\ufeff", "").strip())).split())


def _column_indexes(header: list[str]) -> dict[str, int]:
    """Which column holds each field; StatementError naming the missing ones."""
    folded = [_fold_header(name) for name in header]
    found: dict[str, int] = {}
    for field, aliases in _COLUMNS.items():
        for alias in aliases:
            if _fold_header(alias) in folded:
                found[field] = folded.index(_fold_header(alias))
                break
    labels = {"date": _("ngày"), "amount": _("số tiền"), "description": _("nội dung")}
    missing = [str(labels[field]) for field in _COLUMNS if field not in found]
    if missing:
        raise StatementError(_("Thiếu cột bắt buộc: %(columns)s") % {"columns": ", ".join(missing)})
    return found


def _delimiter(header_line: str) -> str:
    """Semicolon or comma, whichever the header line uses more (Excel in Vietnamese locale writes ';')."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _parse_date(value: str) -> dt.date:
    """dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd, optionally followed by a time (ignored)."""
    text = value.strip()
    if match := _DMY.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _YMD.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        raise ValueError(value)
    return dt.date(year, month, day)


def _date_error(value: str) -> tuple[dt.date | None, str]:
    if not value.strip():
        return None, _("Thiếu ngày giao dịch")
    try:
        return _parse_date(value), ""
    except ValueError:
        return None, _("Ngày không hợp lệ: %(value)s") % {"value": value.strip()}


def _parse_amount(value: str) -> tuple[int | None, str]:
    """Whole dong from "250.000", "250,000", "250000 VND", "+250.000 ₫", …; an error for fractions and debits."""
    shown = value.strip()
    spaced = unicodedata.normalize("NFC", shown).replace("\xa0", " ").replace("\u202f", " ")
    text = _CURRENCY.sub("", spaced).strip()
    if not text:
        return None, _("Thiếu số tiền")
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("()").lstrip("+-").strip()
    try:
        number = whole_number_parse(text)
    except ValueError:
        if (match := _DECIMAL.fullmatch(text)) and match[2] != match[3]:  # "250.000,00": a zero fraction is fine
            if match[4].strip("0"):
                return None, _("Số tiền có phần lẻ, không phải đồng chẵn: %(value)s") % {"value": shown}
            number = int(re.sub(r"[.,]", "", match[1]))
        else:
            return None, _("Số tiền không hợp lệ: %(value)s") % {"value": shown}
    if negative or number <= 0:
        return None, _("Không phải giao dịch nhận tiền: %(value)s") % {"value": shown}
    return number, ""


def _row(line: int, cells: list[str], columns: dict[str, int]) -> StatementRow:
    def cell(field: str) -> str:
        index = columns[field]
        return cells[index] if index < len(cells) else ""

    booked_on, date_error = _date_error(cell("date"))
    amount, amount_error = _parse_amount(cell("amount"))
    description = cell("description").strip()
    error = "; ".join(message for message in (date_error, amount_error) if message)
    return StatementRow(line, booked_on, amount, description, reference_find(description), error)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementError(_("Tệp không phải CSV mã hoá UTF-8.")) from None


def statement_rows(data: bytes) -> list[StatementRow]:
    """Every non-blank row after the header, each with its line number, parsed values and any error."""
    text = _decode(data)
    header_line = next((line for line in text.splitlines() if line.strip(" \t,;")), None)
    if header_line is None:
        raise StatementError(_("Tệp sao kê trống."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    rows: list[StatementRow] = []
    columns: dict[str, int] | None = None
    consumed = 0  # physical lines read so far, so a row knows the line it starts on
    for cells in reader:
        line, consumed = consumed + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if columns is None:
            columns = _column_indexes(cells)
            continue
        rows.append(_row(line, cells, columns))
    if columns is None:  # only a quoted empty header
        raise StatementError(_("Tệp sao kê trống."))
    return rows
