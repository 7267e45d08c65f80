"""Importing the province's OCOP registry: all rows or none, dry runs write nothing, a second import changes
nothing, and an existing stock record only ever gets its price."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from openpyxl import Workbook

from catalogue.certification import add_months, default_expiry, ocop_today
from catalogue.models import Certificate, Product, ProductCategory
from shop.listings.models import ProductEdit, StockMovement
from shop.partner.registry import RegistryError, registry_import, registry_read
from tests.support.catalogue import make_product

pytestmark = pytest.mark.django_db

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

CHAU_DOC, TRI_TON = "30316", "30544"  # Phường Châu Đốc, Xã Tri Tôn (An Giang, code 91)
HEADERS = [
    "Mã chủ thể", "Tên chủ thể", "Loại hình", "Mã xã", "Địa chỉ", "Điện thoại", "Email", "Mã sản phẩm",
    "Tên sản phẩm", "Bộ sản phẩm", "Giá", "Tồn kho", "Khối lượng (g)", "Số quyết định", "Ngày quyết định",
    "Hạng sao", "Ngày hết hạn", "Cấp công nhận",
]


def _dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def good_rows() -> list[dict]:
    """Two producers, three products: a valid 4★, an expired 3★ (not certified) and a national 5★ spirit."""
    today = ocop_today()
    recent, old = today - dt.timedelta(days=100), add_months(today, -48)
    producer = {
        "Mã chủ thể": "reg-htx-chau-doc", "Tên chủ thể": "HTX Mắm Châu Đốc", "Loại hình": "Hợp tác xã",
        "Mã xã": CHAU_DOC, "Địa chỉ": "Số 12 đường Lê Công Thành", "Điện thoại": "0912345678",
        "Email": "htx.chaudoc@example.vn",
    }
    return [
        {
            **producer, "Mã sản phẩm": "REG-0001", "Tên sản phẩm": "Mắm cá linh Châu Đốc hũ 500g", "Bộ sản phẩm": "I.5",
            "Giá": "85.000", "Tồn kho": "40", "Khối lượng (g)": "650", "Số quyết định": "12/QĐ-UBND",
            "Ngày quyết định": recent, "Hạng sao": "4", "Ngày hết hạn": "", "Cấp công nhận": "Tỉnh",
        },
        {
            **producer, "Mã sản phẩm": "REG-0002", "Tên sản phẩm": "Khô cá lóc một nắng 500g", "Bộ sản phẩm": "I.4",
            "Giá": "180000", "Tồn kho": "", "Khối lượng (g)": "", "Số quyết định": "7/QĐ-UBND",
            "Ngày quyết định": old, "Hạng sao": "3", "Ngày hết hạn": "", "Cấp công nhận": "",
        },
        {
            "Mã chủ thể": "reg-hkd-tri-ton", "Tên chủ thể": "Hộ kinh doanh Thốt nốt Chau Sóc",
            "Loại hình": "Hộ kinh doanh",
            "Mã xã": TRI_TON, "Địa chỉ": "Ấp Tô Thuận", "Điện thoại": "", "Email": "",
            "Mã sản phẩm": "REG-0003", "Tên sản phẩm": "Rượu thốt nốt Tri Tôn chai 500ml", "Bộ sản phẩm": "II.2",
            "Giá": "110.000", "Tồn kho": "25", "Khối lượng (g)": "800", "Số quyết định": "1203/QĐ-BNNMT",
            "Ngày quyết định": recent, "Hạng sao": "5", "Ngày hết hạn": recent + dt.timedelta(days=1000),
            "Cấp công nhận": "Trung ương",
        },
    ]


def as_csv(rows: list[dict], *, delimiter: str = ",", bom: bool = False, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_dmy(v) if isinstance(v, dt.date) else v for v in (row.get(h, "") for h in headers)])
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def as_xlsx(rows: list[dict], *, headers=HEADERS) -> bytes:
    """Real spreadsheet cells: dates as dates, prices, stock and stars as numbers, with a title row above."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP TỈNH AN GIANG"])
    sheet.append(headers)
    numeric = {"Giá", "Tồn kho", "Khối lượng (g)", "Hạng sao", "Mã xã"}
    for row in rows:
        cells = []
        for header in headers:
            value = row.get(header, "")
            if header in numeric and isinstance(value, str) and value:
                value = int(value.replace(".", ""))
            cells.append(value if value != "" else None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMATS = {
    "csv": lambda rows: (as_csv(rows), "so-dang-ky.csv"),
    "csv-semicolon-bom": lambda rows: (as_csv(rows, delimiter=";", bom=True), "so-dang-ky.csv"),
    "xlsx": lambda rows: (as_xlsx(rows), "so-dang-ky.xlsx"),
}


def table_counts() -> dict[str, int]:
    return {
        "producers": Partner.objects.count(),
        "products": Product.objects.count(),
        "stock records": StockRecord.objects.count(),
        "certificates": Certificate.objects.count(),
        "category links": ProductCategory.objects.count(),
        "stock movements": StockMovement.objects.count(),
        "product edits": ProductEdit.objects.count(),
    }


def timestamps() -> dict:
    upcs = [row["Mã sản phẩm"] for row in good_rows()]
    return {
        "products": sorted(Product.objects.filter(upc__in=upcs).values_list("upc", "date_updated")),
        "stock records": sorted(StockRecord.objects.filter(product__upc__in=upcs).values_list("pk", "date_updated")),
        "certificates": sorted(Certificate.objects.filter(product__upc__in=upcs).values_list("pk", "updated_at")),
        "producers": sorted(Partner.objects.filter(code__startswith="reg-").values_list(
            "code", "name", "kind", "area_id", "street_address", "phone", "email")),
    }


def run(data: bytes, filename: str, *, apply: bool = True):
    return registry_import(data=data, filename=filename, apply=apply)


# ---------------------------------------------------------------- good files
@pytest.mark.parametrize("file_format", FORMATS)
def test_dry_run_reports_every_row_as_new_and_writes_nothing(file_format):
    before = table_counts()

    report = run(*FORMATS[file_format](good_rows()), apply=False)

    assert report.ok and not report.applied
    assert [(r.line, r.product_code, r.action) for r in report.rows] == [
        (line, upc, "tạo mới") for line, upc in zip(
            (3, 4, 5) if file_format == "xlsx" else (2, 3, 4), ("REG-0001", "REG-0002", "REG-0003")
        )
    ]
    assert report.created == 3 and report.failed == 0
    assert table_counts() == before


@pytest.mark.parametrize("file_format", FORMATS)
def test_apply_writes_producers_products_stock_and_certificates(file_format):
    before = table_counts()

    report = run(*FORMATS[file_format](good_rows()))

    assert report.ok and report.applied, [r.errors for r in report.rows]
    assert report.counts == {"tạo mới": 3, "cập nhật": 0, "không đổi": 0, "lỗi": 0}
    after = table_counts()
    assert {k: after[k] - before[k] for k in after} == {
        "producers": 2, "products": 3, "stock records": 3, "certificates": 3, "category links": 3,
        "stock movements": 2, "product edits": 3,  # REG-0002 has no stock: no movement
    }

    chau_doc = Partner.objects.get(code="reg-htx-chau-doc")
    assert (chau_doc.name, chau_doc.kind, chau_doc.area.code, chau_doc.phone, chau_doc.email) == (
        "HTX Mắm Châu Đốc", Partner.Kind.COOPERATIVE, CHAU_DOC, "0912345678", "htx.chaudoc@example.vn"
    )
    assert Partner.objects.get(code="reg-hkd-tri-ton").kind == Partner.Kind.HOUSEHOLD
    assert chau_doc.approved_at is not None  # imported by staff: no self-registration approval pending

    mam = Product.objects.get(upc="REG-0001")
    assert (mam.title, str(mam.ocop_product_set), mam.producer, mam.weight_grams) == (
        "Mắm cá linh Châu Đốc hũ 500g", f"I.5 {mam.ocop_product_set.name}", chau_doc, 650
    )
    assert mam.product_class == mam.ocop_product_set.group.product_class
    assert list(mam.categories.all()) == [mam.ocop_product_set.category]
    record = mam.stockrecords.get()
    assert (record.partner, record.price, record.price_currency, record.num_in_stock, record.num_allocated) == (
        chau_doc, Decimal("85000"), "VND", 40, 0
    )
    assert list(record.movements.values_list("delta", "level_after", "reason")) == [
        (40, 40, StockMovement.Reason.DELIVERY)
    ]
    assert mam.edits.get().changes == {"title": [None, mam.title], "price": [None, 85000]}
    assert Product.objects.get(upc="REG-0002").stockrecords.get().num_in_stock == 0  # stock left blank
    spirit = Product.objects.get(upc="REG-0003")
    assert spirit.is_age_restricted

    certificate = mam.certificates.get()
    issued = ocop_today() - dt.timedelta(days=100)
    assert (certificate.decision_number, certificate.issued_on, certificate.stars, certificate.expires_on,
            certificate.issuing_level) == ("12/QĐ-UBND", issued, 4, default_expiry(issued), Certificate.Level.PROVINCE)
    national = spirit.certificates.get()
    assert (national.stars, national.issuing_level, national.expires_on) == (
        5, Certificate.Level.NATIONAL, issued + dt.timedelta(days=1000)
    )
    certified = set(Product.objects.certified().filter(upc__startswith="REG-").values_list("upc", flat=True))
    assert certified == {"REG-0001", "REG-0003"}  # REG-0002's 3★ decision expired a year ago


def test_english_headers_and_commune_names_are_accepted():
    english = {
        "Mã chủ thể": "Producer code", "Tên chủ thể": "Producer name", "Loại hình": "Kind", "Mã xã": "Commune",
        "Địa chỉ": "Address", "Điện thoại": "Phone", "Email": "E-mail", "Mã sản phẩm": "Product code",
        "Tên sản phẩm": "Product name", "Bộ sản phẩm": "Product set", "Giá": "Price", "Tồn kho": "Stock",
        "Khối lượng (g)": "Weight (g)", "Số quyết định": "Decision number", "Ngày quyết định": "Decision date",
        "Hạng sao": "Stars", "Ngày hết hạn": "Expiry date", "Cấp công nhận": "Level",
    }
    rows = good_rows()
    names = {CHAU_DOC: "phường châu đốc", TRI_TON: "Tri Ton"}  # any case, with or without accents or "Xã"
    rows = [{english[k]: (names[v] if k == "Mã xã" else v) for k, v in row.items()} for row in rows]

    report = run(as_csv(rows, headers=list(english.values())), "registry.csv")

    assert report.ok, [r.errors for r in report.rows]
    assert Partner.objects.get(code="reg-hkd-tri-ton").area.code == TRI_TON


# ---------------------------------------------------------------- all rows or none
def test_one_bad_row_is_named_and_nothing_is_written():
    rows = good_rows()
    rows[1]["Mã xã"] = "99999"
    before = table_counts()

    report = run(as_csv(rows), "registry.csv", apply=True)

    assert not report.ok and not report.applied
    bad = report.rows[1]
    assert (bad.line, bad.product_code, bad.action) == (3, "REG-0002", "lỗi")
    assert bad.errors == ["Không có xã/phường nào mã 99999."]
    assert [r.errors for r in (report.rows[0], report.rows[2])] == [[], []]
    assert [r.action for r in (report.rows[0], report.rows[2])] == ["tạo mới", "tạo mới"]  # what they would do
    assert table_counts() == before
    assert not Partner.objects.filter(code__startswith="reg-").exists()


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("Bộ sản phẩm", "IX.9", "Không có bộ sản phẩm “IX.9” trong bộ tiêu chí OCOP hiện hành."),
        ("Bộ sản phẩm", "thực phẩm", "Bộ sản phẩm “thực phẩm” không hợp lệ"),
        ("Giá", "85.5", "Giá không hợp lệ: “85.5”"),
        ("Giá", "0", "Giá phải lớn hơn 0."),
        ("Hạng sao", "6", "Hạng sao phải từ 3 đến 5 (đang ghi “6”)."),
        ("Hạng sao", "2", "Hạng sao phải từ 3 đến 5 (đang ghi “2”)."),
        ("Ngày quyết định", "31/02/2025", "Ngày quyết định không hợp lệ: “31/02/2025”"),
        ("Ngày quyết định", "", "Thiếu “Ngày quyết định”."),
        ("Ngày hết hạn", "01/01/2000", "Ngày hết hạn phải sau ngày quyết định."),
        ("Loại hình", "Tập đoàn", "Loại hình “Tập đoàn” không hợp lệ"),
        ("Email", "khong-phai-email", "Email “khong-phai-email” không hợp lệ."),
        ("Tồn kho", "-3", "Tồn kho không hợp lệ: “-3”"),
        ("Mã chủ thể", "htx châu đốc", "Mã chủ thể “htx châu đốc” chỉ được gồm"),
        ("Mã xã", "70", "Xã mã 70 (Phường Hoàn Kiếm, Thành phố Hà Nội) không thuộc An Giang."),
        ("Cấp công nhận", "Huyện", "Từ 01/07/2025 không còn cấp huyện công nhận OCOP"),
    ],
)
def test_row_errors_are_reported_in_vietnamese(column, value, message):
    rows = good_rows()
    rows[0][column] = value

    report = run(as_csv(rows), "registry.csv")

    assert not report.applied and report.failed == 1
    assert report.rows[0].line == 2
    assert any(error.startswith(message) for error in report.rows[0].errors), report.rows[0].errors
    assert not Product.objects.filter(upc__startswith="REG-").exists()


def test_duplicate_product_code_and_inconsistent_producer_are_row_errors():
    rows = good_rows()
    rows[2]["Mã sản phẩm"] = "REG-0001"
    rows[1]["Tên chủ thể"] = "HTX Khác"

    report = run(as_csv(rows), "registry.csv")

    assert report.rows[1].errors == ["Thông tin chủ thể reg-htx-chau-doc khác với dòng 2 (tên chủ thể)."]
    assert report.rows[2].errors == ["Mã sản phẩm REG-0001 trùng với dòng 2."]
    assert not report.applied and not Partner.objects.filter(code__startswith="reg-").exists()


def test_a_product_code_of_another_producer_is_refused():
    existing = make_product()
    rows = good_rows()
    rows[0]["Mã sản phẩm"] = existing.upc

    report = run(as_csv(rows), "registry.csv")

    assert report.rows[0].errors == [
        f"Mã sản phẩm {existing.upc} đã thuộc chủ thể khác ({existing.producer.code})."
    ]
    existing.refresh_from_db()
    assert existing.producer.code != "reg-htx-chau-doc"
    assert not Partner.objects.filter(code__startswith="reg-").exists()


def test_a_known_decision_with_different_content_is_a_conflict():
    assert run(as_csv(good_rows()), "registry.csv").applied
    rows = good_rows()
    rows[0]["Hạng sao"] = "5"
    rows[0]["Giá"] = "90.000"
    before = table_counts()

    report = run(as_csv(rows), "registry.csv")

    assert report.rows[0].errors == [
        "Sản phẩm REG-0001 đã có quyết định này với nội dung khác (hạng sao)."
    ]
    assert not report.applied
    assert table_counts() == before
    assert Product.objects.get(upc="REG-0001").stockrecords.get().price == Decimal("85000")  # price not changed either


# ---------------------------------------------------------------- importing again
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_same_file_twice_changes_nothing(file_format):
    data, filename = FORMATS[file_format](good_rows())
    assert run(data, filename).applied
    counts, stamps = table_counts(), timestamps()

    report = run(data, filename)

    assert report.ok and report.applied
    assert [r.action for r in report.rows] == ["không đổi"] * 3
    assert all(r.changes == [] for r in report.rows)
    assert table_counts() == counts
    assert timestamps() == stamps


def test_reimport_updates_the_price_by_a_locked_update_and_never_the_stock_or_allocations():
    assert run(as_csv(good_rows()), "registry.csv").applied
    record = StockRecord.objects.get(product__upc="REG-0001")
    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=30, num_allocated=3)  # the shop sold some
    rows = good_rows()
    rows[0].update({"Giá": "95.000", "Tồn kho": "500", "Tên sản phẩm": "Mắm cá linh Châu Đốc hũ 500 g"})
    rows[0]["Email"] = "moi@example.vn"
    rows[1]["Email"] = "moi@example.vn"

    report = run(as_csv(rows), "registry.csv")

    assert report.ok and report.applied
    # the producer's new email is written by the first of its rows: its second row finds nothing to change
    assert [r.action for r in report.rows] == ["cập nhật", "không đổi", "không đổi"]
    assert "chủ thể: cập nhật email" in report.rows[0].changes
    assert "giá: 85.000 → 95.000 đ" in report.rows[0].changes
    record.refresh_from_db()
    assert (record.price, record.num_in_stock, record.num_allocated) == (Decimal("95000"), 30, 3)
    assert Product.objects.get(upc="REG-0001").title == "Mắm cá linh Châu Đốc hũ 500 g"
    assert Partner.objects.get(code="reg-htx-chau-doc").email == "moi@example.vn"
    assert Certificate.objects.filter(product__upc="REG-0001").count() == 1
    assert Product.objects.get(upc="REG-0001").edits.first().changes == {
        "title": ["Mắm cá linh Châu Đốc hũ 500g", "Mắm cá linh Châu Đốc hũ 500 g"], "price": [85000, 95000]
    }
    assert not record.movements.filter(reason=StockMovement.Reason.COUNT).exists()


def test_a_new_decision_for_a_known_product_is_recorded_as_an_update():
    assert run(as_csv(good_rows()), "registry.csv").applied
    rows = good_rows()
    rows[1].update({"Số quyết định": "88/QĐ-UBND", "Ngày quyết định": ocop_today() - dt.timedelta(days=10)})

    report = run(as_csv(rows), "registry.csv")

    assert [r.action for r in report.rows] == ["không đổi", "cập nhật", "không đổi"]
    assert Certificate.objects.filter(product__upc="REG-0002").count() == 2
    assert Product.objects.certified().filter(upc="REG-0002").exists()  # renewed


# ---------------------------------------------------------------- whole-file problems
def test_missing_columns_are_listed():
    headers = [h for h in HEADERS if h not in ("Giá", "Hạng sao", "Mã xã")]

    with pytest.raises(RegistryError) as raised:
        registry_read(as_csv(good_rows(), headers=headers), "registry.csv")

    assert str(raised.value) == "Tệp thiếu các cột bắt buộc: “Mã xã” (hoặc “Xã/phường”), “Giá”, “Hạng sao”."


def test_missing_columns_stop_the_import_before_any_write():
    headers = [h for h in HEADERS if h != "Số quyết định"]
    with pytest.raises(RegistryError, match="“Số quyết định”"):
        run(as_xlsx(good_rows(), headers=headers), "registry.xlsx")
    assert not Partner.objects.filter(code__startswith="reg-").exists()


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"PK\x03\x04 not really a workbook", "registry.xlsx", "Không đọc được tệp Excel"),
        (b"M\xe3 ch\xfa th\xea,Gi\xe1\n", "registry.csv",
         "Không đọc được tệp CSV: tệp phải được lưu với bảng mã UTF-8"),
        (b"", "registry.csv", "Tệp trống."),
        (b"\xd0\xcf\x11\xe0", "registry.xls", "Tệp .xls (Excel 97-2003) không được hỗ trợ"),
    ],
)
def test_unreadable_files_raise_a_registry_error(data, filename, message):
    with pytest.raises(RegistryError) as raised:
        registry_read(data, filename)
    assert str(raised.value).startswith(message)


def test_header_only_file_has_no_rows():
    with pytest.raises(RegistryError, match="không có dòng dữ liệu"):
        registry_read(as_csv([]), "registry.csv")


def test_staff_dry_run_then_apply_the_same_file_over_http(client, django_user_model):
    from tests.support.catalogue import make_programme_staff

    staff = make_programme_staff(django_user_model)
    client.force_login(staff)
    data, name = FORMATS["xlsx"](good_rows())
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = table_counts()
    dry = client.post("/shop/programme/registry/", {"registry": SimpleUploadedFile(name, data), "apply": "0"})
    assert dry.status_code == 200 and "REG-0001" in dry.content.decode()
    assert table_counts() == before
    token = dry.context["token"]
    applied = client.post("/shop/programme/registry/", {"token": token, "apply": "1"})
    assert applied.status_code == 200 and applied.context["report"].applied
    assert Product.objects.filter(upc="REG-0001").exists()


def test_the_registry_page_is_for_staff_only(client, django_user_model):
    producer_user = django_user_model.objects.create_user(email="nsx@example.vn", password="pw-1234567")
    client.force_login(producer_user)
    data, name = FORMATS["csv"](good_rows())
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = table_counts()
    response = client.post("/shop/programme/registry/", {"registry": SimpleUploadedFile(name, data), "apply": "1"})
    assert response.status_code == 302
    assert table_counts() == before


def test_descriptions_imported_from_the_registry_are_sanitised(client):
    rows = good_rows()
    rows[0]["Mô tả"] = '<p>Ngon<script>alert(1)</script><a href="javascript:x()">xem</a><svg onload="x()"></svg></p>'
    data, name = as_csv(rows, headers=[*HEADERS, "Mô tả"]), "so-dang-ky.csv"
    report = registry_import(data=data, filename=name, apply=True)
    assert report.applied, [r.errors for r in report.rows]
    product = Product.objects.get(upc="REG-0001")
    for bad in ("<script", "javascript:", "<svg", "onload"):
        assert bad not in product.description
        assert bad not in client.get(product.get_absolute_url()).content.decode().split('class="product-description"')[1].split("</div>")[0]
    assert "Ngon" in product.description


def test_a_self_registered_producer_never_inherits_registry_products_by_its_code():
    Partner.objects.create(code="reg-htx-chau-doc", name="Kẻ chiếm mã", approved_at=None, is_public=False)
    data, name = FORMATS["csv"](good_rows())
    report = registry_import(data=data, filename=name, apply=True)
    assert not report.applied
    assert any("tự đăng ký chưa được duyệt" in e for r in report.rows for e in r.errors)
    assert not Product.objects.filter(upc="REG-0001").exists()
