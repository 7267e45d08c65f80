"""The programme office's ledger screens through real HTTP requests: external sales entered for any producer, the
CSV import (dry run, signed apply, all or nothing, a file once), closing a period, the plan's targets, and who may."""

import csv
import datetime as dt
import io
import re
import unicodedata
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reports.imports import sales_import_token_sign, sales_import_check
from reports.models import ClosedPeriod, PlanTarget, Sale, SaleImport
from tests.support.catalogue import make_certified_product, make_producer, make_programme_staff
from tests.support.showrooms import an_giang_commune, make_clerk, make_showroom

pytestmark = pytest.mark.django_db

ENTRY, IMPORT = "/shop/programme/reports/sales/new/", "/shop/programme/reports/sales/import/"
TEMPLATE, PERIODS, TARGETS = ("/shop/programme/reports/sales/import/template.csv", "/shop/programme/reports/periods/",
                              "/shop/programme/reports/targets/")
HEADER = ["Ngày bán", "Mã chủ thể", "Tên chủ thể", "Sản phẩm", "Kênh/sàn", "Số lượng", "Thành tiền", "Ghi chú"]


def ledger_staff(django_user_model, email="soban@example.vn"):
    """Programme staff who keep the ledger: staff with reports.add_sale (reports/access.py)."""
    user = make_programme_staff(django_user_model, email=email)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="reports",
                                                          codename__in=["add_sale", "view_sale"]))
    return user


@pytest.fixture
def world(django_user_model):
    area = an_giang_commune()
    mine = make_producer(name="HTX Mắm Châu Đốc", code="htx-mam", area=area)
    theirs = make_producer(name="HTX Thốt Nốt Tri Tôn", code="htx-thot-not", area=area)
    mam = make_certified_product(title="Mắm cá linh", producer=mine)
    kho = make_certified_product(title="Khô cá tra phồng", producer=mine)
    duong = make_certified_product(title="Đường thốt nốt", producer=theirs)
    seller = django_user_model.objects.create_user(email="chuthe@example.vn", password="pw-1234567")
    mine.users.add(seller)
    return {
        "mine": mine, "theirs": theirs, "mam": mam, "kho": kho, "duong": duong, "seller": seller,
        "staff": ledger_staff(django_user_model),
        "shopper": django_user_model.objects.create_user(email="khach@example.vn", password="pw-1234567"),
        "clerk": make_clerk(django_user_model, make_showroom()),
        "plain_staff": make_programme_staff(django_user_model, email="canbo-khac@example.vn"),
    }


def today():
    return timezone.localdate()


def entry_data(client, world, **overrides):
    form = client.get(ENTRY).context["form"]
    return {"producer": world["mine"].code, "product": world["mam"].pk, "platform": "shopee",
            "sold_on": today().isoformat(), "quantity": "3", "amount": "1.250.000", "note": "Đơn SP-778",
            "key": form["key"].value(), **overrides}


def sales_file(rows, *, name="doanh-so.csv", encoding="utf-8-sig", header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def cp1258(text: str) -> bytes:
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
                   + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def a_row(world, *, product=None, producer=None, platform="Shopee", quantity="2", amount="250.000", note="",
          day=None):
    product = product or world["mam"]
    day = day or today() - dt.timedelta(days=2)
    return [f"{day:%d/%m/%Y}", (producer or product.producer).code, "", product.upc, platform, quantity, amount, note]


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the dry run offers the apply button"
    return match.group(1)


def ledger_state():
    return (Sale.objects.count(), SaleImport.objects.count(), ClosedPeriod.objects.count(),
            PlanTarget.objects.count())


# ---------------------------------------------------------------- entering one sale
def test_the_url_names():
    assert reverse("reports:sale-entry") == ENTRY and reverse("reports:sale-import") == IMPORT
    assert reverse("reports:sale-import-template") == TEMPLATE
    assert reverse("reports:periods") == PERIODS and reverse("reports:targets") == TARGETS


def test_staff_enter_a_sale_for_a_producer_and_it_is_one_row_with_its_platform_and_facts(client, world):
    client.force_login(world["staff"])
    response = client.post(ENTRY, entry_data(client, world))
    assert response.status_code == 302 and response["Location"] == f"{ENTRY}?producer=htx-mam"
    sale = Sale.objects.get()
    assert (sale.channel, sale.platform, sale.producer, sale.product) == ("external", "shopee", world["mine"],
                                                                          world["mam"])
    assert (sale.quantity, sale.amount, sale.note, sale.booked_on) == (3, Decimal(1250000), "Đơn SP-778", today())
    assert sale.stars == 4 and sale.area_id == world["mine"].area_id
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi vào sổ" in page and "1.250.000\xa0₫" in page and "Đơn SP-778" in page


def test_plain_digits_and_a_double_submit_are_one_row(client, world):
    client.force_login(world["staff"])
    data = entry_data(client, world, amount="1250000")
    assert client.post(ENTRY, data).status_code == 302
    assert client.post(ENTRY, data).status_code == 302  # the same form sent again
    assert list(Sale.objects.values_list("amount", flat=True)) == [Decimal(1250000)]
    fresh = entry_data(client, world)  # a new form is a new sale
    client.post(ENTRY, fresh)
    assert Sale.objects.count() == 2


def test_another_producers_product_is_a_form_error_and_nothing_is_written(client, world):
    client.force_login(world["staff"])
    response = client.post(ENTRY, entry_data(client, world, product=world["duong"].pk))
    assert response.status_code == 400
    assert "không thuộc chủ thể HTX Mắm Châu Đốc" in response.content.decode()
    assert not Sale.objects.exists()


def test_a_future_day_a_zero_amount_and_an_unknown_platform_are_refused(client, world):
    client.force_login(world["staff"])
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    for change, message in (({"sold_on": tomorrow}, "Ngày bán không được sau hôm nay"),
                            ({"amount": "0"}, None), ({"platform": "Shopee"}, None), ({"quantity": "1,5"}, None)):
        response = client.post(ENTRY, entry_data(client, world, **change))
        assert response.status_code == 400, change
        if message:
            assert message in response.content.decode()
    assert not Sale.objects.exists()


def test_the_product_list_narrows_to_the_chosen_producer(client, world):
    client.force_login(world["staff"])
    everyone = client.get(ENTRY).content.decode()
    assert "Đường thốt nốt" in everyone and "Mắm cá linh" in everyone and "<optgroup" in everyone
    narrowed = client.get(f"{ENTRY}?producer=htx-mam").content.decode()
    product_select = narrowed[narrowed.index('name="product"'):]
    product_select = product_select[:product_select.index("</select>")]
    assert "Mắm cá linh" in product_select and "Đường thốt nốt" not in product_select


def test_a_note_that_looks_like_a_formula_is_stored_as_text(client, world):
    client.force_login(world["staff"])
    for n, note in enumerate(("=HYPERLINK(\"http://x\",\"y\")", "+84 912", "-5%", "@SUM(A1)")):
        data = entry_data(client, world, note=note, amount=str(1000 + n))
        assert client.post(ENTRY, data).status_code == 302
    assert sorted(Sale.objects.values_list("note", flat=True)) == sorted(
        ["=HYPERLINK(\"http://x\",\"y\")", "+84 912", "-5%", "@SUM(A1)"])
    page = client.get(ENTRY).content.decode()
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page


# ---------------------------------------------------------------- who may
def every_request(world):
    data = {"producer": world["mine"].code, "product": world["mam"].pk, "platform": "shopee",
            "sold_on": today().isoformat(), "quantity": "1", "amount": "1000", "key": "k"}
    return [
        ("get", ENTRY, {}), ("post", ENTRY, data),
        ("get", IMPORT, {}), ("post", IMPORT, {"file": sales_file([a_row(world)])}),
        ("get", TEMPLATE, {}),
        ("get", PERIODS, {}), ("post", PERIODS, {"starts_on": "2026-01-01", "ends_on": "2026-03-31"}),
        ("get", TARGETS, {}), ("post", TARGETS, {"year": "2027", "new_products_min": "50", "new_products_max": "60",
                                                "four_star_products": "5", "modern_channel_share": "100"}),
    ]


@pytest.mark.parametrize("who", ["anonymous", "seller", "shopper", "clerk", "plain_staff"])
def test_everyone_but_ledger_staff_is_turned_away_and_nothing_is_written(client, world, who):
    if who != "anonymous":
        client.force_login(world[who])
    before = ledger_state()
    for method, url, data in every_request(world):
        response = getattr(client, method)(url, data)
        expected = {403} if who == "plain_staff" else {302}
        assert response.status_code in expected, (who, method, url, response.status_code)
        if response.status_code == 302:
            assert "login" in response["Location"], (who, url, response["Location"])
    assert ledger_state() == before


def test_ledger_staff_reach_every_screen(client, world):
    client.force_login(world["staff"])
    for url in (ENTRY, IMPORT, TEMPLATE, PERIODS, TARGETS):
        assert client.get(url).status_code == 200, url


# ---------------------------------------------------------------- importing a file
def test_the_import_page_explains_the_columns_and_the_template_downloads(client, world):
    client.force_login(world["staff"])
    page = client.get(IMPORT).content.decode()
    assert TEMPLATE in page and 'enctype="multipart/form-data"' in page
    for header in HEADER:
        assert header in page
    response = client.get(TEMPLATE)
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADER) and len(lines) == 2


def test_a_dry_run_reports_row_by_row_and_writes_nothing_then_apply_writes_every_row(client, world):
    client.force_login(world["staff"])
    rows = [a_row(world), a_row(world, product=world["kho"], platform="TikTok", quantity="1", amount="1250000"),
            a_row(world, platform="Chợ nổi Cái Răng", amount="90.000")]
    response = client.post(IMPORT, {"file": sales_file(rows)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "chạy thử, chưa ghi gì" in page
    assert 'data-line="2" data-status="ok"' in page and 'data-line="3" data-status="ok"' in page
    assert 'data-line="4" data-status="warning"' in page and "Không nhận ra kênh/sàn" in page
    assert "1.590.000\xa0₫" in page  # the total of the valid rows
    assert ledger_state() == (0, 0, 0, 0)

    applied = client.post(IMPORT, {"token": token_of(response), "apply": "1"})
    assert applied.status_code == 302 and applied["Location"] == IMPORT
    imported = SaleImport.objects.get()
    assert (imported.filename, imported.rows, imported.imported_by) == ("doanh-so.csv", 3, world["staff"])
    assert list(Sale.objects.order_by("import_row").values_list("import_row", "platform", "amount")) == [
        (2, "shopee", Decimal(250000)), (3, "tiktok_shop", Decimal(1250000)), (4, "other", Decimal(90000))]
    assert "Đã nhập 3 dòng" in client.get(IMPORT).content.decode()


def test_a_file_with_one_bad_row_writes_nothing(client, world):
    client.force_login(world["staff"])
    rows = [a_row(world), a_row(world, product=world["duong"], producer=world["mine"]), a_row(world, amount="")]
    response = client.post(IMPORT, {"file": sales_file(rows)})
    assert response.status_code == 400 and 'name="token"' not in response.content.decode()
    page = response.content.decode()
    assert 'data-line="3" data-status="error"' in page and "không thuộc HTX Mắm Châu Đốc" in page
    assert "Thiếu thành tiền" in page
    # an apply for that file (signed, as if the page had offered it) is refused as a whole
    data = sales_file(rows).read()
    token = sales_import_token_sign(user=world["staff"], report=sales_import_check(data=data, filename="x.csv"),
                                    data=data)
    refused = client.post(IMPORT, {"token": token, "apply": "1"})
    assert refused.status_code == 409 and "Chưa nhập gì" in refused.content.decode()
    assert ledger_state() == (0, 0, 0, 0)


def test_the_same_file_again_adds_nothing_and_says_when_and_by_whom(client, world):
    client.force_login(world["staff"])
    rows = [a_row(world)]
    first = client.post(IMPORT, {"file": sales_file(rows)})
    token = token_of(first)
    client.post(IMPORT, {"token": token, "apply": "1"})
    assert Sale.objects.count() == 1

    again = client.post(IMPORT, {"file": sales_file(rows, name="doanh-so (1).csv")})
    page = again.content.decode()
    assert "Tệp này đã được nhập ngày" in page and "soban@example.vn" in page and 'name="token"' not in page
    replay = client.post(IMPORT, {"token": token, "apply": "1"}, follow=True)
    assert "Tệp này đã được nhập ngày" in replay.content.decode()
    assert (Sale.objects.count(), SaleImport.objects.count()) == (1, 1)


def test_a_tampered_or_borrowed_signature_is_refused(client, world, django_user_model):
    client.force_login(world["staff"])
    token = token_of(client.post(IMPORT, {"file": sales_file([a_row(world)])}))
    value, signature = token.rsplit(":", 1)
    for forged in (f"{value}:{signature[:-2]}xx", f"{value[:-4]}AAAA:{signature}", "garbage"):
        response = client.post(IMPORT, {"token": forged, "apply": "1"})
        assert response.status_code == 400 and "không hợp lệ" in response.content.decode()
    colleague = ledger_staff(django_user_model, email="dongnghiep@example.vn")
    client.force_login(colleague)
    response = client.post(IMPORT, {"token": token, "apply": "1"})
    assert response.status_code == 400 and "không phải của bạn" in response.content.decode()
    assert ledger_state() == (0, 0, 0, 0)


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16", "utf-8"])
def test_files_from_excel_in_windows_1258_or_utf_16_are_accepted(client, world, encoding):
    client.force_login(world["staff"])
    text = ("Ngày bán,Tên chủ thể,Sản phẩm,Kênh/sàn,Số lượng,Thành tiền\r\n"
            f"{today():%d/%m/%Y},HTX Mắm Châu Đốc,Khô cá tra phồng,Siêu thị Co.opmart,4,320.000\r\n")
    data = cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    response = client.post(IMPORT, {"file": SimpleUploadedFile("excel.csv", data, content_type="text/csv")})
    assert response.status_code == 200 and 'data-status="ok"' in response.content.decode()
    client.post(IMPORT, {"token": token_of(response), "apply": "1"})
    sale = Sale.objects.get()
    assert (sale.product, sale.platform, sale.quantity, sale.note) == (world["kho"], "supermarket", 4,
                                                                       "Siêu thị Co.opmart")


def test_formula_looking_cells_are_text_and_break_nothing(client, world):
    client.force_login(world["staff"])
    rows = [a_row(world, note="=cmd|' /C calc'!A0"), a_row(world, note="@SUM(1+1)", amount="+5000"),
            ["=1+1", "-htx", "@HTX", "+84", "=Shopee", "-2", "=10*10", "+note"],
            [f"{today():%d/%m/%Y}", "", "=HYPERLINK(\"x\")", world["mam"].upc, "Voso", "1", "1000", "-"]]
    response = client.post(IMPORT, {"file": sales_file(rows)})
    page = response.content.decode()
    assert response.status_code == 400 and 'data-line="2" data-status="ok"' in page
    assert 'data-line="3" data-status="error"' in page and 'data-line="4" data-status="error"' in page
    assert "=HYPERLINK(&quot;x&quot;)" in page  # shown as typed, escaped
    ok_only = sales_file([a_row(world, note="=cmd|' /C calc'!A0"), a_row(world, note="@SUM(1+1)", day=today())])
    applied = client.post(IMPORT, {"token": token_of(client.post(IMPORT, {"file": ok_only})), "apply": "1"})
    assert applied.status_code == 302
    assert sorted(Sale.objects.values_list("note", flat=True)) == ["=cmd|' /C calc'!A0", "@SUM(1+1)"]


def test_a_file_that_is_too_big_or_not_csv_is_refused_with_a_message(client, world):
    from reports import imports

    client.force_login(world["staff"])
    big = SimpleUploadedFile("big.csv", b"a" * (imports.MAX_BYTES + 1), content_type="text/csv")
    response = client.post(IMPORT, {"file": big})
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()
    excel = SimpleUploadedFile("so.xlsx", b"PK\x03\x04" + b"0" * 100)
    response = client.post(IMPORT, {"file": excel})
    assert response.status_code == 400 and "tệp Excel" in response.content.decode()
    assert client.post(IMPORT, {}).status_code == 400
    assert ledger_state() == (0, 0, 0, 0)


# ---------------------------------------------------------------- closing a period
def test_staff_close_a_period_that_has_ended_and_see_it_listed(client, world):
    client.force_login(world["staff"])
    page = client.get(PERIODS)
    starts_on, ends_on = page.context["form"]["starts_on"].value(), page.context["form"]["ends_on"].value()
    assert ends_on < today() and starts_on.day == 1  # the last quarter is offered
    response = client.post(PERIODS, {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
                                     "note": "Quý đã báo cáo tỉnh"})
    assert response.status_code == 302
    period = ClosedPeriod.objects.get()
    assert (period.starts_on, period.ends_on, period.closed_by, period.note) == (starts_on, ends_on, world["staff"],
                                                                               "Quý đã báo cáo tỉnh")
    listed = client.get(PERIODS).content.decode()
    assert f"{ends_on:%d/%m/%Y}" in listed and "Quý đã báo cáo tỉnh" in listed
    again = client.post(PERIODS, {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()}, follow=True)
    assert "đã được khoá sổ trước đó" in again.content.decode() and ClosedPeriod.objects.count() == 1


def test_a_period_that_has_not_ended_is_refused_with_its_reason(client, world):
    client.force_login(world["staff"])
    response = client.post(PERIODS, {"starts_on": (today() - dt.timedelta(days=10)).isoformat(),
                                     "ends_on": today().isoformat()})
    assert response.status_code == 400 and "Chỉ khoá sổ được kỳ đã kết thúc" in response.content.decode()
    backwards = client.post(PERIODS, {"starts_on": "2026-03-31", "ends_on": "2026-01-01"})
    assert backwards.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu" in backwards.content.decode()
    assert not ClosedPeriod.objects.exists()


def test_a_sale_entered_late_for_a_closed_period_lands_in_the_open_one(client, world):
    client.force_login(world["staff"])
    old = today() - dt.timedelta(days=40)
    client.post(PERIODS, {"starts_on": (old - dt.timedelta(days=5)).isoformat(),
                          "ends_on": (old + dt.timedelta(days=5)).isoformat()})
    client.post(ENTRY, entry_data(client, world, sold_on=old.isoformat()))
    sale = Sale.objects.get()
    assert timezone.localtime(sale.occurred_at).date() == old and sale.booked_on == today()


# ---------------------------------------------------------------- the plan's targets
def test_staff_set_and_change_a_years_targets(client, world):
    client.force_login(world["staff"])
    page = client.get(f"{TARGETS}?year=2027")
    assert page.context["form"]["year"].value() == 2027
    data = {"year": "2027", "new_products_min": "55", "new_products_max": "65", "four_star_products": "6",
            "modern_channel_share": "90"}
    response = client.post(TARGETS, data)
    assert response.status_code == 302 and response["Location"] == f"{TARGETS}?year=2027"
    target = PlanTarget.objects.get()
    assert (target.year, target.new_products_min, target.new_products_max, target.four_star_products,
            target.modern_channel_share) == (2027, 55, 65, 6, 90)
    client.post(TARGETS, {**data, "four_star_products": "8"})
    assert PlanTarget.objects.get().four_star_products == 8 and PlanTarget.objects.count() == 1
    listed = client.get(TARGETS).content.decode()
    assert "55–65" in listed and "90%" in listed


def test_targets_that_make_no_sense_are_refused(client, world):
    client.force_login(world["staff"])
    base = {"year": "2027", "new_products_min": "60", "new_products_max": "50", "four_star_products": "5",
            "modern_channel_share": "100"}
    for change in ({}, {"new_products_max": "70", "modern_channel_share": "120"}, {"new_products_max": "70",
                                                                                 "year": "1990"}):
        assert client.post(TARGETS, {**base, **change}).status_code == 400, change
    assert not PlanTarget.objects.exists()
