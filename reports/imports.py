"""External sales from a CSV file: a dry run with a report per row, then an apply that writes every row or none.

One row is one sale made outside this marketplace. Headers are matched without case, accents or punctuation
(shop.text.header_key), so "Ngày bán", "ngay_ban" and "NGAY BAN" are one column:

- ``Ngày bán``: dd/mm/yyyy (d/m/yyyy too) or yyyy-mm-dd; a time after the day is ignored. Not after today.
- ``Mã chủ thể`` (the producer's code) or ``Tên chủ thể`` (its name, exactly, accents optional when that is
  unambiguous); with both, they must name the same producer.
- ``Sản phẩm``: the product's barcode (UPC) or its exact title, among that producer's products (``Mã sản phẩm``
  and ``Tên sản phẩm`` columns are read the same way). Another producer's product is refused.
- ``Kênh/sàn``: the platform as typed ("Shopee", "TikTok", "Siêu thị Co.opmart"…, reports.services.platform_of);
  a name not recognised is entered as "other", with a warning.
- ``Số lượng``: a whole number above 0. ``Thành tiền``: whole dong, "1.250.000" or "1250000" (a "₫", "đ" or "VND"
  after it is fine).
- ``Ghi chú`` (optional): kept as text, whatever it starts with.

A row number is the spreadsheet's (the header is row 1 when it is the first line). Rows can carry warnings (an
unknown platform, a day in a closed period, the same sale twice) and still be applied; any error stops the whole
file. ``sales_import_apply`` checks the file again inside one transaction and writes each row through
``reports.services.sale_record`` with the file's ``SaleImport`` and ``source_key`` ``import-<sha256[:32]>-<row>``.
A file is known by its SHA-256: the same file imported again adds nothing and says when and by whom it was.
The dry run's file travels to the apply signed (django.core.signing) with its SHA-256 and the user, so what is
applied is exactly what was checked.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import hashlib
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.models import Product
from shop.errors import ActionRefused
from shop.money import number_text, whole_number_parse
from shop.spreadsheets import (
    CsvFileError,
    UploadTokenInvalid,
    cell_unescape,
    csv_table_read,
    csv_too_big_message,
    safe_writerow,
    upload_token_read,
    upload_token_sign,
)
from shop.text import fold_vietnamese, header_key

from .external import (
    MAX_AMOUNT,
    MAX_QUANTITY,
    ExternalSaleRefused,
    external_sale_check,
    note_clean,
    sold_at,
)
from .models import Platform, Sale, SaleImport
from .services import booking_date, platform_of, sale_record

Partner = get_model("partner", "Partner")

MAX_BYTES = 2_000_000  # 2 MB: far more than 5,000 rows; the signed dry run carries the file compressed
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 5  # a title line or two above the header row is allowed
TOKEN_MAX_AGE = 2 * 3600  # seconds between the dry run and its apply
TOKEN_SALT = "reports.sale-import"
EARLIEST_YEAR = 2018  # the OCOP programme's first certificates; an earlier year is a typo


class SaleImportFileError(ActionRefused):
    """The file as a whole cannot be read (empty, too big, no header, not CSV): nothing was checked or written."""


class SaleImportRefused(ActionRefused):
    """The apply wrote nothing; ``report`` says which rows stand in the way."""

    def __init__(self, report: SaleImportReport, message: str | None = None):
        self.report = report
        super().__init__(message or _("Chưa nhập gì: %(n)s dòng có lỗi, hãy sửa tệp rồi chạy thử lại.")
                         % {"n": report.error_count})


# ---------------------------------------------------------------- columns
@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template writes it
    aliases: tuple[str, ...]
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("date", "Ngày bán", ("ngay_ban", "ngày", "ngày giao dịch", "ngày bán hàng", "date", "sold on", "sale date"),
           gettext_lazy("dd/mm/yyyy hoặc yyyy-mm-dd, không sau hôm nay (bắt buộc).")),
    Column("producer_code", "Mã chủ thể", ("ma_chu_the", "mã htx", "mã cơ sở", "producer code"),
           gettext_lazy("Mã của chủ thể OCOP trên hệ thống (cần mã hoặc tên chủ thể).")),
    Column("producer_name", "Tên chủ thể", ("ten_chu_the", "chủ thể", "tên htx", "tên cơ sở", "producer",
                                            "producer name"),
           gettext_lazy("Tên chủ thể, ghi đúng như trên hệ thống.")),
    Column("product", "Sản phẩm", ("san_pham", "tên sản phẩm", "ten_san_pham", "product", "product name", "title"),
           gettext_lazy("Mã vạch hoặc tên đúng của sản phẩm, thuộc chủ thể trên dòng (bắt buộc).")),
    Column("product_code", "Mã sản phẩm", ("ma_san_pham", "mã vạch", "mã sp", "upc", "barcode", "product code"),
           gettext_lazy("Mã vạch của sản phẩm (không bắt buộc nếu cột “Sản phẩm” đã có).")),
    Column("platform", "Kênh/sàn", ("kenh_san", "kênh", "sàn", "kênh bán", "nơi bán", "sàn thương mại điện tử",
                                    "platform", "channel"),
           gettext_lazy("Shopee, TikTok Shop, Lazada, Postmart, Voso, siêu thị… (bắt buộc).")),
    Column("quantity", "Số lượng", ("so_luong", "sl", "quantity", "qty"),
           gettext_lazy("Số nguyên lớn hơn 0 (bắt buộc).")),
    Column("amount", "Thành tiền", ("thanh_tien", "số tiền", "doanh thu", "doanh số", "amount", "total"),
           gettext_lazy("Số đồng nguyên, ví dụ 1.250.000 hoặc 1250000 (bắt buộc).")),
    Column("note", "Ghi chú", ("ghi_chu", "note", "notes")),
)
REQUIRED = {"date", "platform", "quantity", "amount"}
ONE_OF = ({"producer_code", "producer_name"}, {"product", "product_code"})

HEADERS: dict[str, str] = {
    header_key(name): column.key for column in COLUMNS for name in (column.header, column.key, *column.aliases)
}


def _column(key: str) -> Column:
    return next(column for column in COLUMNS if column.key == key)


def _has_columns(keys) -> bool:
    keys = set(keys)
    return REQUIRED <= keys and all(keys & group for group in ONE_OF)


# ---------------------------------------------------------------- the report
class RowStatus(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"

    @property
    def label(self) -> str:
        return str(_ROW_STATUS_LABELS[self])


_ROW_STATUS_LABELS = {
    RowStatus.OK: gettext_lazy("hợp lệ"),
    RowStatus.WARNING: gettext_lazy("hợp lệ, có cảnh báo"),
    RowStatus.ERROR: gettext_lazy("lỗi"),
}


@dataclass
class SaleRow:
    line: int  # the spreadsheet's row number
    date_text: str = ""
    producer_code: str = ""
    producer_name: str = ""
    product_text: str = ""  # the product code column's cell, else the product column's
    platform_text: str = ""
    quantity_text: str = ""
    amount_text: str = ""
    note: str = ""
    sold_on: dt.date | None = None
    producer: object | None = field(default=None, repr=False)
    product: Product | None = field(default=None, repr=False)
    platform: str = ""
    quantity: int | None = None
    amount: Decimal | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def status(self) -> RowStatus:
        if self.errors:
            return RowStatus.ERROR
        return RowStatus.WARNING if self.warnings else RowStatus.OK

    @property
    def producer_text(self) -> str:
        return self.producer_code or self.producer_name

    @property
    def platform_label(self) -> str:
        return Platform(self.platform).label if self.platform else ""

    def facts(self) -> tuple:
        return (self.product.pk if self.product else None, self.sold_on, self.platform, self.quantity, self.amount)


@dataclass
class SaleImportReport:
    filename: str
    sha256: str
    rows: list[SaleRow]
    already: SaleImport | None = None  # the same file, imported before

    @property
    def valid_rows(self) -> list[SaleRow]:
        return [row for row in self.rows if row.ok]

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def warning_count(self) -> int:
        return sum(1 for row in self.rows if row.ok and row.warnings)

    @property
    def ok_count(self) -> int:
        return len(self.valid_rows)

    @property
    def total_quantity(self) -> int:
        return sum(row.quantity for row in self.valid_rows)

    @property
    def total_amount(self) -> Decimal:
        return sum((row.amount for row in self.valid_rows), Decimal(0))

    @property
    def by_platform(self) -> list[dict]:
        totals: dict[str, dict] = {}
        for row in self.valid_rows:
            entry = totals.setdefault(row.platform, {"platform": row.platform, "label": row.platform_label,
                                                     "rows": 0, "quantity": 0, "amount": Decimal(0)})
            entry["rows"] += 1
            entry["quantity"] += row.quantity
            entry["amount"] += row.amount
        order = {value: n for n, value in enumerate(Platform.values)}
        return sorted(totals.values(), key=lambda entry: order[entry["platform"]])

    @property
    def problems(self) -> list[str]:
        """What stands in the way of applying the file as a whole."""
        if self.already is not None:
            return [already_imported_message(self.already)]
        if self.error_count:
            return [_("%(n)s dòng có lỗi: sửa các dòng này trong tệp rồi chạy thử lại. Khi nhập, hoặc mọi dòng được "
                      "ghi, hoặc không dòng nào.") % {"n": self.error_count}]
        return []

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class SaleImportResult:
    sale_import: SaleImport
    created: int  # ledger rows written by this apply
    replayed: bool = False  # the file had already been imported: nothing written this time
    report: SaleImportReport | None = None


def already_imported_message(sale_import: SaleImport) -> str:
    when = timezone.localtime(sale_import.imported_at)
    who = sale_import.imported_by.get_full_name() or sale_import.imported_by.email
    return _("Tệp này đã được nhập ngày %(day)s lúc %(time)s bởi %(who)s (%(rows)s dòng): không nhập lại.") % {
        "day": f"{when:%d/%m/%Y}", "time": f"{when:%H:%M}", "who": who, "rows": sale_import.rows}


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sale_import_of(sha256: str) -> SaleImport | None:
    return SaleImport.objects.filter(file_sha256=sha256).select_related("imported_by").first()


# ---------------------------------------------------------------- reading the file
def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _recognises(cells: list[str]) -> bool:
    return _has_columns(HEADERS.get(header_key(cell)) for cell in cells)


def _table_read(data: bytes) -> list[list[str]]:
    try:
        return csv_table_read(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, header_rows=HEADER_SEARCH_ROWS,
                              recognises=_recognises)
    except CsvFileError as error:
        raise SaleImportFileError(str(error)) from error


def file_too_big_message(size: int) -> str:
    return csv_too_big_message(size, max_bytes=MAX_BYTES)


def _header_find(table: list[list[str]]) -> tuple[int, dict[str, int]]:
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        found = [(HEADERS[key], position) for position, key in enumerate(map(header_key, cells)) if key in HEADERS]
        keys = [key for key, _position in found]
        if not _has_columns(keys):
            continue
        doubled = [key for key, n in Counter(keys).items() if n > 1]
        if doubled:
            names = ", ".join(f"“{_column(key).header}”" for key in doubled)
            raise SaleImportFileError(_("Tệp có nhiều cột cùng nghĩa: %(columns)s. Hãy giữ lại một cột.")
                                      % {"columns": names})
        return index, dict(found)
    if all(_blank(cells) for cells in table):
        raise SaleImportFileError(_("Tệp trống."))
    raise SaleImportFileError(_(
        "Không tìm thấy dòng tiêu đề: dòng đầu của tệp phải có các cột “Ngày bán”, “Mã chủ thể” hoặc “Tên chủ thể”, "
        "“Sản phẩm”, “Kênh/sàn”, “Số lượng” và “Thành tiền”. Hãy tải tệp mẫu về và điền vào đó."))


def _rows_read(data: bytes) -> list[SaleRow]:
    table = _table_read(data)
    header_index, positions = _header_find(table)

    def cell(cells: list[str], key: str) -> str:
        position = positions.get(key)
        if position is None or position >= len(cells):
            return ""
        return cell_unescape(" ".join(cells[position].split()))

    rows = []
    for line, cells in enumerate(table[header_index + 1:], start=header_index + 2):
        if _blank(cells):
            continue
        rows.append(SaleRow(
            line=line, date_text=cell(cells, "date"), producer_code=cell(cells, "producer_code"),
            producer_name=cell(cells, "producer_name"),
            product_text=cell(cells, "product_code") or cell(cells, "product"),
            platform_text=cell(cells, "platform"), quantity_text=cell(cells, "quantity"),
            amount_text=cell(cells, "amount"), note=cell(cells, "note"),
        ))
    if not rows:
        raise SaleImportFileError(_("Tệp không có dòng nào dưới dòng tiêu đề."))
    if len(rows) > MAX_ROWS:
        raise SaleImportFileError(_("Tệp có hơn %(max)s dòng: hãy chia thành nhiều tệp.")
                                  % {"max": number_text(MAX_ROWS)})
    return rows


# ---------------------------------------------------------------- values
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?$")


def date_parse(text: str) -> dt.date:
    """dd/mm/yyyy (or d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or yyyy-mm-dd, a time after it ignored. ValueError with
    the message otherwise."""
    value = _TIME.sub("", text.strip())
    try:
        if match := _YEAR_MONTH_DAY.fullmatch(value):
            year, month, day = map(int, match.groups())
        elif match := _DAY_MONTH_YEAR.fullmatch(value):
            day, month, year = map(int, match.groups())
        else:
            raise ValueError
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("Ngày bán không hợp lệ: “%(value)s” (ghi dd/mm/yyyy, ví dụ 05/03/2026, hoặc yyyy-mm-dd).")
                         % {"value": text}) from None


def _number_parse(text: str) -> int:
    value = text.strip().replace("\u2212", "-")
    for suffix in ("VNĐ", "VND", "vnđ", "vnd", "₫", "đ", "Đ", "d"):
        value = value.removesuffix(suffix).strip()
    value = re.sub(r"^(\d+)[.,]0{1,2}$", r"\1", value)  # "1250000.00" as a spreadsheet may write it
    return whole_number_parse(value)


def quantity_parse(text: str) -> int:
    try:
        quantity = _number_parse(text)
    except ValueError:
        if text.strip().replace("\u2212", "-").startswith("-"):
            raise ValueError(_("Số lượng không được âm: “%(value)s” (hàng trả lại không nhập ở đây).")
                             % {"value": text}) from None
        raise ValueError(_("Số lượng không hợp lệ: “%(value)s” (ghi số nguyên lớn hơn 0).") % {"value": text}) from None
    if quantity <= 0:
        raise ValueError(_("Số lượng phải lớn hơn 0."))
    if quantity > MAX_QUANTITY:
        raise ValueError(_("Số lượng quá lớn: “%(value)s”.") % {"value": text})
    return quantity


def amount_parse(text: str) -> Decimal:
    try:
        amount = _number_parse(text)
    except ValueError:
        if text.strip().replace("\u2212", "-").startswith("-"):
            raise ValueError(_("Thành tiền không được âm: “%(value)s”.") % {"value": text}) from None
        raise ValueError(_("Thành tiền không hợp lệ: “%(value)s” (ghi số đồng nguyên, ví dụ 1.250.000).")
                         % {"value": text}) from None
    if amount <= 0:
        raise ValueError(_("Thành tiền phải lớn hơn 0."))
    if amount > MAX_AMOUNT:
        raise ValueError(_("Thành tiền quá lớn: “%(value)s”.") % {"value": text})
    return Decimal(amount)


def _name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


OTHER_WORDS = {"khac", "kenh khac", "other", "noi khac", "san khac"}


# ---------------------------------------------------------------- checking
def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class _Lookups:
    by_code: dict[str, object]
    by_name: dict[str, list]
    by_folded: dict[str, list]
    products: dict[int, list[Product]]  # producer id -> its products
    elsewhere: dict[str, Product]  # UPC (upper) -> a product of some producer, for the "someone else's" message
    in_ledger: dict[tuple, Sale]

    @classmethod
    def load(cls, rows: list[SaleRow]) -> _Lookups:
        codes = sorted({row.producer_code.lower() for row in rows if row.producer_code})
        typed = sorted({row.producer_name for row in rows if row.producer_name})
        names = sorted({fold_vietnamese(_name_key(name)) for name in typed} | set(typed))
        producers = {}
        for chunk in _chunks(codes):
            producers.update({p.pk: p for p in Partner.objects.filter(approved_at__isnull=False).annotate(code_key=Lower("code"))
                             .filter(code_key__in=chunk)})
        for chunk in _chunks(names):
            producers.update({p.pk: p for p in Partner.objects.filter(approved_at__isnull=False).filter(
                Q(name_folded__in=chunk) | Q(name__in=chunk))})
        by_code = {p.code.lower(): p for p in producers.values()}
        by_name, by_folded = defaultdict(list), defaultdict(list)
        for producer in sorted(producers.values(), key=lambda p: p.pk):
            by_name[_name_key(producer.name)].append(producer)
            by_folded[fold_vietnamese(_name_key(producer.name))].append(producer)
        products = defaultdict(list)
        for chunk in _chunks(sorted(producers)):
            for product in (Product.objects.filter(producer_id__in=chunk).exclude(structure=Product.PARENT)
                            .select_related("parent").order_by("pk")):
                products[product.producer_id].append(product)
        upcs = sorted({row.product_text.upper() for row in rows if row.product_text})
        elsewhere = {}
        for chunk in _chunks(upcs):
            for product in (Product.objects.annotate(upc_key=Upper("upc")).filter(upc_key__in=chunk)
                            .select_related("producer")):
                elsewhere[product.upc_key] = product
        return cls(by_code=by_code, by_name=dict(by_name), by_folded=dict(by_folded), products=dict(products),
                   elsewhere=elsewhere, in_ledger={})

    def producer_resolve(self, code: str, name: str):
        if code:
            producer = self.by_code.get(code.lower())
            if producer is None:
                return None, _("Không tìm thấy chủ thể có mã “%(code)s”.") % {"code": code}
            if name and fold_vietnamese(_name_key(name)) != fold_vietnamese(_name_key(producer.name)):
                return None, _("Mã chủ thể “%(code)s” là của %(producer)s, không phải “%(name)s”.") % {
                    "code": code, "producer": producer.name, "name": name}
            return producer, None
        exact = self.by_name.get(_name_key(name), [])
        matches = exact or self.by_folded.get(fold_vietnamese(_name_key(name)), [])
        if len(matches) == 1:
            return matches[0], None
        if matches:
            return None, _("Có %(n)s chủ thể tên “%(name)s”: hãy ghi mã chủ thể.") % {"n": len(matches), "name": name}
        return None, _("Không tìm thấy chủ thể tên “%(name)s”: hãy ghi đúng tên như trên hệ thống, hoặc mã chủ "
                       "thể.") % {"name": name}

    def product_resolve(self, producer, text: str):
        own = self.products.get(producer.pk, [])
        by_upc = [p for p in own if p.upc and p.upc.upper() == text.upper()]
        if by_upc:
            return by_upc[0], None
        by_title = [p for p in own if _name_key(p.get_title()) == _name_key(text)]
        if len(by_title) == 1:
            return by_title[0], None
        if by_title:
            return None, _("Chủ thể %(producer)s có %(n)s sản phẩm tên “%(name)s”: hãy ghi mã vạch.") % {
                "producer": producer.name, "n": len(by_title), "name": text}
        other = self.elsewhere.get(text.upper())
        if other is not None and other.producer_id != producer.pk:
            owner = other.producer.name if other.producer else _("không rõ chủ thể")
            return None, _("Sản phẩm mã “%(code)s” không thuộc %(producer)s (là của %(owner)s).") % {
                "code": text, "producer": producer.name, "owner": owner}
        return None, _("Không tìm thấy sản phẩm “%(name)s” của chủ thể %(producer)s (ghi mã vạch hoặc đúng tên "
                       "sản phẩm).") % {"name": text, "producer": producer.name}


def _row_check(row: SaleRow, lookups: _Lookups, today: dt.date, booked_on: dict[dt.date, dt.date]) -> None:
    code, name = row.producer_code, row.producer_name
    if not row.date_text:
        row.errors.append(_("Thiếu ngày bán."))
    else:
        try:
            row.sold_on = date_parse(row.date_text)
        except ValueError as error:
            row.errors.append(str(error))
        else:
            if row.sold_on > today:
                row.errors.append(_("Ngày bán %(day)s sau hôm nay.") % {"day": f"{row.sold_on:%d/%m/%Y}"})
            elif row.sold_on.year < EARLIEST_YEAR:
                row.errors.append(_("Ngày bán %(day)s quá xa (trước năm %(year)s): kiểm tra lại.")
                                  % {"day": f"{row.sold_on:%d/%m/%Y}", "year": EARLIEST_YEAR})
    if not (code or name):
        row.errors.append(_("Thiếu mã hoặc tên chủ thể."))
    else:
        row.producer, problem = lookups.producer_resolve(code, name)
        if problem:
            row.errors.append(problem)
    if not row.product_text:
        row.errors.append(_("Thiếu sản phẩm (mã vạch hoặc tên)."))
    elif row.producer is not None:
        row.product, problem = lookups.product_resolve(row.producer, row.product_text)
        if problem:
            row.errors.append(problem)
    if not row.platform_text:
        row.errors.append(_("Thiếu kênh/sàn (ví dụ Shopee, TikTok Shop, siêu thị)."))
    else:
        row.platform = platform_of(row.platform_text)
        if row.platform == Platform.OTHER and fold_vietnamese(row.platform_text).strip() not in OTHER_WORDS:
            row.warnings.append(_("Không nhận ra kênh/sàn “%(value)s”: ghi là “%(other)s”.")
                                % {"value": row.platform_text, "other": Platform.OTHER.label})
    for attribute, text, parse, missing in (
        ("quantity", row.quantity_text, quantity_parse, _("Thiếu số lượng.")),
        ("amount", row.amount_text, amount_parse, _("Thiếu thành tiền.")),
    ):
        if not text:
            row.errors.append(missing)
            continue
        try:
            setattr(row, attribute, parse(text))
        except ValueError as error:
            row.errors.append(str(error))
    if row.errors:
        return
    try:  # the one set of rules every external sale passes (reports/external.py)
        external_sale_check(producer=row.producer, product=row.product, platform=row.platform, sold_on=row.sold_on,
                            quantity=row.quantity, amount=row.amount)
    except ExternalSaleRefused as refused:
        row.errors.append(str(refused))
        return
    if row.sold_on not in booked_on:  # one look at the closed periods per day, not per row
        booked_on[row.sold_on] = booking_date(sold_at(row.sold_on))
    booked = booked_on[row.sold_on]
    if booked != row.sold_on:
        row.warnings.append(_("Ngày bán thuộc kỳ đã khoá sổ: dòng được tính vào kỳ đang mở (ngày %(day)s).")
                            % {"day": f"{booked:%d/%m/%Y}"})


def _ledger_twins(rows: list[SaleRow]) -> dict[tuple, Sale]:
    """External sales already in the ledger with the same product, day, platform, quantity and amount as a row."""
    wanted = {row.facts() for row in rows if row.ok}
    if not wanted:
        return {}
    days = [facts[1] for facts in wanted]
    found: dict[tuple, Sale] = {}
    product_ids = sorted({facts[0] for facts in wanted})
    for chunk in _chunks(product_ids):
        sales = Sale.objects.filter(
            channel=Sale.Channel.EXTERNAL, kind=Sale.Kind.SALE, product_id__in=chunk,
            occurred_at__gte=sold_at(min(days)) - dt.timedelta(days=1),
            occurred_at__lte=sold_at(max(days)) + dt.timedelta(days=1),
        ).select_related("sale_import")
        for sale in sales:
            facts = (sale.product_id, timezone.localdate(sale.occurred_at), sale.platform, sale.quantity, sale.amount)
            if facts in wanted:
                found.setdefault(facts, sale)
    return found


def _report_build(*, rows: list[SaleRow], filename: str, sha256: str) -> SaleImportReport:
    lookups = _Lookups.load(rows)
    today, booked_on = timezone.localdate(), {}
    for row in rows:
        _row_check(row, lookups, today, booked_on)
    first_line: dict[tuple, int] = {}
    twins = _ledger_twins(rows)
    for row in rows:
        if not row.ok:
            continue
        facts = row.facts()
        if facts in first_line:
            row.warnings.append(_("Giống hệt dòng %(line)s (cùng ngày, sản phẩm, kênh, số lượng, thành tiền): kiểm "
                                  "tra xem có bị lặp không.") % {"line": first_line[facts]})
        else:
            first_line[facts] = row.line
        if twin := twins.get(facts):
            source = (_("tệp %(name)s") % {"name": twin.sale_import.filename} if twin.sale_import
                      else _("nhập tay"))
            row.warnings.append(_("Sổ bán hàng đã có một dòng giống hệt (%(source)s): kiểm tra xem có bị nhập hai "
                                  "lần không.") % {"source": source})
    return SaleImportReport(filename=filename, sha256=sha256, rows=rows, already=sale_import_of(sha256))


def sales_import_check(*, data: bytes, filename: str = "") -> SaleImportReport:
    """The dry run: every row checked, nothing written. Raises SaleImportFileError when the file as a whole
    cannot be read. ``report.already`` is the earlier import of the same file, if any."""
    return _report_build(rows=_rows_read(data), filename=filename, sha256=file_sha256(data))


# ---------------------------------------------------------------- applying
def sales_import_apply(*, data: bytes, user, filename: str = "") -> SaleImportResult:
    """Write every row or none, in one transaction: SaleImportRefused (carrying the report) when any row has an
    error. The same file (by its SHA-256) imported again writes nothing and returns the first import with
    ``replayed``."""
    sha256 = file_sha256(data)
    if done := sale_import_of(sha256):
        return SaleImportResult(sale_import=done, created=0, replayed=True)
    rows = _rows_read(data)
    try:
        with transaction.atomic():
            report = _report_build(rows=rows, filename=filename, sha256=sha256)
            if report.already is not None:
                return SaleImportResult(sale_import=report.already, created=0, replayed=True, report=report)
            if not report.ok:
                raise SaleImportRefused(report)
            sale_import = SaleImport.objects.create(file_sha256=sha256, filename=(filename or "")[:255],
                                                    rows=len(report.rows), imported_by=user)
            for row in report.rows:
                sale_record(
                    channel=Sale.Channel.EXTERNAL, occurred_at=sold_at(row.sold_on), title=row.product.get_title(),
                    quantity=row.quantity, amount=row.amount, product=row.product, producer=row.producer,
                    note=_row_note(row), source_key=f"import-{sha256[:32]}-{row.line}", platform=row.platform,
                    sale_import=sale_import, import_row=row.line,
                )
    except IntegrityError:
        done = sale_import_of(sha256)  # the same file applied at the same moment by someone else
        if done is None:
            raise
        return SaleImportResult(sale_import=done, created=0, replayed=True)
    return SaleImportResult(sale_import=sale_import, created=len(report.rows), report=report)


def _row_note(row: SaleRow) -> str:
    """The note as typed; the platform's name as typed goes first when it says more than the platform does
    ("Siêu thị Co.opmart Long Xuyên", an unknown platform)."""
    typed = row.platform_text
    plain = {fold_vietnamese(str(label)) for label in (Platform(row.platform).label, row.platform)}
    parts = [typed] if fold_vietnamese(typed) not in plain | OTHER_WORDS else []
    return note_clean(" · ".join([*parts, row.note] if row.note else parts))


# ---------------------------------------------------------------- carrying the dry run to its apply
@dataclass(frozen=True)
class ImportToken:
    filename: str
    data: bytes
    sha256: str


def sales_import_token_sign(*, user, report: SaleImportReport, data: bytes) -> str:
    """The dry-run file, signed with its SHA-256 for this user (shop.spreadsheets.upload_token_sign)."""
    return upload_token_sign(data=data, salt=TOKEN_SALT, u=user.pk, h=report.sha256, n=report.filename)


def sales_import_token_read(*, token: str, user) -> ImportToken:
    """The signed dry run back, refused (SaleImportFileError) when altered, expired or made for another user."""
    try:
        payload, data = upload_token_read(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except UploadTokenInvalid as error:
        raise SaleImportFileError(str(error)) from error
    if payload.get("u") != user.pk:
        raise SaleImportFileError(_("Kết quả chạy thử này không phải của bạn: hãy tải tệp lên và chạy thử lại."))
    if file_sha256(data) != str(payload.get("h")):
        raise SaleImportFileError(_("Dữ liệu chạy thử không hợp lệ: hãy tải tệp lên và chạy thử lại."))
    return ImportToken(filename=str(payload.get("n", "")), data=data, sha256=str(payload["h"]))


# ---------------------------------------------------------------- the template
TEMPLATE_FILENAME = "mau-nhap-doanh-so-ngoai-san.csv"


def sales_import_template_csv() -> bytes:
    """The columns to fill, with one example row (UTF-8 with a BOM, so Excel shows the accents)."""
    buffer = io.StringIO()
    write = safe_writerow(csv.writer(buffer, lineterminator="\r\n").writerow)
    keys = ("date", "producer_code", "producer_name", "product", "platform", "quantity", "amount", "note")
    write([_column(key).header for key in keys])
    write([f"{timezone.localdate():%d/%m/%Y}", "htx-vi-du", "HTX Ví Dụ", "8930000000001",
           "Shopee", "2", "250.000", _("Đơn hàng số 12345 (dòng ví dụ: xoá trước khi nhập)")])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
