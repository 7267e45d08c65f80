"""A showroom's stock count from a CSV file: a dry run with a report per row, then an apply that writes every row
or none.

The file is what ``showrooms.exports.shelf_export_csv`` writes (a clerk exports, counts, fills in
``so_luong_dem`` and imports), or any CSV with a header row naming at least the product code and the counted
quantity. Headers are matched without case, accents or punctuation, so "Mã sản phẩm", "ma_san_pham" and "SKU"
are one column.

Rules, row by row (the row number is the spreadsheet's, the header being row 1):

- ``ma_diem`` (optional column): a row naming another showroom is refused. A file is imported into one
  showroom, the one in the URL, and a clerk of two showrooms imports each one's file into its own page.
- ``ma_san_pham``: the product's barcode (UPC) or its producer's SKU (stock record ``partner_sku``), without
  case. Unknown, or a producer SKU shared by several products: refused.
- ``so_luong_dem``: a whole number ≥ 0, "1.200" style accepted. Blank: the row is skipped (not counted is not
  zero); negative, fractional or words: refused.
- The same product twice (by either code): the second and later rows are refused, naming the first.
- A product without a valid OCOP certificate: refused when it is not on this showroom's shelf (a count never
  brings an uncertified product onto the shelf); when it is on the shelf, a count at or below the books is
  recorded (counting is not selling: missing goods must be written off) but a count above is refused, as
  ``shelf_adjust`` refuses a positive correction for it.
- A count below the units held for pickup orders: refused (the shelf service would refuse it too).

``stock_count_apply`` re-reads the file with the shelf rows locked (primary-key order), refuses the whole file
if any row has an error or if a level changed since the dry run the clerk looked at, and otherwise writes each
difference through ``shelf_count`` inside one transaction: a refusal on row 7 rolls back rows 1-6. Counts are
absolute, so the same file applied again finds every difference 0 and writes nothing; a request key (the signed
dry run's) makes a double-submitted apply return the first result.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.models import Product
from shop.spreadsheets import (
    CsvFileError,
    UploadTokenInvalid,
    cell_unescape,
    csv_table_read,
    upload_token_read,
    upload_token_sign,
)
from shop.errors import ActionRefused
from shop.money import whole_number_parse
from shop.text import header_key

from .models import ShelfStock, Showroom, StockMovement
from .services import IMPORT_KEY_PREFIX, ShelfRefused, shelf_count, shelves_lock

StockRecord = get_model("partner", "StockRecord")

MAX_BYTES = 1_000_000  # 1 MB: about 10,000 rows of an export; the signed dry run carries it compressed
MAX_ROWS = 5000
MAX_COUNT = 1_000_000  # a count above this is a typo (a barcode in the wrong column), not a shelf
HEADER_SEARCH_ROWS = 5  # a title line or two above the header row is allowed
TOKEN_MAX_AGE = 2 * 3600  # seconds between the dry run and its apply
TOKEN_SALT = "showrooms.stock-count"


class CountFileError(ActionRefused):
    """The file as a whole cannot be read (empty, too big, no header, not CSV): nothing was checked or written."""


class CountRefused(ActionRefused):
    """The apply wrote nothing; ``report`` says which rows stand in the way."""

    def __init__(self, report: CountReport, message: str | None = None):
        self.report = report
        super().__init__(message or _("Chưa cập nhật gì: %(n)s dòng có lỗi, hãy sửa tệp rồi chạy thử lại.")
                         % {"n": report.error_count})


# ---------------------------------------------------------------- columns
@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the export writes it
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("showroom", "ma_diem", ("mã điểm", "mã điểm bán", "điểm bán", "showroom", "showroom code")),
    Column("sku", "ma_san_pham", ("mã sản phẩm", "mã sp", "mã vạch", "sku", "upc", "barcode", "product code"), True),
    Column("name", "ten_san_pham", ("tên sản phẩm", "tên sp", "name", "product name", "title")),
    Column("counted", "so_luong_dem", ("số lượng đếm", "số đếm", "số lượng thực tế", "đếm được", "counted", "count"),
           True),
)


HEADERS: dict[str, str] = {
    header_key(name): column.key for column in COLUMNS for name in (column.header, column.key, *column.aliases)
}


# ---------------------------------------------------------------- the report
class RowStatus(enum.StrEnum):
    CHANGE = "change"  # the count differs from the books: a correction will be written
    SAME = "same"  # the count agrees with the books
    SKIPPED = "skipped"  # no count written on the row
    ERROR = "error"

    @property
    def label(self) -> str:
        return str(_ROW_STATUS_LABELS[self])


_ROW_STATUS_LABELS = {
    RowStatus.CHANGE: gettext_lazy("điều chỉnh"),
    RowStatus.SAME: gettext_lazy("khớp sổ"),
    RowStatus.SKIPPED: gettext_lazy("bỏ qua"),
    RowStatus.ERROR: gettext_lazy("lỗi"),
}


@dataclass
class CountRow:
    line: int  # the spreadsheet's row number (the header is row 1 when it is the first line)
    sku: str
    title: str
    product_id: int | None = None
    current: int | None = None  # the shelf level now (0 when the product is not on this shelf yet)
    reserved: int = 0
    counted: int | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: bool = False
    product: Product | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def delta(self) -> int | None:
        if self.errors or self.skipped or self.counted is None or self.current is None:
            return None
        return self.counted - self.current

    @property
    def status(self) -> RowStatus:
        if self.errors:
            return RowStatus.ERROR
        if self.skipped:
            return RowStatus.SKIPPED
        return RowStatus.CHANGE if self.delta else RowStatus.SAME


@dataclass
class CountReport:
    showroom_code: str
    filename: str
    rows: list[CountRow]

    @property
    def counted_rows(self) -> list[CountRow]:
        """Rows that would be applied (a correction or a confirmation)."""
        return [row for row in self.rows if row.status in (RowStatus.CHANGE, RowStatus.SAME)]

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def change_count(self) -> int:
        return sum(1 for row in self.rows if row.status == RowStatus.CHANGE)

    @property
    def same_count(self) -> int:
        return sum(1 for row in self.rows if row.status == RowStatus.SAME)

    @property
    def skipped_count(self) -> int:
        return sum(1 for row in self.rows if row.status == RowStatus.SKIPPED)

    @property
    def problems(self) -> list[str]:
        """What stands in the way of applying the file as a whole."""
        problems = []
        if self.error_count:
            problems.append(_("%(n)s dòng có lỗi: sửa các dòng này trong tệp rồi chạy thử lại. Khi áp dụng, hoặc mọi "
                              "dòng được ghi, hoặc không dòng nào.") % {"n": self.error_count})
        elif not self.counted_rows:
            problems.append(_("Không có dòng nào ghi số đếm (cột “so_luong_dem”): không có gì để áp dụng."))
        return problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def levels(self) -> dict[str, int]:
        """The level of each counted product as this report saw it (the dry run carries it to the apply)."""
        return {str(row.product_id): row.current for row in self.counted_rows}


@dataclass
class CountResult:
    report: CountReport
    changed: int  # movements written
    unchanged: int  # rows that agreed with the books
    replayed: bool = False  # the same apply had already been done: nothing written this time


# ---------------------------------------------------------------- reading the file
def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _recognises(cells: list[str]) -> bool:
    return {"sku", "counted"} <= {HEADERS.get(header_key(cell)) for cell in cells}


def _table_read(data: bytes) -> list[list[str]]:
    """The file's rows (shop.spreadsheets.csv_table_read: UTF-8 with or without a BOM, UTF-16, Windows-1258;
    comma, semicolon or tab). Only codes and numbers are read from the file, so a name garbled by a wrong guess
    costs nothing."""
    try:
        return csv_table_read(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, header_rows=HEADER_SEARCH_ROWS,
                              recognises=_recognises)
    except CsvFileError as error:
        raise CountFileError(str(error)) from error


def _header_find(table: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The header row (the first of the top rows naming the code and count columns): (index, {key: position})."""
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        found = [(HEADERS[key], position) for position, key in enumerate(map(header_key, cells)) if key in HEADERS]
        keys = [key for key, _position in found]
        if not {"sku", "counted"} <= set(keys):
            continue
        doubled = [key for key, n in Counter(keys).items() if n > 1]
        if doubled:
            names = ", ".join(f"“{_column(key).header}”" for key in doubled)
            raise CountFileError(_("Tệp có nhiều cột cùng nghĩa: %(columns)s. Hãy giữ lại một cột.")
                                 % {"columns": names})
        return index, dict(found)
    if all(_blank(cells) for cells in table):
        raise CountFileError(_("Tệp trống."))
    raise CountFileError(
        _("Không tìm thấy dòng tiêu đề: dòng đầu của tệp phải có các cột “ma_san_pham” (mã vạch hoặc mã SKU) và "
          "“so_luong_dem” (số đếm được). Hãy tải tệp mẫu về và điền vào đó.")
    )


def _column(key: str) -> Column:
    return next(column for column in COLUMNS if column.key == key)


@dataclass
class _Record:
    line: int
    showroom: str
    sku: str
    name: str
    counted: str


def _records_read(data: bytes) -> list[_Record]:
    table = _table_read(data)
    header_index, positions = _header_find(table)

    def cell(cells: list[str], key: str) -> str:
        position = positions.get(key)
        if position is None or position >= len(cells):
            return ""
        return cell_unescape(" ".join(cells[position].split()))

    records = [
        _Record(line=line, showroom=cell(cells, "showroom"), sku=cell(cells, "sku"), name=cell(cells, "name"),
                counted=cell(cells, "counted"))
        for line, cells in enumerate(table[header_index + 1:], start=header_index + 2)
        if not _blank(cells)
    ]
    if not records:
        raise CountFileError(_("Tệp không có dòng nào dưới dòng tiêu đề."))
    if len(records) > MAX_ROWS:
        raise CountFileError(_("Tệp có hơn %(max)s dòng: hãy chia thành nhiều tệp.") % {"max": MAX_ROWS})
    return records


# ---------------------------------------------------------------- checking
def _count_parse(text: str) -> int:
    """The counted quantity; ValueError carrying the clerk's message otherwise."""
    value = text.replace("\u2212", "-").strip()
    if value.startswith("-"):
        try:
            whole_number_parse(value[1:])
        except ValueError:
            pass
        else:
            raise ValueError(_("Số đếm không được âm: “%(value)s”.") % {"value": text})
    try:
        counted = whole_number_parse(value)
    except ValueError:
        raise ValueError(_("Số đếm không hợp lệ: “%(value)s” (ghi số nguyên từ 0 trở lên, ví dụ 12 hoặc 1.200).")
                         % {"value": text}) from None
    if counted > MAX_COUNT:
        raise ValueError(_("Số đếm quá lớn: “%(value)s”.") % {"value": text})
    return counted


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class _Lookups:
    by_upc: dict[str, Product]
    by_sku: dict[str, list[int]]
    products: dict[int, Product]
    certified: set[int]
    shelves: dict[int, ShelfStock]

    @classmethod
    def load(cls, *, showroom: Showroom, skus: list[str], lock: bool) -> _Lookups:
        keys = sorted({sku.upper() for sku in skus if sku})
        products: dict[int, Product] = {}
        by_upc: dict[str, Product] = {}
        by_sku: dict[str, list[int]] = {}
        sellable = Product.objects.exclude(structure=Product.PARENT).select_related("parent")
        for chunk in _chunks(keys):
            for product in sellable.annotate(upc_key=Upper("upc")).filter(upc_key__in=chunk):
                by_upc[product.upc_key] = products[product.pk] = product
            for code, product_id in (
                StockRecord.objects.annotate(sku_key=Upper("partner_sku")).filter(sku_key__in=chunk)
                .exclude(product__structure=Product.PARENT).values_list("sku_key", "product_id").distinct()
            ):
                by_sku.setdefault(code, []).append(product_id)
        missing = {pk for ids in by_sku.values() for pk in ids} - set(products)
        products.update({p.pk: p for p in sellable.filter(pk__in=missing)})
        ids = sorted(products)
        certified: set[int] = set()
        for chunk in _chunks(ids):
            certified.update(Product.objects.certified().filter(pk__in=chunk).values_list("pk", flat=True))
        # under lock, the rows of the whole file at once and in primary-key order (as every shelf writer locks)
        rows = ShelfStock.objects.filter(showroom=showroom, product_id__in=ids).order_by("pk")
        if lock:
            rows = rows.select_for_update()
        shelves = {row.product_id: row for row in rows}
        return cls(by_upc=by_upc, by_sku=by_sku, products=products, certified=certified, shelves=shelves)

    def resolve(self, sku: str) -> tuple[Product | None, str | None]:
        key = sku.upper()
        if key in self.by_upc:
            return self.by_upc[key], None
        ids = sorted(set(self.by_sku.get(key, [])))
        if len(ids) > 1:
            return None, _("Mã “%(sku)s” là mã SKU của %(n)s sản phẩm khác nhau: hãy ghi mã vạch của sản phẩm.") % {
                "sku": sku, "n": len(ids)}
        if ids:
            return self.products[ids[0]], None
        return None, _("Không tìm thấy sản phẩm có mã “%(sku)s”.") % {"sku": sku}


def _report_build(*, showroom: Showroom, records: list[_Record], filename: str, lock: bool) -> CountReport:
    lookups = _Lookups.load(showroom=showroom, skus=[r.sku for r in records], lock=lock)
    rows: list[CountRow] = []
    first_line: dict[object, int] = {}
    for record in records:
        row = CountRow(line=record.line, sku=record.sku, title=record.name)
        rows.append(row)
        if record.showroom and record.showroom.strip().lower() != showroom.code.lower():
            row.errors.append(
                _("Dòng của điểm bán khác (“%(other)s”): tệp này chỉ nhập cho %(name)s (mã “%(code)s”).")
                % {"other": record.showroom, "name": showroom.name, "code": showroom.code}
            )
            continue
        if not record.counted:
            row.skipped = True
            row.notes.append(_("Chưa ghi số đếm: bỏ qua dòng này.") if record.sku else _("Không có mã và số đếm."))
            if record.sku and (product := lookups.resolve(record.sku)[0]):
                shelf = lookups.shelves.get(product.pk)
                row.product_id, row.title, row.current = product.pk, product.get_title(), shelf.quantity if shelf else 0
            continue
        if not record.sku:
            row.errors.append(_("Thiếu mã sản phẩm (cột “ma_san_pham”)."))
        try:
            row.counted = _count_parse(record.counted)
        except ValueError as error:
            row.errors.append(str(error))
        if not record.sku:
            continue
        product, problem = lookups.resolve(record.sku)
        duplicate_key = product.pk if product else record.sku.upper()
        if duplicate_key in first_line:
            row.errors.append(_("Trùng sản phẩm với dòng %(line)s: mỗi sản phẩm chỉ ghi một dòng.")
                              % {"line": first_line[duplicate_key]})
        else:
            first_line[duplicate_key] = record.line
        if product is None:
            row.errors.append(problem)
            continue
        row.product, row.product_id, row.title = product, product.pk, product.get_title()
        shelf = lookups.shelves.get(product.pk)
        row.current = shelf.quantity if shelf else 0
        row.reserved = shelf.reserved if shelf else 0
        if row.counted is None:
            continue
        if product.pk not in lookups.certified:
            if shelf is None:
                row.errors.append(_("Sản phẩm không có chứng nhận OCOP hiệu lực và chưa có trên kệ điểm này: không "
                                    "nhập lên kệ được."))
            elif row.counted > row.current:
                row.errors.append(_("Sản phẩm không còn chứng nhận OCOP hiệu lực: kiểm kê chỉ ghi bớt, không tăng số "
                                    "trên kệ (đang có %(current)s).") % {"current": row.current})
            else:
                row.notes.append(_("Không còn chứng nhận OCOP: không bán được, chỉ ghi số đếm."))
        if row.counted < row.reserved:
            row.errors.append(_("Đang giữ %(reserved)s sản phẩm cho khách đặt trước: số đếm không được ít hơn. Hãy "
                                "giao hoặc huỷ các đơn giữ hàng trước.") % {"reserved": row.reserved})
        if shelf is None and not row.errors and row.counted:
            row.notes.append(_("Chưa có trên kệ điểm này: sẽ thêm mới."))
    return CountReport(showroom_code=showroom.code, filename=filename, rows=rows)


def stock_count_parse(*, showroom: Showroom, data: bytes, filename: str = "") -> CountReport:
    """The dry run: every row checked against the books, nothing written. Raises CountFileError when the file
    as a whole cannot be read."""
    return _report_build(showroom=showroom, records=_records_read(data), filename=filename, lock=False)


# ---------------------------------------------------------------- applying
def stock_count_apply(
    *,
    showroom: Showroom,
    data: bytes,
    actor,
    filename: str = "",
    expected_levels: dict[str, int] | None = None,
    request_key: str | None = None,
) -> CountResult:
    """Write every counted row, or none: CountRefused (carrying the report) when any row has an error, when a
    level differs from ``expected_levels`` (what the dry run showed), or when the shelf service refuses a row.
    ``request_key`` (≤ 58 characters) marks the movements, so the same apply sent twice writes once."""
    records = _records_read(data)
    note = _("Kiểm kê từ tệp %(name)s") % {"name": filename} if filename else _("Kiểm kê từ tệp")
    key = f"{IMPORT_KEY_PREFIX}{request_key}" if request_key else None
    with transaction.atomic():
        report = _report_build(showroom=showroom, records=records, filename=filename, lock=True)
        if key and (done := StockMovement.objects.filter(showroom=showroom, request_key=key).count()):
            return CountResult(report=report, changed=done, unchanged=len(report.counted_rows) - done, replayed=True)
        if not report.ok:
            raise CountRefused(report, message=" ".join(report.problems))
        if expected_levels is not None:
            _levels_check(report=report, expected=expected_levels)
        changing = sorted({row.product.pk for row in report.counted_rows if row.delta})
        shelves_lock(showroom=showroom, product_ids=changing)  # new rows too, all in primary-key order: no deadlock
        changed = 0
        for row in report.counted_rows:
            if not row.delta:
                continue
            try:
                movement = shelf_count(showroom=showroom, product=row.product, counted=row.counted, actor=actor,
                                       note=note, request_key=key)
            except ShelfRefused as refused:
                row.errors.append(str(refused))
                continue
            if movement is None:  # a shelf row created meanwhile already holds the count
                continue
            if movement.balance - movement.delta != row.current:
                row.errors.append(_("Số trên kệ vừa thay đổi trong lúc cập nhật: hãy chạy thử lại."))
                continue
            changed += 1
        if report.error_count:
            raise CountRefused(report)  # leaving the block rolls back every row already written
    return CountResult(report=report, changed=changed, unchanged=len(report.counted_rows) - changed)


def _levels_check(*, report: CountReport, expected: dict[str, int]) -> None:
    stale = False
    for row in report.counted_rows:
        seen = expected.get(str(row.product_id))
        if seen != row.current:
            stale = True
            row.errors.append(_("Số trên kệ đã thay đổi từ lúc chạy thử (lúc đó %(seen)s, bây giờ %(now)s).")
                              % {"seen": "—" if seen is None else seen, "now": row.current})
    if stale:
        raise CountRefused(report, message=_(
            "Chưa cập nhật gì: số trên kệ của %(n)s sản phẩm đã thay đổi từ lúc chạy thử (có bán hoặc nhận hàng). "
            "Hãy tải tệp lên và chạy thử lại để xem số mới.") % {"n": report.error_count})


# ---------------------------------------------------------------- carrying the dry run to its apply
@dataclass(frozen=True)
class CountToken:
    filename: str
    data: bytes
    levels: dict[str, int]
    request_key: str


def stock_count_token_sign(*, showroom: Showroom, user, report: CountReport, data: bytes) -> str:
    """The dry-run file, signed for this showroom and user with the levels the clerk saw
    (shop.spreadsheets.upload_token_sign)."""
    nonce = secrets.token_hex(8)
    return upload_token_sign(
        data=data, salt=TOKEN_SALT, s=showroom.code, u=user.pk, n=report.filename, l=report.levels(),
        k=hashlib.sha256(nonce.encode() + data).hexdigest()[:40],
    )


def stock_count_token_read(*, token: str, showroom: Showroom, user) -> CountToken:
    """The signed dry run back, refused (CountFileError) when altered, expired, or made for another showroom or
    another user."""
    try:
        payload, data = upload_token_read(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except UploadTokenInvalid as error:
        raise CountFileError(str(error)) from error
    if payload.get("s") != showroom.code or payload.get("u") != user.pk:
        raise CountFileError(_("Kết quả chạy thử này không phải của điểm bán này: hãy tải tệp lên và chạy thử lại."))
    try:
        return CountToken(filename=str(payload["n"]), data=data, levels=dict(payload["l"]),
                          request_key=str(payload["k"]))
    except (KeyError, TypeError, ValueError) as error:
        raise CountFileError(_("Dữ liệu chạy thử không hợp lệ: hãy tải tệp lên và chạy thử lại.")) from error
