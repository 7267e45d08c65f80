"""The periodic report as files: one XLSX workbook (a sheet per table) or the same tables as CSV files in a zip.

Both come from the same ``report_tables``: a list of tables, each a header and rows of plain values (text, whole
numbers, money as whole dong, dates). The files are built from the ledger's figures for the period only, so a past
period's report is the same every time it is generated:

- no cell holds the time the file was made (the workbook's document properties carry it, as spreadsheets expect;
  every cell of every sheet is data, and the test compares them all);
- the CSV zip is byte for byte identical: its members carry a fixed timestamp and rows come in a fixed order.

Every text cell goes through ``shop.spreadsheets.csv_cell_safe`` (a leading = + - @ tab or CR gets an apostrophe),
and in the workbook text is also stored with the string type, so no cell is ever a formula. Money is a number of
dong (VND has no minor unit) formatted ``#,##0`` in the workbook and written as digits in the CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.spreadsheets import csv_cell_safe

from .periods import Period
from .selectors import Report, ledger_rows, report_build

TEXT, INT, ID, MONEY, DATE, DATETIME, PERCENT = "text", "int", "id", "money", "date", "datetime", "percent"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # zip members' fixed timestamp: the same data gives the same bytes
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    label: str
    kind: str = TEXT
    width: int = 16


@dataclass
class Table:
    slug: str  # the CSV file's name, ASCII
    sheet: str  # the sheet's name (at most 31 characters)
    title: str
    columns: list[Column]
    rows: Iterable[list]


def _district(area) -> str:
    return area.former_district if area is not None else ""


def _commune(area) -> str:
    return area.name if area is not None else ""


def _yes(value: bool) -> str:
    return _("Có") if value else _("Không")


# ---------------------------------------------------------------- the tables
def _summary(report: Report) -> Table:
    period, cert, modern, cover = report.period, report.certification, report.modern, report.coverage
    target = cert.target
    rows = [
        [_("Kỳ báo cáo"), period.label, "", None, period.kind_label],
        [_("Từ ngày"), period.start, "", None, ""],
        [_("Đến ngày (hết ngày)"), period.end, "", None, ""],
        [_("Hạn gửi báo cáo (trước ngày)"), period.due_before or _("không quy định"), "", None, ""],
        [_("Số liệu chứng nhận, chủ thể tính đến ngày"), report.as_of, "", None, ""],
        [_("Doanh số: số lượng (sổ bán hàng, theo ngày ghi sổ)"), report.by_channel.quantity, "", None, ""],
        [_("Doanh số: thành tiền (₫)"), report.by_channel.amount, "", None, ""],
        [
            _("Sản phẩm mới đạt 3★ trở lên từ đầu năm %(year)s") % {"year": cert.year},
            cert.new_products, f"{target.new_products_min}–{target.new_products_max}", cert.new_products_progress,
            _("trong kỳ: %(n)s; chỉ tính sản phẩm có giấy chứng nhận đầu tiên trong năm, không tính cấp lại")
            % {"n": cert.new_products_in_period},
        ],
        [
            _("Sản phẩm đạt 4★ trở lên từ đầu năm %(year)s") % {"year": cert.year},
            cert.four_star_products, target.four_star_products, cert.four_star_progress,
            _("trong kỳ: %(n)s") % {"n": cert.four_star_in_period},
        ],
        [_("Sản phẩm tiềm năng 5★ từ đầu năm %(year)s") % {"year": cert.year}, cert.potential_five_star, "", None,
         ""],
        [_("Chủ thể OCOP bán qua kênh hiện đại (%)"), modern.share, f"{modern.target_share}%", modern.progress,
         _("%(selling)s/%(total)s chủ thể; trực tuyến %(online)s, livestream %(live)s, sàn ngoài/siêu thị "
           "%(external)s") % {"selling": modern.selling, "total": modern.total, "online": modern.count("online"),
                               "live": modern.count("livestream"), "external": modern.count("external")}],
        [_("Huyện cũ có điểm giới thiệu và bán sản phẩm OCOP (%)"), cover.district_share, "100%",
         cover.district_share, _("%(covered)s/%(total)s huyện cũ") % {
             "covered": cover.districts_covered, "total": len(cover.districts)}],
        [_("Xã/phường có chủ thể OCOP và có điểm bán (%)"), cover.commune_share, "", None,
         _("%(covered)s/%(total)s xã/phường có chủ thể OCOP; toàn tỉnh %(all_covered)s/%(all)s xã/phường có điểm "
           "bán") % {"covered": cover.producer_communes_covered, "total": len(cover.producer_communes),
                     "all_covered": cover.province_communes_covered, "all": cover.province_communes}],
        [_("Giấy chứng nhận sắp hết hạn (trong %(days)s ngày)") % {"days": report.expiry.days},
         len(report.expiry.expiring), "", None, ""],
        [_("Sản phẩm đã hết hạn, chờ đánh giá lại"), len(report.expiry.expired), "", None, ""],
        [_("Phiên livestream đã phát"), len(report.live_sessions), "", None,
         _("%(q)s sản phẩm bán qua các phiên") % {"q": report.live_quantity}],
        [_("Doanh số livestream (₫)"), report.live_amount, "", None, ""],
    ]
    if target.is_default:
        rows.append([_("Chỉ tiêu kế hoạch"), _("mặc định của kế hoạch (chưa nhập chỉ tiêu năm)"), "", None, ""])
    return Table("01-tong-hop", _("Tổng hợp"), _("Chỉ tiêu so với kế hoạch"), [
        Column(_("Chỉ tiêu"), TEXT, 52), Column(_("Kết quả"), TEXT, 18), Column(_("Kế hoạch"), TEXT, 12),
        Column(_("Tỉ lệ đạt (%)"), PERCENT, 12), Column(_("Ghi chú"), TEXT, 70),
    ], rows)


def _sales(slug, sheet, title, first, second, table, *, total_label) -> Table:
    rows = []
    for row in table.rows:
        rows.append([row.label, _("Cộng") if row.children else "", row.quantity, row.amount])
        rows += [[row.label, child.label, child.quantity, child.amount] for child in row.children]
    rows.append([total_label, "", table.quantity, table.amount])
    return Table(slug, sheet, title, [
        Column(first, TEXT, 40), Column(second, TEXT, 40), Column(_("Số lượng"), INT, 12),
        Column(_("Thành tiền (₫)"), MONEY, 16),
    ], rows)


def _simple_sales(slug, sheet, title, first, table) -> Table:
    rows = [[row.label, row.quantity, row.amount] for row in table.rows]
    rows.append([_("Tổng cộng"), table.quantity, table.amount])
    return Table(slug, sheet, title, [
        Column(first, TEXT, 48), Column(_("Số lượng"), INT, 12), Column(_("Thành tiền (₫)"), MONEY, 16),
    ], rows)


def _new_certificates(report: Report) -> Table:
    rows = []
    for item in report.certification.items:
        c = item.certificate
        producer = c.product.producer
        area = producer.area if producer else None
        rows.append([_district(area), _commune(area), producer.name if producer else "", c.product.title,
                     c.decision_number, c.issued_on, c.stars, _yes(item.is_first), _yes(c.stars >= 4),
                     _yes(c.is_potential_five_star)])
    return Table("03-chung-nhan-trong-nam", _("Chứng nhận trong năm"),
                 _("Giấy chứng nhận cấp từ đầu năm %(year)s: sản phẩm mới, 4★ trở lên, tiềm năng 5★")
                 % {"year": report.certification.year}, [
        Column(_("Huyện cũ"), TEXT, 22), Column(_("Xã/phường"), TEXT, 22), Column(_("Chủ thể"), TEXT, 30),
        Column(_("Sản phẩm"), TEXT, 36), Column(_("Số quyết định"), TEXT, 18), Column(_("Ngày cấp"), DATE, 12),
        Column(_("Hạng sao"), ID, 9), Column(_("Sản phẩm mới"), TEXT, 12), Column(_("Đạt 4★ trở lên"), TEXT, 12),
        Column(_("Tiềm năng 5★"), TEXT, 12),
    ], rows)


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _expiry(report: Report) -> Table:
    rows = []
    for state, items in ((_("Sắp hết hạn"), report.expiry.expiring),
                         (_("Đã hết hạn, chờ đánh giá lại"), report.expiry.expired)):
        for item in items:
            c, producer = item.certificate, item.producer
            area = producer.area if producer else None
            rows.append([state, _district(area), _commune(area), producer.name if producer else "", c.product.title,
                         c.decision_number, c.stars, c.issued_on, c.expires_on, _absolute(item.link),
                         c.public_url()])
    return Table("09-chung-nhan-het-han", _("Chứng nhận hết hạn"),
                 _("Giấy chứng nhận sắp hết hạn (trong %(days)s ngày) và đã hết hạn chờ đánh giá lại, tính đến "
                   "%(day)s") % {"days": report.expiry.days, "day": f"{report.expiry.as_of:%d/%m/%Y}"}, [
        Column(_("Tình trạng"), TEXT, 26), Column(_("Huyện cũ"), TEXT, 22), Column(_("Xã/phường"), TEXT, 22),
        Column(_("Chủ thể"), TEXT, 30), Column(_("Sản phẩm"), TEXT, 36), Column(_("Số quyết định"), TEXT, 18),
        Column(_("Hạng sao"), ID, 9), Column(_("Ngày cấp"), DATE, 12), Column(_("Ngày hết hạn"), DATE, 12),
        Column(_("Sửa trong trang quản trị"), TEXT, 40), Column(_("Trang xác minh công khai"), TEXT, 40),
    ], rows)


def _not_modern(report: Report) -> Table:
    rows = []
    for item in report.modern.not_yet:
        p = item.producer
        rows.append([_district(p.area), _commune(p.area), p.name, p.get_kind_display(), p.phone, p.email])
    return Table("10-chu-the-chua-ban-kenh-hien-dai", _("Chưa bán kênh hiện đại"),
                 _("Chủ thể OCOP chưa bán qua kênh hiện đại trong kỳ (trực tuyến, livestream, sàn, siêu thị)"), [
        Column(_("Huyện cũ"), TEXT, 22), Column(_("Xã/phường"), TEXT, 22), Column(_("Chủ thể"), TEXT, 36),
        Column(_("Loại hình"), TEXT, 16), Column(_("Điện thoại"), TEXT, 14), Column(_("Email"), TEXT, 28),
    ], rows)


def _districts(report: Report) -> Table:
    rows = [[d.province, d.label, d.communes, d.producer_communes, len(d.showrooms), "; ".join(d.showrooms),
             _yes(d.covered)] for d in report.coverage.districts]
    return Table("11-diem-ban-theo-huyen-cu", _("Điểm bán theo huyện cũ"),
                 _("Điểm giới thiệu và bán sản phẩm OCOP đang hoạt động, theo huyện cũ"), [
        Column(_("Tỉnh"), TEXT, 14), Column(_("Huyện cũ"), TEXT, 26), Column(_("Số xã/phường"), INT, 12),
        Column(_("Xã/phường có chủ thể OCOP"), INT, 14), Column(_("Số điểm bán"), INT, 11),
        Column(_("Điểm bán"), TEXT, 50), Column(_("Có điểm bán"), TEXT, 11),
    ], rows)


def _communes(report: Report) -> Table:
    rows = [[c.commune.parent.name if c.commune.parent_id else "", c.commune.former_district, c.commune.name,
             c.producers, len(c.showrooms), "; ".join(c.showrooms)] for c in report.coverage.communes]
    return Table("12-diem-ban-theo-xa", _("Điểm bán theo xã"),
                 _("Xã/phường có chủ thể OCOP hoặc có điểm bán"), [
        Column(_("Tỉnh"), TEXT, 14), Column(_("Huyện cũ"), TEXT, 26), Column(_("Xã/phường"), TEXT, 24),
        Column(_("Số chủ thể OCOP"), INT, 12), Column(_("Số điểm bán"), INT, 11), Column(_("Điểm bán"), TEXT, 50),
    ], rows)


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def _live(report: Report) -> Table:
    rows = []
    for item in report.live_sessions:
        s = item.session
        rows.append([s.title, s.get_platform_display(), s.producer.name if s.producer else "",
                     s.host.get_full_name() if s.host else "", _local(s.actual_start), _local(s.actual_end),
                     s.get_status_display(), item.quantity, item.amount])
    rows.append([_("Tổng cộng"), "", "", "", None, None, "", report.live_quantity, report.live_amount])
    return Table("13-livestream", _("Phiên livestream"), _("Phiên livestream đã phát trong kỳ và doanh số"), [
        Column(_("Phiên"), TEXT, 40), Column(_("Nền tảng"), TEXT, 14), Column(_("Chủ thể"), TEXT, 28),
        Column(_("Người dẫn"), TEXT, 20), Column(_("Bắt đầu"), DATETIME, 17), Column(_("Kết thúc"), DATETIME, 17),
        Column(_("Trạng thái"), TEXT, 14), Column(_("Số lượng"), INT, 11), Column(_("Thành tiền (₫)"), MONEY, 16),
    ], rows)


def _source(sale) -> str:
    if sale.order_line_id:
        return _("Đơn hàng %(number)s") % {"number": sale.order_line.order.number}
    if sale.sale_import_id:
        return _("Tệp %(file)s, dòng %(row)s") % {"file": sale.sale_import.filename, "row": sale.import_row}
    key = sale.source_key or ""
    if key.startswith("shelf-movement:"):
        return _("Phiếu kho điểm bán số %(id)s") % {"id": key.split(":", 1)[1]}
    return _("Nhập tay") if key else ""


def _detail(sale) -> str:
    if sale.channel == "showroom" and sale.showroom_id:
        return sale.showroom.name
    if sale.channel == "livestream" and sale.live_session_id:
        return sale.live_session.title
    if sale.channel == "external":
        return sale.get_platform_display()
    return ""


def _ledger(period: Period) -> Table:
    def rows():
        for s in ledger_rows(period=period).iterator(chunk_size=2000):
            yield [s.booked_on, _local(s.occurred_at), s.get_kind_display(), s.get_channel_display(), _detail(s),
                   s.title, s.producer.name if s.producer_id else "", _commune(s.area), _district(s.area),
                   s.ocop_group, s.stars, s.quantity, s.amount, _source(s), s.note, s.pk,
                   s.reverses_id]

    return Table("14-so-ban-hang", _("Sổ bán hàng"), _("Các dòng sổ bán hàng ghi trong kỳ (theo ngày ghi sổ)"), [
        Column(_("Ngày ghi sổ"), DATE, 12), Column(_("Thời điểm nhận tiền"), DATETIME, 17),
        Column(_("Loại"), TEXT, 9), Column(_("Kênh"), TEXT, 26), Column(_("Chi tiết kênh"), TEXT, 26),
        Column(_("Sản phẩm"), TEXT, 36), Column(_("Chủ thể"), TEXT, 28), Column(_("Xã/phường"), TEXT, 20),
        Column(_("Huyện cũ"), TEXT, 20), Column(_("Nhóm OCOP"), ID, 10), Column(_("Hạng sao"), ID, 9),
        Column(_("Số lượng"), INT, 10), Column(_("Thành tiền (₫)"), MONEY, 15), Column(_("Nguồn"), TEXT, 26),
        Column(_("Ghi chú"), TEXT, 30), Column(_("Mã dòng"), ID, 9), Column(_("Huỷ/hoàn cho dòng"), ID, 10),
    ], rows())


def report_tables(*, report: Report) -> list[Table]:
    """The report's tables, in the order of the workbook's sheets and the zip's files."""
    return [
        _summary(report),
        _sales("02-theo-kenh", _("Theo kênh"), _("Doanh số theo kênh bán"), _("Kênh"), _("Điểm bán, phiên, sàn"),
               report.by_channel, total_label=_("Tổng cộng")),
        _new_certificates(report),
        _simple_sales("04-theo-nhom", _("Theo nhóm"), _("Doanh số theo nhóm sản phẩm OCOP"), _("Nhóm OCOP"),
                      report.by_group),
        _simple_sales("05-theo-hang-sao", _("Theo hạng sao"), _("Doanh số theo hạng sao khi bán"), _("Hạng sao"),
                      report.by_stars),
        _sales("06-theo-dia-ban", _("Theo địa bàn"), _("Doanh số theo địa bàn của chủ thể (huyện cũ, xã/phường)"),
               _("Huyện cũ"), _("Xã/phường"), report.by_area, total_label=_("Tổng cộng")),
        _expiry(report),
        _not_modern(report),
        _districts(report),
        _communes(report),
        _live(report),
        _ledger(report.period),
    ]


# ---------------------------------------------------------------- cells
def _plain(value, kind):
    """A cell's value for a CSV file."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return csv_cell_safe(value) if isinstance(value, str) else value


def table_csv(table: Table) -> bytes:
    """One table as CSV, UTF-8 with a byte-order mark (so Excel reads Vietnamese), header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell_safe(c.label) for c in table.columns])
    for row in table.rows:
        writer.writerow([_plain(value, column.kind) for value, column in zip(row, table.columns, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_csv_zip(*, period: Period, today: dt.date | None = None) -> bytes:
    """Every table as a CSV file in one zip archive (same data, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in report_tables(report=report_build(period=period, today=today)):
            info = zipfile.ZipInfo(f"{table.slug}.csv", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, table_csv(table))
    return buffer.getvalue()


def report_xlsx(*, period: Period, today: dt.date | None = None) -> bytes:
    """The workbook: one sheet per table, a title and the period on top, the header frozen, money as numbers."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    report = report_build(period=period, today=today)
    workbook = Workbook(write_only=True)
    workbook.properties.title = _("Báo cáo OCOP: %(period)s") % {"period": period.label}
    workbook.properties.creator = "OCOP An Giang"
    bold, heading = Font(bold=True), Font(bold=True, size=13)
    fill = PatternFill("solid", fgColor="D9ECDF")
    wrap = Alignment(wrap_text=True, vertical="top")
    formats = {ID: "0", PERCENT: "0", DATE: "DD/MM/YYYY", DATETIME: "DD/MM/YYYY HH:MM"}  # other numbers: #,##0

    def cell(sheet, value, kind=TEXT, font=None, header=False):
        if isinstance(value, str):  # control characters (a typed note) would make openpyxl refuse the whole file
            value = csv_cell_safe(ILLEGAL_CHARACTERS_RE.sub("", value))
        made = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            made.data_type = "s"  # text, never a formula
        elif isinstance(value, dt.datetime):
            made.number_format = formats[DATETIME]
        elif isinstance(value, dt.date):
            made.number_format = formats[DATE]
        elif isinstance(value, (int, Decimal)):
            made.number_format = formats.get(kind, "#,##0")
        if font is not None:
            made.font = font
        if header:
            made.fill, made.alignment = fill, wrap
        return made

    for table in report_tables(report=report):
        sheet = workbook.create_sheet(table.sheet[:31])
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A5"
        sheet.append([cell(sheet, table.title, font=heading)])
        sheet.append([cell(sheet, f"{period.label} ({period.window_text})")])
        sheet.append([])
        sheet.append([cell(sheet, c.label, font=bold, header=True) for c in table.columns])
        for row in table.rows:
            sheet.append([cell(sheet, value, column.kind) for value, column in zip(row, table.columns, strict=True)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def report_filename(*, period: Period, extension: str) -> str:
    return f"bao-cao-ocop-{period.value.replace('..', '_')}.{extension}"

