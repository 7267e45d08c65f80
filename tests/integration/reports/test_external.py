"""External sales through the service (reports/external.py) and the CSV import (reports/imports.py): one ledger row
per sale, through sale_record, with its platform, producer and product; all or nothing; a file once."""

import csv
import datetime as dt
import io
import unicodedata
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from reports.external import ExternalSaleRefused, external_sale_enter
from reports.imports import (
    SaleImportFileError,
    SaleImportRefused,
    date_parse,
    sales_import_apply,
    sales_import_check,
    sales_import_template_csv,
)
from reports.models import ClosedPeriod, Platform, Sale, SaleImport
from shop.listings.services import ListingRefused, external_sale_record
from shop.spreadsheets import csv_text_decode
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.showrooms import an_giang_commune

pytestmark = pytest.mark.django_db

HEADER = ["Ngày bán", "Mã chủ thể", "Tên chủ thể", "Sản phẩm", "Kênh/sàn", "Số lượng", "Thành tiền", "Ghi chú"]


@pytest.fixture
def world():
    area = an_giang_commune()
    mine = make_producer(name="HTX Mắm Châu Đốc", code="htx-mam-chau-doc", area=area)
    theirs = make_producer(name="HTX Đường Thốt Nốt", code="htx-duong-thot-not", area=area)
    mam = make_certified_product(title="Mắm cá linh", producer=mine, stars=4)
    kho = make_certified_product(title="Khô cá tra", producer=mine, stars=3)
    duong = make_certified_product(title="Đường thốt nốt", producer=theirs)
    user = get_user_model().objects.create_user(email="canbo@example.vn", password="x", first_name="Lan",
                                                last_name="Nguyễn")
    user.is_staff = True
    user.save()
    return {"mine": mine, "theirs": theirs, "mam": mam, "kho": kho, "duong": duong, "user": user, "area": area}


def today():
    return timezone.localdate()


def csv_bytes(rows, *, header=HEADER, encoding="utf-8-sig", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def cp1258(text: str) -> bytes:
    """Text as Excel on a Vietnamese Windows saves it: letters with ă/â/ê/ô/ơ/ư/đ precomposed, tone marks apart."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
                   + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def row(world, *, day=None, product=None, platform="Shopee", quantity="2", amount="250.000", note="", code=None):
    day = day or today() - dt.timedelta(days=3)
    product = product or world["mam"]
    return [f"{day:%d/%m/%Y}", code if code is not None else product.producer.code, "", product.upc, platform,
            quantity, amount, note]


# ---------------------------------------------------------------- one sale entered
def test_an_entered_sale_is_one_external_row_with_its_platform_and_facts(world):
    sold_on = today() - dt.timedelta(days=2)
    sale = external_sale_enter(producer=world["mine"], product=world["mam"], platform=Platform.TIKTOK_SHOP,
                               sold_on=sold_on, quantity=3, amount=Decimal(360000), user=world["user"],
                               note="  Đơn   TT-991 ", key="k-1")
    assert Sale.objects.count() == 1
    assert (sale.channel, sale.kind, sale.platform, sale.producer, sale.product) == (
        "external", "sale", "tiktok_shop", world["mine"], world["mam"])
    assert (sale.quantity, sale.amount, sale.note, sale.title) == (3, Decimal(360000), "Đơn TT-991", "Mắm cá linh")
    assert timezone.localtime(sale.occurred_at).date() == sold_on and sale.booked_on == sold_on
    assert (sale.area_id, sale.ocop_group, sale.stars) == (world["area"].pk, 1, 4)
    assert sale.source_key == f"external-{world['mine'].pk}-k-1"
    assert sale.entered_by == world["user"]


def test_the_same_key_twice_is_one_row_and_other_facts_under_it_are_refused(world):
    args = dict(producer=world["mine"], product=world["mam"], platform="shopee", sold_on=today(), quantity=1,
                amount=99000, user=world["user"], key="same")
    first, second = external_sale_enter(**args), external_sale_enter(**args)
    assert first.pk == second.pk and Sale.objects.count() == 1
    with pytest.raises(ExternalSaleRefused, match="đã được gửi với nội dung khác"):
        external_sale_enter(**{**args, "amount": 98000})
    with pytest.raises(ExternalSaleRefused, match="đã được gửi với nội dung khác"):
        external_sale_enter(**{**args, "sold_on": today() - dt.timedelta(days=1)})
    assert Sale.objects.count() == 1


def test_control_characters_in_a_note_are_dropped(world):
    sale = external_sale_enter(producer=world["mine"], product=world["mam"], platform="shopee", sold_on=today(),
                               quantity=1, amount=99000, user=world["user"], note="đơn\x07hàng\x1b 12")
    assert sale.note == "đơn hàng 12"


@pytest.mark.parametrize("change, message", [
    ({"product": "duong"}, "không thuộc chủ thể"),
    ({"sold_on": 1}, "không được sau hôm nay"),
    ({"quantity": 0}, "Số lượng"),
    ({"quantity": -2}, "Số lượng"),
    ({"amount": Decimal("1000.5")}, "đồng nguyên"),
    ({"amount": 0}, "đồng nguyên"),
    ({"platform": "Shopee"}, "Nơi bán"),  # a name as typed is mapped by the caller (platform_of), not here
])
def test_what_the_ledger_must_not_hold_is_refused_and_nothing_is_written(world, change, message):
    args = dict(producer=world["mine"], product=world["mam"], platform="shopee", sold_on=today(), quantity=1,
                amount=50000, user=world["user"], key="")
    if "product" in change:
        change = {"product": world[change["product"]]}
    if "sold_on" in change:
        change = {"sold_on": today() + dt.timedelta(days=change["sold_on"])}
    with pytest.raises(ExternalSaleRefused, match=message):
        external_sale_enter(**{**args, **change})
    assert not Sale.objects.exists()


def test_the_producers_own_service_goes_through_the_same_function(world):
    sale = external_sale_record(producer=world["mine"], product=world["kho"], quantity=2, amount=Decimal(80000),
                                platform="siêu thị Co.opmart Long Xuyên", sold_on=today(), user=world["user"],
                                key="p-1")
    assert (sale.platform, sale.note, sale.source_key) == ("supermarket", "siêu thị Co.opmart Long Xuyên",
                                                           f"external-{world['mine'].pk}-p-1")
    chosen = external_sale_record(producer=world["mine"], product=world["kho"], quantity=1, amount=Decimal(40000),
                                  platform="lazada", sold_on=today(), user=world["user"], key="p-2", note="Đơn 7")
    assert (chosen.platform, chosen.note) == ("lazada", "Đơn 7")
    with pytest.raises(ListingRefused):
        external_sale_record(producer=world["mine"], product=world["duong"], quantity=1, amount=Decimal(1000),
                             platform="Shopee", sold_on=today(), user=world["user"], key="p-3")
    assert Sale.objects.count() == 2


# ---------------------------------------------------------------- reading a file
def test_dates_are_read_day_first_or_iso():
    assert date_parse("05/03/2026") == date_parse("5/3/2026") == date_parse("2026-03-05") == dt.date(2026, 3, 5)
    assert date_parse("05/03/2026 14:30") == date_parse("2026-03-05 14:30:00") == dt.date(2026, 3, 5)
    for bad in ("03/25/2026", "2026/13/01", "hôm qua", "31/02/2026"):
        with pytest.raises(ValueError):
            date_parse(bad)


def test_the_shared_decoder_reads_utf8_with_and_without_bom_utf16_and_windows_1258():
    text = "Ngày bán,Sản phẩm\r\n01/02/2026,Nước mắm\r\n"
    for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("utf-16"), cp1258(text)):
        assert csv_text_decode(data) == text


def test_the_dry_run_checks_every_row_and_writes_nothing(world):
    day = today() - dt.timedelta(days=5)
    data = csv_bytes([
        row(world, day=day),
        [f"{day:%Y-%m-%d}", "", "htx mam chau doc", "Khô cá tra", "Voso", "1", "1250000 ₫", ""],  # name, title
        row(world, platform="Chợ phiên", quantity="4", amount="1.000.000"),  # unknown platform: a warning
        row(world, product=world["duong"], code=world["mine"].code),  # another producer's product
        row(world, day=today() + dt.timedelta(days=1)),
        row(world, quantity="-1"),
        row(world, amount="12,5"),
        row(world, code="khong-co"),
        [f"{day:%d/%m/%Y}", "", "", world["mam"].upc, "Shopee", "1", "1000", ""],
    ])
    report = sales_import_check(data=data, filename="thang-3.csv")
    assert Sale.objects.count() == 0 and SaleImport.objects.count() == 0
    status = {r.line: r.status for r in report.rows}
    assert status == {2: "ok", 3: "ok", 4: "warning", 5: "error", 6: "error", 7: "error", 8: "error", 9: "error",
                      10: "error"}
    second = report.rows[1]
    assert (second.producer, second.product, second.platform, second.amount) == (
        world["mine"], world["kho"], "voso", Decimal(1250000))
    assert "Chợ phiên" in report.rows[2].warnings[0] and report.rows[2].platform == "other"
    assert "không thuộc HTX Mắm Châu Đốc" in report.rows[3].errors[0]
    assert "sau hôm nay" in report.rows[4].errors[0]
    assert "không được âm" in report.rows[5].errors[0]
    assert "Thành tiền không hợp lệ" in report.rows[6].errors[0]
    assert "khong-co" in report.rows[7].errors[0]
    assert "Thiếu mã hoặc tên chủ thể" in report.rows[8].errors[0]
    assert report.ok_count == 3 and report.error_count == 6 and not report.ok
    assert report.total_amount == Decimal(250000 + 1250000 + 1000000) and report.total_quantity == 7


def test_headers_without_accents_a_semicolon_and_a_title_line_are_read(world):
    header = ["ngay ban", "MA CHU THE", "san pham", "kenh san", "so luong", "thanh tien"]
    body = csv_bytes([[f"{today():%d/%m/%Y}", world["mine"].code, world["mam"].upc, "Lazada", "1", "50.000"]],
                     header=header, delimiter=";")
    report = sales_import_check(data=b"Doanh so thang 11;;;;;\r\n" + body, filename="x.csv")
    assert [(r.line, r.status, r.platform) for r in report.rows] == [(3, "ok", "lazada")]


@pytest.mark.parametrize("data, message", [
    (b"", "Tệp trống"),
    (b"PK\x03\x04rest", "tệp Excel"),
    ("Ngày,Tên\r\n1,2\r\n".encode(), "Không tìm thấy dòng tiêu đề"),
])
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(data, message):
    with pytest.raises(SaleImportFileError, match=message):
        sales_import_check(data=data, filename="x.csv")


def test_size_and_row_limits(world, settings):
    from reports import imports

    too_many = csv_bytes([row(world)] * (imports.MAX_ROWS + 1))
    with pytest.raises(SaleImportFileError, match="hơn 5.000 dòng"):
        sales_import_check(data=too_many, filename="x.csv")
    with pytest.raises(SaleImportFileError, match="Tệp quá lớn"):
        sales_import_check(data=csv_bytes([row(world, note="x" * 2_000_000)]), filename="x.csv")


# ---------------------------------------------------------------- applying a file
def test_apply_writes_every_row_through_the_ledger_with_the_files_import(world):
    data = csv_bytes([row(world), row(world, product=world["kho"], platform="Siêu thị Co.opmart", quantity="5",
                                      amount="400000", note="=HYPERLINK(\"http://x\")")])
    result = sales_import_apply(data=data, user=world["user"], filename="doanh-so.csv")
    assert (result.created, result.replayed) == (2, False)
    imported = SaleImport.objects.get()
    assert (imported.filename, imported.rows, imported.imported_by) == ("doanh-so.csv", 2, world["user"])
    sales = list(Sale.objects.order_by("import_row"))
    assert [(s.import_row, s.platform, s.quantity, s.amount, s.sale_import_id) for s in sales] == [
        (2, "shopee", 2, Decimal(250000), imported.pk), (3, "supermarket", 5, Decimal(400000), imported.pk)]
    assert sales[0].source_key == f"import-{imported.file_sha256[:32]}-2"
    assert sales[1].note == 'Siêu thị Co.opmart · =HYPERLINK("http://x")'  # kept as text
    assert all(s.channel == "external" and s.stars is not None for s in sales)


def test_the_same_file_twice_adds_nothing_and_says_when_and_by_whom(world):
    data = csv_bytes([row(world)])
    sales_import_apply(data=data, user=world["user"], filename="a.csv")
    again = sales_import_apply(data=data, user=world["user"], filename="a-copy.csv")
    assert again.replayed and again.created == 0 and Sale.objects.count() == 1
    report = sales_import_check(data=data, filename="a-copy.csv")
    assert report.already is not None and not report.ok
    assert "Tệp này đã được nhập ngày" in report.problems[0] and "Lan" in report.problems[0]


def test_one_bad_row_writes_nothing(world):
    data = csv_bytes([row(world), row(world, product=world["kho"]), row(world, amount="abc")])
    with pytest.raises(SaleImportRefused) as refused:
        sales_import_apply(data=data, user=world["user"], filename="x.csv")
    assert refused.value.report.error_count == 1
    assert not Sale.objects.exists() and not SaleImport.objects.exists()


def test_warnings_name_a_closed_period_and_a_sale_already_in_the_ledger(world):
    old = today() - dt.timedelta(days=40)
    ClosedPeriod.objects.create(starts_on=old - dt.timedelta(days=5), ends_on=old + dt.timedelta(days=5),
                                closed_by=world["user"])
    external_sale_enter(producer=world["mine"], product=world["mam"], platform="shopee", sold_on=today(),
                        quantity=2, amount=250000, user=world["user"], key="typed")
    report = sales_import_check(data=csv_bytes([row(world, day=old), row(world, day=today()),
                                                row(world, day=today())]), filename="x.csv")
    assert [r.status for r in report.rows] == ["warning", "warning", "warning"]
    assert "kỳ đã khoá sổ" in report.rows[0].warnings[0]
    assert "nhập tay" in report.rows[1].warnings[0]
    assert "Giống hệt dòng 3" in report.rows[2].warnings[0]
    result = sales_import_apply(data=csv_bytes([row(world, day=old)]), user=world["user"], filename="late.csv")
    assert Sale.objects.get(sale_import=result.sale_import).booked_on == today()


def test_a_windows_1258_file_is_read_with_its_names(world):
    text = "Ngày bán,Tên chủ thể,Sản phẩm,Kênh/sàn,Số lượng,Thành tiền\r\n" \
           f"{today():%d/%m/%Y},HTX Mắm Châu Đốc,Mắm cá linh,Siêu thị,1,99.000\r\n"
    result = sales_import_apply(data=cp1258(text), user=world["user"], filename="excel.csv")
    sale = Sale.objects.get(sale_import=result.sale_import)
    assert (sale.product, sale.platform, sale.amount) == (world["mam"], "supermarket", Decimal(99000))


def test_the_template_names_every_column_and_reads_back_as_a_file(world):
    data = sales_import_template_csv()
    assert data.startswith("\ufeff".encode())
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header == ",".join(HEADER)
    report = sales_import_check(data=data, filename="mau.csv")
    assert len(report.rows) == 1 and "htx-vi-du" in report.rows[0].errors[0]  # the example names no real producer
