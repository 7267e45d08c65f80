"""Import the province's existing OCOP registry from a spreadsheet: producers, products, stock records and
certificates, one row per product.

Reading (``registry_read``) turns an XLSX or CSV file into one dict per row, keyed by the column keys of
``COLUMNS``. Importing (``registry_import``) validates every row, then writes them all in one transaction that
is rolled back unless ``apply`` is set and every row is clean: all rows or none. Everything is looked up by a
natural key (producer code, product upc, product + decision number), so importing the same file again changes
nothing. Stock records are never saved whole: an existing record only gets its price, through a locked update,
and its stock and allocations are left alone. Like the producer area (shop/listings), a new record's stock goes in
as a movement, and products keep an edit history; producers created here are approved (staff imported them).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import re
import unicodedata
import zipfile
from collections import Counter
from itertools import islice
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit, Certificate, OcopProductSet, Product
from catalogue.listing import listings_deferred
from catalogue.search.indexing import product_changed
from catalogue.services import ALCOHOL_SETS, certificate_record, product_set_link
from shop.html import sanitize_html
from shop.listings.models import ProductEdit, StockMovement
from shop.listings.services import stock_move
from shop.money import whole_number_parse
from shop.text import fold_vietnamese, header_key

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

DEFAULT_PROVINCE_CODE = "91"  # An Giang; settings.OCOP_PROVINCE_CODE overrides it when present
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10  # a title block above the header row is skipped
MAX_TABLE_ROWS = MAX_ROWS + HEADER_SEARCH_ROWS + 1  # read one row too many, to tell the file is too long
SERVICE_STOCK = 999  # group VI (visits, tours) does not track stock: the same figure as the demo catalogue
MERGER_DAY = dt.date(2025, 7, 1)  # districts abolished: no district-level recognition from this day
MAX_PRICE = 10**10 - 1  # StockRecord.price: 12 digits, 2 of them decimals
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class RegistryError(ValueError):
    """The file as a whole cannot be imported (unreadable, empty, required columns missing)."""


class Action(enum.StrEnum):
    CREATED = gettext_noop("tạo mới")
    UPDATED = gettext_noop("cập nhật")
    UNCHANGED = gettext_noop("không đổi")
    FAILED = gettext_noop("lỗi")


@dataclass
class RowReport:
    line: int
    producer_code: str
    product_code: str
    action: str
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # what was (or, in a dry run, would be) written

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    rows: list[RowReport]
    applied: bool  # True only when the rows were written and committed

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.action for row in self.rows)
        return {str(action): counted.get(action, 0) for action in Action}

    @property
    def created(self) -> int:
        return self.counts[Action.CREATED]

    @property
    def updated(self) -> int:
        return self.counts[Action.UPDATED]

    @property
    def unchanged(self) -> int:
        return self.counts[Action.UNCHANGED]

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if row.errors)


# ---------------------------------------------------------------- columns
@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the Vietnamese header, as in the registry template
    aliases: tuple[str, ...] = ()  # other accepted headers (English, common variants)
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("producer_code", "Mã chủ thể", ("producer code", "partner code"), True),
    Column("producer_name", "Tên chủ thể", ("producer name", "producer", "partner name"), True),
    Column("kind", "Loại hình", ("kind", "type", "producer type", "loại hình chủ thể"), True),
    Column("commune_code", "Mã xã", ("mã xã/phường", "mã phường", "commune code", "ward code")),
    Column("commune_name", "Xã/phường", ("xã", "phường", "xã/phường/đặc khu", "commune", "ward", "commune/ward")),
    Column("street_address", "Địa chỉ", ("address", "street address")),
    Column("phone", "Điện thoại", ("số điện thoại", "phone", "telephone")),
    Column("email", "Email", ("e-mail", "thư điện tử")),
    Column("representative", "Người đại diện", ("representative",)),
    Column("product_code", "Mã sản phẩm", ("product code", "upc"), True),
    Column("product_name", "Tên sản phẩm", ("product name", "product title", "title"), True),
    Column("product_set", "Bộ sản phẩm", ("product set", "ocop product set", "set"), True),
    Column("price", "Giá", ("giá bán", "giá (đ)", "giá (vnđ)", "price", "price (vnd)"), True),
    Column("stock", "Tồn kho", ("stock", "in stock")),
    Column("weight_grams", "Khối lượng (g)", ("khối lượng", "weight (g)", "weight")),
    Column("description", "Mô tả", ("description", "giới thiệu sản phẩm")),
    Column("decision_number", "Số quyết định", ("số qđ", "decision number", "decision no"), True),
    Column("issued_on", "Ngày quyết định", ("ngày qđ", "ngày cấp", "decision date", "issued on"), True),
    Column("stars", "Hạng sao", ("số sao", "stars", "star rating"), True),
    Column("expires_on", "Ngày hết hạn", ("hết hạn", "expiry date", "expires on")),
    Column("issuing_level", "Cấp công nhận", ("cấp", "level", "issuing level", "recognition level")),
    Column("issuing_authority", "Cơ quan công nhận", ("authority", "issuing authority")),
)
COMMUNE_KEYS = ("commune_code", "commune_name")  # one of the two is required


def _fold(text: str) -> str:
    """The Vietnamese fold (shop.text), single-spaced: for comparing names typed differently."""
    return " ".join(fold_vietnamese(str(text)).split())


HEADERS: dict[str, str] = {
    header_key(name): column.key for column in COLUMNS for name in (column.label, column.key, *column.aliases)
}


# ---------------------------------------------------------------- reading
def registry_read(data: bytes, filename: str) -> list[dict]:
    """Rows of an XLSX or CSV (UTF-8, with or without BOM, comma or semicolon) registry file: one dict per
    non-blank row with every column key (missing optional columns as "") and "line", the row's number in the
    sheet. Raises RegistryError for an unreadable or empty file or missing required columns."""
    table = _xlsx_table(data) if _is_xlsx(data=data, filename=filename) else _csv_table(data)
    header_index, columns = _header_find(table)
    records = []
    for index, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        if all(_is_blank(cell) for cell in cells):
            continue
        record: dict[str, Any] = {column.key: "" for column in COLUMNS}
        for position, key in columns.items():
            if position < len(cells):
                record[key] = _cell_clean(cells[position])
        record["line"] = index
        records.append(record)
    if not records:
        raise RegistryError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if len(records) > MAX_ROWS:
        raise RegistryError(_("Tệp có %(n)s dòng, nhiều hơn giới hạn %(max)s dòng mỗi lần nhập.")
                            % {"n": len(records), "max": MAX_ROWS})
    return records


def _is_xlsx(*, data: bytes, filename: str) -> bool:
    name = filename.lower()
    if name.endswith(".xls"):
        raise RegistryError(_("Tệp .xls (Excel 97-2003) không được hỗ trợ: hãy lưu lại dưới dạng .xlsx hoặc .csv."))
    return name.endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def _xlsx_table(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise RegistryError(_("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx.")) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in islice(sheet.iter_rows(values_only=True), MAX_TABLE_ROWS)]
    except Exception as error:  # openpyxl raises many kinds of error on a damaged sheet
        raise RegistryError(_("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx.")) from error
    finally:
        workbook.close()


def _csv_table(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RegistryError(_("Không đọc được tệp CSV: tệp phải được lưu với bảng mã UTF-8.")) from error
    if "\x00" in text:
        raise RegistryError(_("Không đọc được tệp CSV: tệp chứa ký tự lạ (có phải tệp Excel đổi đuôi?)."))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return list(islice(csv.reader(io.StringIO(text), delimiter=delimiter), MAX_TABLE_ROWS))
    except csv.Error as error:
        raise RegistryError(_("Không đọc được tệp CSV: %(error)s") % {"error": error}) from error


def _header_find(table: list[list[Any]]) -> tuple[int, dict[int, str]]:
    """The header row (the first of the top rows naming several known columns) and its column positions."""
    best_index, best_columns = None, {}
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        keys = ((position, header_key(cell)) for position, cell in enumerate(cells))
        columns = {position: HEADERS[key] for position, key in keys if key in HEADERS}
        if len(columns) > len(best_columns):
            best_index, best_columns = index, columns
        if len(columns) >= 3:
            break
    if best_index is None:
        if not any(not _is_blank(cell) for cells in table for cell in cells):
            raise RegistryError(_("Tệp trống."))
        raise RegistryError(
            _("Không tìm thấy dòng tiêu đề: thiếu các cột %(columns)s.") % {"columns": _missing_list(set())}
        )
    duplicated = [key for key, n in Counter(best_columns.values()).items() if n > 1]
    if duplicated:
        labels = ", ".join(f"“{_label(key)}”" for key in duplicated)
        raise RegistryError(_("Tệp có nhiều cột cùng nghĩa: %(columns)s. Hãy giữ lại một cột.") % {"columns": labels})
    present = set(best_columns.values())
    missing = _missing_list(present)
    if missing:
        raise RegistryError(_("Tệp thiếu các cột bắt buộc: %(columns)s.") % {"columns": missing})
    return best_index, best_columns


def _missing_list(present: set[str]) -> str:
    missing = []
    for column in COLUMNS:
        if column.required and column.key not in present:
            missing.append(f"“{column.label}”")
        elif column.key == COMMUNE_KEYS[0] and not present.intersection(COMMUNE_KEYS):
            either = {"code": _label("commune_code"), "name": _label("commune_name")}
            missing.append(_("“%(code)s” (hoặc “%(name)s”)") % either)
    return ", ".join(missing)


def _label(key: str) -> str:
    return next(column.label for column in COLUMNS if column.key == key)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_clean(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split())
    return value


# ---------------------------------------------------------------- cell parsers
class CellError(ValueError):
    """One cell's value is not acceptable: the message is shown to the user."""


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value).strip()


def _whole_number(value: Any, *, label: str, suffixes: tuple[str, ...] = ()) -> int:
    """A whole number written "120.000", "120,000", "120 000" or "120000" (a spreadsheet number too)."""
    if isinstance(value, bool):
        raise CellError(_("%(label)s không hợp lệ: “%(value)s”.") % {"label": label, "value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        if value != int(value):
            raise CellError(_("%(label)s phải là số nguyên: “%(value)s”.") % {"label": label, "value": value})
        return int(value)
    text = re.sub(r"[\s\u00a0]", "", _text(value))
    for suffix in suffixes:
        if _fold(text).endswith(suffix):
            text = text[: len(text) - len(suffix)]
            break
    try:
        return whole_number_parse(text)
    except ValueError:
        pass
    raise CellError(_("%(label)s không hợp lệ: “%(value)s” (ghi số nguyên, ví dụ 120.000).")
                    % {"label": label, "value": _text(value)})


def price_parse(value: Any) -> int:
    """Whole đồng: "120.000", "120000", "120.000 đ", or a number cell."""
    price = _whole_number(value, label=_("Giá"), suffixes=("vnd", "dong", "d", "₫"))
    if price <= 0:
        raise CellError(_("Giá phải lớn hơn 0."))
    if price > MAX_PRICE:
        raise CellError(_("Giá quá lớn: “%(value)s”.") % {"value": _text(value)})
    return price


def stars_parse(value: Any) -> int:
    text = _text(value)
    if text and set(text) <= {"★", "*"}:
        stars = len(text)
    else:
        stars = _whole_number(value, label=_("Hạng sao"), suffixes=("sao", "★"))
    if not 3 <= stars <= 5:
        raise CellError(_("Hạng sao phải từ 3 đến 5 (đang ghi “%(value)s”).") % {"value": text})
    return stars


def date_parse(value: Any, *, label: str) -> dt.date:
    """dd/mm/yyyy (also with - or .), yyyy-mm-dd, or a real date cell. Day first, always."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).split(" ")[0]
    try:
        if match := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text):
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise CellError(_("%(label)s không hợp lệ: “%(value)s” (ghi dạng ngày/tháng/năm, ví dụ 15/01/2025).")
                    % {"label": label, "value": _text(value)})


_KINDS = {  # folded text → Partner.Kind: the Vietnamese labels, their abbreviations, the English values
    "hop tac xa": Partner.Kind.COOPERATIVE,
    "htx": Partner.Kind.COOPERATIVE,
    "to hop tac": Partner.Kind.COOPERATIVE_GROUP,
    "tht": Partner.Kind.COOPERATIVE_GROUP,
    "doanh nghiep": Partner.Kind.ENTERPRISE,
    "dn": Partner.Kind.ENTERPRISE,
    "ho kinh doanh": Partner.Kind.HOUSEHOLD,
    "hkd": Partner.Kind.HOUSEHOLD,
    **{_fold(kind.value.replace("_", " ")): kind for kind in Partner.Kind},
}


def kind_parse(value: Any) -> str:
    kind = _KINDS.get(_fold(_text(value)))
    if kind is None:
        choices = ", ".join(str(k.label) for k in Partner.Kind)
        raise CellError(_("Loại hình “%(value)s” không hợp lệ (chọn một trong: %(choices)s).")
                        % {"value": _text(value), "choices": choices})
    return str(kind)


_LEVELS = {
    **{key: Certificate.Level.PROVINCE for key in ("tinh", "cap tinh", "province", "provincial")},
    **{key: Certificate.Level.NATIONAL for key in ("trung uong", "cap trung uong", "tw", "national")},
    **{key: Certificate.Level.DISTRICT for key in ("huyen", "cap huyen", "district")},
}


def level_parse(value: Any) -> str:
    level = _LEVELS.get(_fold(_text(value)))
    if level is None:
        raise CellError(
            _("Cấp công nhận “%(value)s” không hợp lệ (Tỉnh, Trung ương hoặc Huyện).") % {"value": _text(value)}
        )
    return str(level)


def set_key_parse(value: Any) -> tuple[int, int]:
    """ "I.2" → (1, 2): group in Roman numerals, a dot, the set's number (Arabic group numbers are accepted)."""
    text = _text(value) if isinstance(value, str) else ""
    match = re.fullmatch(r"(?:nhom\s*)?([ivx]+|\d+)\s*[.\-/]\s*(\d+)", _fold(text))
    if not match:
        raise CellError(_("Bộ sản phẩm “%(value)s” không hợp lệ (ghi nhóm bằng số La Mã, dấu chấm, số bộ: ví dụ I.2).")
                        % {"value": _text(value)})
    group, number = match.groups()
    group_number = int(group) if group.isdigit() else (ROMAN.index(group.upper()) + 1 if group.upper() in ROMAN else 0)
    return group_number, int(number)


def _phone_text(value: Any) -> str:
    """A phone typed into a number cell loses its leading 0: 912345678 → 0912345678."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = _text(value)
        return "0" + digits if len(digits) == 9 else digits
    return _text(value)


def _code_text(value: Any) -> str:
    """An administrative code: "030307" and 30307 are the same commune."""
    text = _text(value)
    return str(int(text)) if text.isdigit() else text


# ---------------------------------------------------------------- validated rows
@dataclass
class RegistryRow:
    line: int
    producer_code: str
    producer_name: str
    kind: str
    area: AdministrativeUnit
    street_address: str
    phone: str
    email: str
    representative: str
    product_code: str
    product_name: str
    product_set: OcopProductSet
    price: int
    stock: int | None
    weight_grams: int | None
    description: str
    decision_number: str
    issued_on: dt.date
    stars: int
    expires_on: dt.date | None
    issuing_level: str | None
    issuing_authority: str

    def producer_facts(self) -> dict[str, Any]:
        """What the file says about the producer; blank optional cells say nothing."""
        facts = {"name": self.producer_name, "kind": self.kind, "area": self.area}
        optional = {
            "street_address": self.street_address, "phone": self.phone,
            "email": self.email, "representative": self.representative,
        }
        return facts | {name: value for name, value in optional.items() if value}


@dataclass
class Lookups:
    """Reference data the rows are checked against, loaded once per import."""

    province: AdministrativeUnit
    communes_by_code: dict[str, AdministrativeUnit]
    communes: list[AdministrativeUnit]
    product_sets: dict[tuple[int, int], OcopProductSet]
    product_owners: dict[str, str | None]  # upc → producer code of products named in the file

    @classmethod
    def load(cls, *, province_code: str, upcs: list[str]) -> "Lookups":
        units = AdministrativeUnit.objects
        province = units.filter(level=AdministrativeUnit.Level.PROVINCE, code=province_code).first()
        if province is None:
            raise RegistryError(_("Chưa có dữ liệu tỉnh mã %(code)s: hãy nạp dữ liệu tham chiếu trước.")
                                % {"code": province_code})
        communes = list(units.filter(level=AdministrativeUnit.Level.COMMUNE, parent=province).select_related("parent"))
        product_sets = {
            (s.group.number, s.number): s
            for s in OcopProductSet.objects.filter(group__taxonomy__is_current=True).select_related("group", "category")
        }
        owners = dict(Product.objects.filter(upc__in=upcs).values_list("upc", "producer__code"))
        return cls(province, {c.code: c for c in communes}, communes, product_sets, owners)

    def commune_by_name(self, name: str) -> AdministrativeUnit:
        """Accented match first, then without accents; with or without "Xã"/"Phường"/"Đặc khu". Must be unique."""
        prefixes = ("xa ", "phuong ", "dac khu ", "thi tran ")

        def bare(text: str) -> str:
            folded = _fold(text)
            return next((folded[len(p):] for p in prefixes if folded.startswith(p)), folded)

        wanted = " ".join(unicodedata.normalize("NFC", name).casefold().split())
        stages = (
            lambda c: " ".join(c.name.casefold().split()) == wanted,
            lambda c: _fold(c.name) == _fold(name),
            lambda c: bare(c.name) == bare(name),
        )
        for matches_stage in stages:
            found = [c for c in self.communes if matches_stage(c)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise CellError(_("Tên xã/phường “%(name)s” trùng với nhiều đơn vị (%(units)s): hãy ghi mã xã.")
                                % {"name": name, "units": ", ".join(c.name for c in found)})
        raise CellError(_("Không tìm thấy xã/phường “%(name)s” thuộc %(province)s.")
                        % {"name": name, "province": self.province.name})

    def commune(self, record: dict) -> AdministrativeUnit:
        code, name = _code_text(record["commune_code"]), _text(record["commune_name"])
        if code:
            if code in self.communes_by_code:
                return self.communes_by_code[code]
            elsewhere = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE, code=code).first()
            if elsewhere:
                raise CellError(_("Xã mã %(code)s (%(name)s, %(other)s) không thuộc %(province)s.")
                                % {"code": code, "name": elsewhere.name, "other": elsewhere.parent.name,
                                   "province": self.province.name})
            raise CellError(_("Không có xã/phường nào mã %(code)s.") % {"code": code})
        if name:
            return self.commune_by_name(name)
        raise CellError(_("Thiếu mã xã (hoặc tên xã/phường)."))

    def product_set(self, value: Any) -> OcopProductSet:
        key = set_key_parse(value)
        if key not in self.product_sets:
            raise CellError(
                _("Không có bộ sản phẩm “%(value)s” trong bộ tiêu chí OCOP hiện hành.") % {"value": _text(value)}
            )
        return self.product_sets[key]


def _missing(key: str) -> CellError:
    return CellError(_("Thiếu “%(label)s”.") % {"label": _label(key)})


def _required(record: dict, key: str, parse) -> Any:
    if _is_blank(record[key]):
        raise _missing(key)
    return parse(record[key])


def _required_text(record: dict, key: str, *, max_length: int) -> str:
    text = _text(record[key])
    if not text:
        raise _missing(key)
    return _length_checked(text, key=key, max_length=max_length)


def _free_text(record: dict, key: str, *, max_length: int) -> str:
    return _length_checked(_text(record[key]), key=key, max_length=max_length)


def _length_checked(text: str, *, key: str, max_length: int) -> str:
    if len(text) > max_length:
        raise CellError(_("“%(label)s” dài quá %(max)s ký tự.") % {"label": _label(key), "max": max_length})
    return text


def _optional(record: dict, key: str, parse) -> Any:
    return None if _is_blank(record[key]) else parse(record[key])


def _producer_code(record: dict) -> str:
    code = _required_text(record, "producer_code", max_length=128)
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", code):
        raise CellError(
            _("Mã chủ thể “%(code)s” chỉ được gồm chữ không dấu, số, gạch ngang (ví dụ htx-nong-nghiep-chau-doc).")
            % {"code": code}
        )
    return code


def _email(record: dict) -> str:
    email = _length_checked(_text(record["email"]), key="email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise CellError(_("Email “%(value)s” không hợp lệ.") % {"value": email}) from error
    return email


def row_parse(*, record: dict, lookups: Lookups) -> tuple[RegistryRow | None, list[str]]:
    """One record checked cell by cell: the row, or None with every problem found."""
    errors: list[str] = []

    def cell(parse, *args, **kwargs):
        try:
            return parse(*args, **kwargs)
        except CellError as error:
            errors.append(str(error))
            return None

    values = {
        "producer_code": cell(_producer_code, record),
        "producer_name": cell(_required_text, record, "producer_name", max_length=128),
        "kind": cell(_required, record, "kind", kind_parse),
        "area": cell(lookups.commune, record),
        "street_address": cell(_free_text, record, "street_address", max_length=255),
        "phone": cell(_length_checked, _phone_text(record["phone"]), key="phone", max_length=32),
        "email": cell(_email, record),
        "representative": cell(_free_text, record, "representative", max_length=128),
        "product_code": cell(_required_text, record, "product_code", max_length=64),
        "product_name": cell(_required_text, record, "product_name", max_length=255),
        "product_set": cell(_required, record, "product_set", lookups.product_set),
        "price": cell(_required, record, "price", price_parse),
        "stock": cell(_optional, record, "stock", _stock_parse),
        "weight_grams": cell(_optional, record, "weight_grams", _weight_parse),
        "description": cell(_free_text, record, "description", max_length=20000),
        "decision_number": cell(_required_text, record, "decision_number", max_length=64),
        "issued_on": cell(_required, record, "issued_on", lambda v: date_parse(v, label=_("Ngày quyết định"))),
        "stars": cell(_required, record, "stars", stars_parse),
        "expires_on": cell(_optional, record, "expires_on", lambda v: date_parse(v, label=_("Ngày hết hạn"))),
        "issuing_level": cell(_optional, record, "issuing_level", level_parse),
        "issuing_authority": cell(_free_text, record, "issuing_authority", max_length=255),
    }
    errors.extend(_dates_check(values))
    owner = lookups.product_owners.get(values["product_code"] or "", "")
    if values["product_code"] and values["producer_code"] and owner not in ("", None, values["producer_code"]):
        errors.append(_("Mã sản phẩm %(upc)s đã thuộc chủ thể khác (%(owner)s).")
                      % {"upc": values["product_code"], "owner": owner})
    if errors:
        return None, errors
    return RegistryRow(line=record["line"], **values), []


def _stock_parse(value: Any) -> int:
    stock = _whole_number(value, label=_("Tồn kho"))
    if stock < 0:
        raise CellError(_("Tồn kho không được âm."))
    return stock


def _weight_parse(value: Any) -> int:
    grams = _whole_number(value, label=_("Khối lượng"), suffixes=("gam", "g"))
    if grams <= 0:
        raise CellError(_("Khối lượng phải lớn hơn 0."))
    return grams


def _dates_check(values: dict) -> list[str]:
    issued_on, expires_on, level = values["issued_on"], values["expires_on"], values["issuing_level"]
    errors = []
    if issued_on and expires_on and expires_on <= issued_on:
        errors.append(_("Ngày hết hạn phải sau ngày quyết định."))
    if issued_on and level == Certificate.Level.DISTRICT and issued_on >= MERGER_DAY:
        errors.append(_("Từ 01/07/2025 không còn cấp huyện công nhận OCOP: hãy ghi cấp Tỉnh."))
    return errors


def rows_cross_check(rows: list[tuple[dict, RegistryRow | None, RowReport]]) -> None:
    """Problems between rows: a product code twice, one producer described two ways."""
    first_product_line: dict[str, int] = {}
    first_producer: dict[str, RegistryRow] = {}
    for record, row, report in rows:
        upc = report.product_code
        if upc:
            if upc in first_product_line:
                report.errors.append(_("Mã sản phẩm %(upc)s trùng với dòng %(line)s.")
                                     % {"upc": upc, "line": first_product_line[upc]})
            else:
                first_product_line[upc] = record["line"]
        if row is None:
            continue
        earlier = first_producer.setdefault(row.producer_code, row)
        if earlier is not row:
            different = [
                name for name, value in row.producer_facts().items()
                if name in earlier.producer_facts() and earlier.producer_facts()[name] != value
            ]
            if different:
                report.errors.append(
                    _("Thông tin chủ thể %(code)s khác với dòng %(line)s (%(fields)s).")
                    % {"code": row.producer_code, "line": earlier.line, "fields": _labels(_PRODUCER_LABELS, different)}
                )


_PRODUCER_LABELS = {
    "name": gettext_noop("tên chủ thể"), "kind": gettext_noop("loại hình"), "area": gettext_noop("xã/phường"),
    "street_address": gettext_noop("địa chỉ"), "phone": gettext_noop("điện thoại"), "email": gettext_noop("email"),
    "representative": gettext_noop("người đại diện"),
}


# ---------------------------------------------------------------- writing
class RowConflict(Exception):
    """A row that cannot be written as it stands (its savepoint is rolled back)."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def producer_upsert(*, row: RegistryRow) -> tuple[Partner, list[str]]:
    facts = row.producer_facts()
    producer = Partner.objects.select_for_update().filter(code=row.producer_code).first()
    if producer is not None and producer.approved_at is None:
        # A self-registered producer waiting for approval never inherits the registry's products by its code.
        raise RowConflict([_("Mã chủ thể %(code)s thuộc một hồ sơ tự đăng ký chưa được duyệt: kiểm tra rồi duyệt "
                             "hoặc đổi mã trong tệp.") % {"code": row.producer_code}])
    if producer is None:
        producer = Partner.objects.create(code=row.producer_code, approved_at=timezone.now(), **facts)
        return producer, [_("chủ thể: tạo mới")]
    changed = [name for name, value in facts.items() if getattr(producer, name) != value]
    if not changed:
        return producer, []
    for name in changed:
        setattr(producer, name, facts[name])
    producer.save(update_fields=changed)
    return producer, [_("chủ thể: cập nhật %(fields)s") % {"fields": _labels(_PRODUCER_LABELS, changed)}]


def product_upsert(*, row: RegistryRow, producer: Partner) -> tuple[Product, bool, list[str], dict]:
    """The product by upc: (product, created, changes for the report, {field: [old, new]} for its history)."""
    product_set = row.product_set
    is_alcohol = (product_set.group.number, product_set.number) in ALCOHOL_SETS
    product = Product.objects.select_for_update().filter(upc=row.product_code).first()
    if product is None:
        product = Product.objects.create(
            upc=row.product_code,
            title=row.product_name,
            structure=Product.STANDALONE,
            product_class=product_set.group.product_class,
            ocop_product_set=product_set,
            producer=producer,
            is_public=True,
            weight_grams=row.weight_grams,
            description=sanitize_html(row.description),
            is_age_restricted=is_alcohol,
        )
        product_set_link(product=product, product_set=product_set)
        return product, True, [_("sản phẩm: tạo mới")], {"title": [None, product.title]}
    if product.producer_id not in (None, producer.pk):
        raise RowConflict([_("Mã sản phẩm %(upc)s đã thuộc chủ thể khác.") % {"upc": row.product_code}])
    wanted = {"title": row.product_name, "ocop_product_set": product_set, "producer": producer}
    if row.weight_grams is not None:
        wanted["weight_grams"] = row.weight_grams
    if row.description:
        wanted["description"] = sanitize_html(row.description)
    if product.ocop_product_set_id != product_set.pk:
        wanted["product_class"] = product_set.group.product_class
    if is_alcohol:
        wanted["is_age_restricted"] = True  # never cleared here: the dashboard may have set it
    changed = [name for name, value in wanted.items() if getattr(product, name) != value]
    edits = {name: [_history_value(getattr(product, name)), _history_value(wanted[name])] for name in changed}
    for name in changed:
        setattr(product, name, wanted[name])
    if changed:
        product.save(update_fields=[*changed, "date_updated"])
    changes = [_("sản phẩm: cập nhật %(fields)s") % {"fields": _labels(_PRODUCT_LABELS, changed)}] if changed else []
    if product_set_link(product=product, product_set=product_set):
        changes.append(_("sản phẩm: cập nhật danh mục"))
    return product, False, changes, edits


def _history_value(value: Any) -> Any:
    """JSON for ProductEdit.changes: related rows by primary key, as the producer area records them."""
    return value.pk if hasattr(value, "pk") else value


_PRODUCT_LABELS = {
    "title": gettext_noop("tên"), "ocop_product_set": gettext_noop("bộ sản phẩm"), "producer": gettext_noop("chủ thể"),
    "weight_grams": gettext_noop("khối lượng"), "product_class": gettext_noop("loại sản phẩm"),
    "description": gettext_noop("mô tả"),
    "is_age_restricted": gettext_noop("giới hạn tuổi"),
}


def _labels(labels: dict[str, str], names: list[str]) -> str:
    return ", ".join(_(labels[name]) for name in names)


def stockrecord_upsert(
    *, row: RegistryRow, product: Product, producer: Partner, recorded_by=None
) -> tuple[list[str], dict]:
    """A new record gets the price and its stock (as a delivery movement); an existing one only its price, by a
    locked update (its stock and allocations belong to the shop). Returns (changes, {"price": [old, new]})."""
    price = Decimal(row.price)
    record = StockRecord.objects.filter(product=product, partner=producer).order_by("pk").first()
    if record is None:
        if row.stock is not None:
            stock = row.stock
        else:
            stock = 0 if row.product_set.group.is_shippable else SERVICE_STOCK
        record = StockRecord.objects.create(
            product=product, partner=producer, partner_sku=row.product_code, price_currency="VND",
            price=price, num_in_stock=0, num_allocated=0,
        )
        if stock:
            stock_move(stockrecord=record, delta=stock, reason=StockMovement.Reason.DELIVERY, user=recorded_by,
                       note=_("Nhập từ sổ đăng ký OCOP của tỉnh"))
        changes = [_("kho: tạo mới (giá %(price)s đ, tồn %(stock)s)") % {"price": _money(price), "stock": stock}]
        return changes, {"price": [None, int(price)]}
    locked = StockRecord.objects.select_for_update().only("pk", "price").get(pk=record.pk)
    if locked.price == price:
        return [], {}
    StockRecord.objects.filter(pk=locked.pk).update(price=price, date_updated=timezone.now())
    product_changed(locked.product_id)
    old = None if locked.price is None else int(locked.price)
    change = _("giá: %(old)s → %(new)s đ") % {"old": _money(locked.price), "new": _money(price)}
    return [change], {"price": [old, int(price)]}


def _money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{int(amount):,}".replace(",", ".")


def certificate_upsert(*, row: RegistryRow, product: Product, recorded_by=None) -> list[str]:
    """The decision by (product, decision number): recorded if missing, left alone if identical, a conflict if not."""
    existing = Certificate.objects.filter(product=product, decision_number=row.decision_number).first()
    if existing is None:
        try:
            certificate_record(
                product=product,
                decision_number=row.decision_number,
                issued_on=row.issued_on,
                stars=row.stars,
                issuing_level=row.issuing_level or Certificate.Level.PROVINCE,
                issuing_authority=row.issuing_authority,
                expires_on=row.expires_on,
                recorded_by=recorded_by,
            )
        except ValidationError as error:
            message = _("Giấy chứng nhận không hợp lệ: %(error)s") % {"error": "; ".join(error.messages)}
            raise RowConflict([message]) from error
        return [_("giấy chứng nhận %(number)s: tạo mới") % {"number": row.decision_number}]
    wanted = {"issued_on": row.issued_on, "stars": row.stars}
    if row.expires_on is not None:
        wanted["expires_on"] = row.expires_on
    if row.issuing_level is not None:
        wanted["issuing_level"] = row.issuing_level
    if row.issuing_authority:
        wanted["issuing_authority"] = row.issuing_authority
    different = [name for name, value in wanted.items() if getattr(existing, name) != value]
    if different:
        raise RowConflict([
            _("Sản phẩm %(upc)s đã có quyết định này với nội dung khác (%(fields)s).")
            % {"upc": row.product_code, "fields": _labels(_CERTIFICATE_LABELS, different)}
        ])
    return []


_CERTIFICATE_LABELS = {
    "issued_on": gettext_noop("ngày quyết định"), "stars": gettext_noop("hạng sao"),
    "expires_on": gettext_noop("ngày hết hạn"), "issuing_level": gettext_noop("cấp công nhận"),
    "issuing_authority": gettext_noop("cơ quan công nhận"),
}


def row_apply(*, row: RegistryRow, recorded_by=None) -> tuple[str, list[str]]:
    """Write one row inside its own savepoint; (action, changes). Raises RowConflict (the savepoint is undone)."""
    try:
        with transaction.atomic():
            producer, changes = producer_upsert(row=row)
            product, created, product_changes, edits = product_upsert(row=row, producer=producer)
            stock_changes, price_edits = stockrecord_upsert(
                row=row, product=product, producer=producer, recorded_by=recorded_by
            )
            changes += product_changes + stock_changes
            changes += certificate_upsert(row=row, product=product, recorded_by=recorded_by)
            if edits or price_edits:
                kind = ProductEdit.Kind.CREATED if created else ProductEdit.Kind.EDITED
                ProductEdit.objects.create(product=product, kind=kind, user=recorded_by, changes=edits | price_edits)
    except DatabaseError as error:
        raise RowConflict([_("Lỗi khi ghi dòng này: %(error)s") % {"error": error}]) from error
    if created:
        return Action.CREATED, changes
    return (Action.UPDATED if changes else Action.UNCHANGED), changes


def registry_import(
    *, data: bytes, filename: str, apply: bool, recorded_by=None, province_code: str | None = None
) -> ImportReport:
    """Check every row, then write them all in one transaction, kept only if ``apply`` and no row has an error.
    A dry run (``apply=False``) goes through the same writes and reports what they would do, then rolls back."""
    records = registry_read(data, filename)
    province_code = province_code or getattr(settings, "OCOP_PROVINCE_CODE", DEFAULT_PROVINCE_CODE)
    lookups = Lookups.load(province_code=province_code, upcs=[_text(r["product_code"]) for r in records])
    checked = []
    for record in records:
        row, errors = row_parse(record=record, lookups=lookups)
        report = RowReport(
            line=record["line"], producer_code=_text(record["producer_code"]),
            product_code=_text(record["product_code"]), action=Action.FAILED, errors=errors,
        )
        checked.append((record, row, report))
    rows_cross_check(checked)
    with transaction.atomic(), listings_deferred():  # each product's listing columns refreshed once, at the end
        for _record, row, report in checked:
            if row is None or report.errors:
                continue
            try:
                report.action, report.changes = row_apply(row=row, recorded_by=recorded_by)
            except RowConflict as conflict:
                report.errors.extend(conflict.messages)
        for _record, _row, report in checked:
            if report.errors:
                report.action = Action.FAILED
        applied = apply and all(report.ok for _record, _row, report in checked)
        if not applied:
            transaction.set_rollback(True)
    return ImportReport(rows=[report for _record, _row, report in checked], applied=applied)
