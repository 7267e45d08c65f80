"""The stock count import (dry run, all-or-nothing apply) and the shelf export that is its template."""

import csv
import datetime as dt
import io

import pytest
from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_model

from shop.spreadsheets import csv_cell_safe
from showrooms.exports import shelf_export_csv, shelf_export_filename
from showrooms.imports import (
    CountFileError,
    CountRefused,
    RowStatus,
    stock_count_apply,
    stock_count_parse,
    stock_count_token_read,
    stock_count_token_sign,
)
from showrooms.models import ShelfStock, StockMovement
from showrooms.services import pickup_reserve, shelf_sell
from tests.support.catalogue import certify, make_certified_product, make_product
from tests.support.showrooms import make_clerk, make_showroom, stock_shelf

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
Reason = StockMovement.Reason


def level(showroom, product) -> int:
    return ShelfStock.objects.filter(showroom=showroom, product=product).values_list("quantity", flat=True).first() or 0


def csv_bytes(rows, *, delimiter=",", bom=False, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


def ledger_balanced(showroom):
    for shelf in ShelfStock.objects.filter(showroom=showroom):
        total = StockMovement.objects.filter(showroom=showroom, product=shelf.product).aggregate(s=Sum("delta"))["s"]
        assert shelf.quantity == (total or 0)


@pytest.fixture
def shop(django_user_model):
    """A showroom with three products on the shelf and a clerk; another showroom next door."""
    here, there = make_showroom(name="Điểm OCOP Châu Đốc", code="chau-doc"), make_showroom(code="long-xuyen")
    clerk = make_clerk(django_user_model, here)
    products = [make_certified_product(title=f"Mắm cá linh {n}") for n in range(3)]
    for product, quantity in zip(products, (10, 5, 0)):
        if quantity:
            stock_shelf(here, product, quantity, actor=clerk)
    return {"here": here, "there": there, "clerk": clerk, "products": products}


HEADER = ["ma_diem", "ma_san_pham", "ten_san_pham", "so_luong_dem"]


# ---------------------------------------------------------------- the dry run
def test_dry_run_reports_each_row_and_writes_nothing(shop):
    here, (a, b, c) = shop["here"], shop["products"]
    before = StockMovement.objects.count()
    report = stock_count_parse(showroom=here, filename="dem.csv", data=csv_bytes([
        HEADER,
        ["chau-doc", a.upc, "tên bất kỳ", "8"],
        ["chau-doc", b.upc, "", "5"],
        ["chau-doc", c.upc, "", ""],
    ]))
    assert report.ok and report.error_count == 0
    rows = {row.line: row for row in report.rows}
    assert (rows[2].status, rows[2].current, rows[2].counted, rows[2].delta) == (RowStatus.CHANGE, 10, 8, -2)
    assert rows[2].title == a.title  # the catalogue's title, not the file's
    assert (rows[3].status, rows[3].delta) == (RowStatus.SAME, 0)
    assert rows[4].status == RowStatus.SKIPPED  # not counted is not zero
    assert (report.change_count, report.same_count, report.skipped_count) == (1, 1, 1)
    assert StockMovement.objects.count() == before and level(here, a) == 10


def test_each_kind_of_bad_row_is_reported_with_its_row_number(shop):
    here, clerk, (a, b, c) = shop["here"], shop["clerk"], shop["products"]
    uncertified = make_product(title="Chưa chứng nhận")
    expired_on_shelf = make_product(title="Hết hạn trên kệ")
    certificate = certify(expired_on_shelf)
    stock_shelf(here, expired_on_shelf, 4, actor=clerk)
    expired_on_shelf.certificates.update(expires_on=timezone.localdate() - dt.timedelta(days=1),
                                         issued_on=certificate.issued_on)
    held = make_certified_product(title="Có khách giữ")
    stock_shelf(here, held, 6, actor=clerk)
    pickup_reserve(showroom=here, wanted={held.pk: 3}, titles={held.pk: held.title})
    rows = [
        HEADER,
        ["chau-doc", "KHONG-CO-MA", "", "3"],  # 2: unknown code
        ["chau-doc", uncertified.upc, "", "2"],  # 3: uncertified, not on this shelf
        ["long-xuyen", a.upc, "", "1"],  # 4: another showroom's row
        ["chau-doc", b.upc, "", "-2"],  # 5: negative
        ["chau-doc", c.upc, "", "mười"],  # 6: not a number
        ["chau-doc", a.upc, "", "9"],  # 7: ok
        ["chau-doc", a.upc.lower(), "", "7"],  # 8: duplicate of row 7 (codes without case)
        ["chau-doc", held.upc, "", "2"],  # 9: below what pickup orders hold
        ["chau-doc", expired_on_shelf.upc, "", "5"],  # 10: uncertified on the shelf, count above the books
        ["chau-doc", "", "", "4"],  # 11: no code
        ["chau-doc", b.upc, "", "1,5"],  # 12: a fraction (and b's second row)
    ]
    report = stock_count_parse(showroom=here, data=csv_bytes(rows))
    errors = {row.line: " ".join(row.errors) for row in report.rows}
    assert "Không tìm thấy sản phẩm có mã “KHONG-CO-MA”" in errors[2]
    assert "không có chứng nhận OCOP" in errors[3] and "chưa có trên kệ" in errors[3]
    assert "Dòng của điểm bán khác (“long-xuyen”)" in errors[4]
    assert "không được âm" in errors[5]
    assert "Số đếm không hợp lệ: “mười”" in errors[6]
    assert errors[7] == ""
    assert "Trùng sản phẩm với dòng 7" in errors[8]
    assert "giữ 3 sản phẩm cho khách" in errors[9]
    assert "không tăng số trên kệ (đang có 4)" in errors[10]
    assert "Thiếu mã sản phẩm" in errors[11]
    assert "Số đếm không hợp lệ: “1,5”" in errors[12] and "Trùng sản phẩm với dòng 5" in errors[12]
    assert report.error_count == 10 and not report.ok
    with pytest.raises(CountRefused) as refused:
        stock_count_apply(showroom=here, data=csv_bytes(rows), actor=clerk)
    assert refused.value.report.error_count == 10
    assert level(shop["here"], a) == 10 and StockMovement.objects.filter(reason=Reason.COUNT).count() == 0


def test_an_uncertified_product_on_the_shelf_can_be_counted_down(shop):
    here, clerk = shop["here"], shop["clerk"]
    product = make_product()
    certificate = certify(product)
    stock_shelf(here, product, 4, actor=clerk)
    product.certificates.update(revoked_on=timezone.localdate(), revocation_reason="Không đạt",
                                issued_on=certificate.issued_on)
    data = csv_bytes([["ma_san_pham", "so_luong_dem"], [product.upc, "1"]])
    report = stock_count_parse(showroom=here, data=data)
    assert report.ok and "không bán được" in " ".join(report.rows[0].notes)
    result = stock_count_apply(showroom=here, data=data, actor=clerk)
    assert result.changed == 1 and level(here, product) == 1


def test_a_producer_sku_finds_the_product_and_a_shared_one_is_refused(shop):
    here, (a, b, _c) = shop["here"], shop["products"]
    StockRecord.objects.filter(product=a).update(partner_sku="MAM-01")
    StockRecord.objects.filter(product=b).update(partner_sku="CHUNG")
    other = make_certified_product()
    StockRecord.objects.filter(product=other).update(partner_sku="CHUNG")
    report = stock_count_parse(showroom=here, data=csv_bytes([["sku", "counted"], ["mam-01", "9"], ["CHUNG", "1"]]))
    first, second = report.rows
    assert (first.product_id, first.delta) == (a.pk, -1)
    assert "mã SKU của 2 sản phẩm" in second.errors[0]


def test_the_same_product_by_barcode_and_by_sku_is_a_duplicate(shop):
    here, (a, _b, _c) = shop["here"], shop["products"]
    StockRecord.objects.filter(product=a).update(partner_sku="MAM-01")
    report = stock_count_parse(showroom=here, data=csv_bytes([HEADER[1:], [a.upc, "", "9"], ["MAM-01", "", "9"]]))
    assert report.rows[0].ok and "Trùng sản phẩm với dòng 2" in report.rows[1].errors[0]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Tệp trống"),
        (b"\xef\xbb\xbf\r\n ; \r\n", "Tệp trống"),
        (b"ma_san_pham,ten\r\nA,1\r\n", "Không tìm thấy dòng tiêu đề"),
        (b"ma_san_pham,so_luong_dem\r\n", "không có dòng nào dưới dòng tiêu đề"),
        (b"PK\x03\x04rest-of-a-zip", "tệp Excel"),
        (b"sku,counted,sku\r\nA,1,B\r\n", "nhiều cột cùng nghĩa"),
    ],
)
def test_files_that_cannot_be_read_get_a_clear_message(shop, data, message):
    with pytest.raises(CountFileError, match=message):
        stock_count_parse(showroom=shop["here"], data=data)


def test_too_many_rows_or_bytes_are_refused(shop):
    rows = [["ma_san_pham", "so_luong_dem"]] + [[f"SP{n}", "1"] for n in range(5001)]
    with pytest.raises(CountFileError, match="hơn 5000 dòng"):
        stock_count_parse(showroom=shop["here"], data=csv_bytes(rows))
    with pytest.raises(CountFileError, match="quá lớn"):
        stock_count_parse(showroom=shop["here"], data=b"ma_san_pham,so_luong_dem\r\n" + b"x" * 1_000_001)


def test_a_file_with_nothing_counted_cannot_be_applied(shop):
    a = shop["products"][0]
    report = stock_count_parse(showroom=shop["here"], data=csv_bytes([HEADER, ["chau-doc", a.upc, "", ""]]))
    assert not report.ok and "Không có dòng nào ghi số đếm" in report.problems[0]
    with pytest.raises(CountRefused):
        stock_count_apply(showroom=shop["here"], data=csv_bytes([HEADER, ["chau-doc", a.upc, "", ""]]),
                          actor=shop["clerk"])


def test_semicolons_bom_vietnamese_headers_and_thousands(shop):
    here, (a, b, _c) = shop["here"], shop["products"]
    data = csv_bytes(
        [["Mã điểm", "Mã sản phẩm", "Tên sản phẩm", "Số lượng đếm"], ["chau-doc", a.upc, "Mắm", "1.200"],
         ["CHAU-DOC", b.upc, "", " 4 "]],
        delimiter=";", bom=True,
    )
    report = stock_count_parse(showroom=here, data=data)
    assert report.ok and [(r.counted, r.delta) for r in report.rows] == [(1200, 1190), (4, -1)]


def test_a_title_line_and_blank_lines_keep_the_spreadsheet_row_numbers(shop):
    here, (a, b, _c) = shop["here"], shop["products"]
    text = f"Kiểm kê tháng 6, Châu Đốc\r\nma_san_pham;so_luong_dem\r\n{a.upc};8\r\n;\r\n\r\n{b.upc};x\r\n"
    report = stock_count_parse(showroom=here, data=text.encode("utf-8"))
    assert [(row.line, row.counted, bool(row.errors)) for row in report.rows] == [(3, 8, False), (6, None, True)]


def test_five_thousand_rows_between_blank_lines_are_all_read(shop):
    here, a = shop["here"], shop["products"][0]
    rows = [["ma_san_pham", "so_luong_dem"]]
    for n in range(4999):
        rows += [[f"SP{n}", "1"], ["", ""]]
    rows.append([a.upc, "3"])
    report = stock_count_parse(showroom=here, data=csv_bytes(rows))
    assert len(report.rows) == 5000 and report.rows[-1].line == 10000 and report.rows[-1].counted == 3


def test_a_windows_1258_file_from_excel_is_read(shop):
    here, a = shop["here"], shop["products"][0]
    name = "N\u01b0\u01a1\u0301c m\u0103\u0301m"  # "Nước mắm" as Windows-1258 writes it: base letter + tone mark
    data = f"ma_san_pham,ten_san_pham,so_luong_dem\r\n{a.upc},{name},7\r\nKHONG-CO,{name},1\r\n".encode("cp1258")
    report = stock_count_parse(showroom=here, data=data)
    assert report.rows[0].ok and report.rows[0].counted == 7
    assert report.rows[1].title == "Nước mắm"  # decoded and composed (NFC)


# ---------------------------------------------------------------- applying
def test_apply_writes_every_row_as_a_count_movement(shop):
    here, clerk, (a, b, c) = shop["here"], shop["clerk"], shop["products"]
    data = csv_bytes([HEADER, ["chau-doc", a.upc, "", "8"], ["chau-doc", b.upc, "", "5"],
                      ["chau-doc", c.upc, "", "3"]])
    result = stock_count_apply(showroom=here, data=data, actor=clerk, filename="kiem-ke-thang-6.csv")
    assert (result.changed, result.unchanged) == (2, 1)
    assert (level(here, a), level(here, b), level(here, c)) == (8, 5, 3)
    counts = StockMovement.objects.filter(reason=Reason.COUNT).order_by("pk")
    assert [(m.product_id, m.delta, m.actor_id) for m in counts] == [(a.pk, -2, clerk.pk), (c.pk, 3, clerk.pk)]
    assert counts[0].note == "Kiểm kê từ tệp kiem-ke-thang-6.csv"
    ledger_balanced(here)


def test_the_same_file_twice_adds_nothing(shop):
    here, clerk, (a, b, _c) = shop["here"], shop["clerk"], shop["products"]
    data = csv_bytes([HEADER, ["chau-doc", a.upc, "", "8"], ["chau-doc", b.upc, "", "7"]])
    stock_count_apply(showroom=here, data=data, actor=clerk)
    movements = StockMovement.objects.count()
    again = stock_count_apply(showroom=here, data=data, actor=clerk)
    assert (again.changed, again.unchanged) == (0, 2)
    assert StockMovement.objects.count() == movements and (level(here, a), level(here, b)) == (8, 7)


def test_the_same_request_key_twice_is_applied_once_even_after_a_sale(shop):
    here, clerk, (a, _b, _c) = shop["here"], shop["clerk"], shop["products"]
    data = csv_bytes([HEADER, ["chau-doc", a.upc, "", "8"]])
    first = stock_count_apply(showroom=here, data=data, actor=clerk, request_key="k1", expected_levels={str(a.pk): 10})
    shelf_sell(showroom=here, product=a, quantity=1, actor=clerk)
    again = stock_count_apply(showroom=here, data=data, actor=clerk, request_key="k1", expected_levels={str(a.pk): 10})
    assert first.changed == 1 and again.replayed and level(here, a) == 7  # the sale after the count stands


def test_a_refusal_on_a_later_row_rolls_back_the_earlier_ones(shop, monkeypatch):
    """Row 3 passes the check but the shelf service refuses it (as when a sale lands between): rows 1-2 go too."""
    from showrooms import imports
    from showrooms.services import ShelfRefused

    here, clerk, (a, b, c) = shop["here"], shop["clerk"], shop["products"]
    real = imports.shelf_count

    def refusing(*, product, **kwargs):
        if product.pk == c.pk:
            raise ShelfRefused("Không đủ hàng")
        return real(product=product, **kwargs)

    monkeypatch.setattr(imports, "shelf_count", refusing)
    data = csv_bytes([HEADER, ["chau-doc", a.upc, "", "1"], ["chau-doc", b.upc, "", "2"], ["chau-doc", c.upc, "", "3"]])
    with pytest.raises(CountRefused) as refused:
        stock_count_apply(showroom=here, data=data, actor=clerk)
    assert [row.line for row in refused.value.report.rows if row.errors] == [4]
    assert (level(here, a), level(here, b), level(here, c)) == (10, 5, 0)
    assert not StockMovement.objects.filter(reason=Reason.COUNT).exists()
    assert not ShelfStock.objects.filter(showroom=here, product=c).exists()
    ledger_balanced(here)


def test_a_level_changed_since_the_dry_run_refuses_the_whole_file(shop):
    here, clerk, (a, b, _c) = shop["here"], shop["clerk"], shop["products"]
    data = csv_bytes([HEADER, ["chau-doc", a.upc, "", "8"], ["chau-doc", b.upc, "", "2"]])
    seen = stock_count_parse(showroom=here, data=data).levels()
    shelf_sell(showroom=here, product=b, quantity=1, actor=clerk)
    with pytest.raises(CountRefused, match="đã thay đổi từ lúc chạy thử") as refused:
        stock_count_apply(showroom=here, data=data, actor=clerk, expected_levels=seen)
    assert "lúc đó 5, bây giờ 4" in refused.value.report.rows[1].errors[0]
    assert (level(here, a), level(here, b)) == (10, 4)


def test_rows_of_another_showroom_change_nothing_there(shop, django_user_model):
    here, there, (a, _b, _c) = shop["here"], shop["there"], shop["products"]
    both = make_clerk(django_user_model, here, there)
    stock_shelf(there, a, 9, actor=both)
    data = csv_bytes([HEADER, ["long-xuyen", a.upc, "", "1"], ["chau-doc", a.upc, "", "10"]])
    with pytest.raises(CountRefused):
        stock_count_apply(showroom=here, data=data, actor=both)
    assert (level(here, a), level(there, a)) == (10, 9)


# ---------------------------------------------------------------- the signed dry run
def test_the_signed_dry_run_is_bound_to_its_showroom_and_user(shop, django_user_model):
    here, there, clerk = shop["here"], shop["there"], shop["clerk"]
    data = csv_bytes([HEADER, ["chau-doc", shop["products"][0].upc, "", "8"]])
    report = stock_count_parse(showroom=here, data=data, filename="dem.csv")
    token = stock_count_token_sign(showroom=here, user=clerk, report=report, data=data)
    kept = stock_count_token_read(token=token, showroom=here, user=clerk)
    assert (kept.data, kept.filename, kept.levels) == (data, "dem.csv", {str(shop["products"][0].pk): 10})
    with pytest.raises(CountFileError, match="không phải của điểm bán này"):
        stock_count_token_read(token=token, showroom=there, user=clerk)
    with pytest.raises(CountFileError, match="không phải của điểm bán này"):
        stock_count_token_read(token=token, showroom=here, user=make_clerk(django_user_model, here))
    with pytest.raises(CountFileError, match="không hợp lệ"):
        stock_count_token_read(token=token[:-3] + "abc", showroom=here, user=clerk)


def test_a_large_file_travels_compressed(shop):
    here, clerk = shop["here"], shop["clerk"]
    rows = [HEADER] + [["chau-doc", f"SP-{n:06d}", f"Sản phẩm thử số {n}", str(n % 50)] for n in range(5000)]
    data = csv_bytes(rows)
    report = stock_count_parse(showroom=here, data=data)
    token = stock_count_token_sign(showroom=here, user=clerk, report=report, data=data)
    assert len(token) < len(data) / 2


# ---------------------------------------------------------------- the export
def test_export_cells_never_run_as_formulas(shop):
    here, a = shop["here"], shop["products"][0]
    a.title = '=HYPERLINK("http://x","bấm")'
    a.save()
    a.producer.name = "@SUM(1+1)"
    a.producer.save()
    text = shelf_export_csv(showroom=here)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["ma_diem", "ma_san_pham", "ten_san_pham", "chu_the", "tren_ke", "dang_giu", "so_luong_dem"]
    row = next(r for r in rows if r[1] == a.upc)
    assert row[2] == "'=HYPERLINK(\"http://x\",\"bấm\")" and row[3] == "'@SUM(1+1)"
    assert [csv_cell_safe(v) for v in ("-1", "+84", "\tx", "\rx", "an toàn", 5, -5)] == [
        "'-1", "'+84", "'\tx", "'\rx", "an toàn", 5, -5]
    assert shelf_export_filename(showroom=here) == f"ton-kho-chau-doc-{timezone.localdate():%Y-%m-%d}.csv"


def test_export_edit_import_round_trip(shop):
    here, clerk, (a, b, c) = shop["here"], shop["clerk"], shop["products"]
    StockRecord.objects.filter(product=b).update(partner_sku="-B")  # a code that the export must escape
    type(b).objects.filter(pk=b.pk).update(upc=None)
    pickup_reserve(showroom=here, wanted={a.pk: 2}, titles={a.pk: a.title})
    text = shelf_export_csv(showroom=here)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code[a.upc][4:6] == ["10", "2"] and "'-B" in by_code
    assert c.upc not in by_code  # never on this shelf
    by_code[a.upc][6] = "9"
    by_code["'-B"][6] = "1"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    result = stock_count_apply(showroom=here, data=data, actor=clerk, filename="ton-kho.csv")
    assert (result.changed, result.unchanged) == (2, 0)
    assert (level(here, a), level(here, b)) == (9, 1)
    ledger_balanced(here)


# ---------------------------------------------------------------- real concurrency (PostgreSQL)
@pytest.fixture
def reference_data(transactional_db):
    from django.core.management import call_command

    call_command("seed_reference_data", verbosity=0)  # transactional tests empty the tables afterwards


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_apply_sent_twice_at_once_writes_once(reference_data, django_user_model):
    from tests.integration.checkout.test_concurrency import run_together

    here, products = make_showroom(code="chau-doc"), [make_certified_product() for _ in range(3)]
    clerk = make_clerk(django_user_model, here)
    for product in products:
        stock_shelf(here, product, 10, actor=clerk)
    data = csv_bytes([HEADER] + [["chau-doc", p.upc, "", str(n)] for n, p in enumerate(products)])
    seen = stock_count_parse(showroom=here, data=data).levels()

    def apply():
        return stock_count_apply(showroom=here, data=data, actor=clerk, expected_levels=seen, request_key="k")

    results = run_together([apply, apply])

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert sorted(result.replayed for _, result in results) == [False, True]
    assert [level(here, p) for p in products] == [0, 1, 2]
    assert StockMovement.objects.filter(reason=Reason.COUNT).count() == 3
    ledger_balanced(here)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sale_during_the_apply_is_never_lost(reference_data, django_user_model):
    from tests.integration.checkout.test_concurrency import run_together

    here, product = make_showroom(code="chau-doc"), make_certified_product()
    clerk = make_clerk(django_user_model, here)
    stock_shelf(here, product, 10, actor=clerk)
    data = csv_bytes([HEADER, ["chau-doc", product.upc, "", "8"]])
    seen = stock_count_parse(showroom=here, data=data).levels()

    results = run_together([
        lambda: stock_count_apply(showroom=here, data=data, actor=clerk, expected_levels=seen),
        lambda: shelf_sell(showroom=here, product=product, quantity=1, actor=clerk),
    ])

    applied, sold = results
    assert sold[0] == "ok", results
    if applied[0] == "ok":  # the count first, then the sale from the counted level
        assert level(here, product) == 7
    else:  # the sale first: the count is refused as stale and nothing of it is written
        assert isinstance(applied[1], CountRefused) and level(here, product) == 9
        assert not StockMovement.objects.filter(reason=Reason.COUNT).exists()
    ledger_balanced(here)
