"""The stock count import and the shelf export through real HTTP requests: dry run, apply, and who may do it."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from showrooms.models import ShelfStock, StockMovement
from tests.support.catalogue import make_certified_product
from tests.support.showrooms import make_clerk, make_showroom, stock_shelf

pytestmark = pytest.mark.django_db


def level(showroom, product) -> int:
    return ShelfStock.objects.filter(showroom=showroom, product=product).values_list("quantity", flat=True).first() or 0


def count_file(rows, name="kiem-ke.csv", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["ma_diem", "ma_san_pham", "ten_san_pham", "so_luong_dem"])
    writer.writerows(rows)
    return SimpleUploadedFile(name, ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv")


def import_url(showroom):
    return reverse("showroom-stock:import", kwargs={"code": showroom.code})


def export_url(showroom):
    return reverse("showroom-stock:export", kwargs={"code": showroom.code})


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the dry run offers the apply button"
    return match.group(1)


@pytest.fixture
def world(django_user_model):
    a, b = make_showroom(name="Điểm OCOP Châu Đốc", code="chau-doc"), make_showroom(name="Điểm B", code="diem-b")
    clerk_a, clerk_b = make_clerk(django_user_model, a), make_clerk(django_user_model, b)
    shopper = django_user_model.objects.create_user(email="khach@example.vn", password="pw-1234567")
    mam, keo = make_certified_product(title="Mắm cá linh"), make_certified_product(title="Kẹo thốt nốt")
    stock_shelf(a, mam, 10, actor=clerk_a)
    stock_shelf(a, keo, 4, actor=clerk_a)
    stock_shelf(b, mam, 6, actor=clerk_b)
    return {"a": a, "b": b, "clerk_a": clerk_a, "clerk_b": clerk_b, "shopper": shopper, "mam": mam, "keo": keo}


def test_the_page_explains_the_columns_and_links_the_template(client, world):
    client.force_login(world["clerk_a"])
    page = client.get(import_url(world["a"])).content.decode()
    for column in ("ma_diem", "ma_san_pham", "ten_san_pham", "so_luong_dem"):
        assert column in page
    assert export_url(world["a"]) in page and 'enctype="multipart/form-data"' in page


def test_dry_run_reports_row_by_row_and_writes_nothing_then_apply_writes(client, world):
    a, mam, keo = world["a"], world["mam"], world["keo"]
    client.force_login(world["clerk_a"])
    movements = StockMovement.objects.count()
    response = client.post(import_url(a), {"file": count_file([["chau-doc", mam.upc, "", "8"],
                                                                ["chau-doc", keo.upc, "", "4"]])})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mắm cá linh" in page and "-2" in page and "chạy thử, chưa ghi gì" in page
    assert 'data-line="2" data-status="change"' in page and 'data-line="3" data-status="same"' in page
    assert StockMovement.objects.count() == movements and level(a, mam) == 10

    applied = client.post(import_url(a), {"token": token_of(response), "apply": "1"})
    assert applied.status_code == 302 and applied["Location"] == import_url(a)
    assert (level(a, mam), level(a, keo)) == (8, 4)
    assert StockMovement.objects.count() == movements + 1
    assert "Đã cập nhật 1 dòng (1 dòng không đổi)." in client.get(applied["Location"]).content.decode()


def test_the_same_apply_twice_writes_once(client, world):
    a, mam = world["a"], world["mam"]
    client.force_login(world["clerk_a"])
    token = token_of(client.post(import_url(a), {"file": count_file([["chau-doc", mam.upc, "", "7"]])}))
    client.post(import_url(a), {"token": token, "apply": "1"})
    movements = StockMovement.objects.count()
    again = client.post(import_url(a), {"token": token, "apply": "1"}, follow=True)
    assert again.status_code == 200 and "Đã cập nhật 1 dòng (0 dòng không đổi)." in again.content.decode()
    assert StockMovement.objects.count() == movements and level(a, mam) == 7


def test_a_file_with_errors_offers_no_apply_and_names_each_row(client, world):
    a, mam = world["a"], world["mam"]
    client.force_login(world["clerk_a"])
    response = client.post(import_url(a), {"file": count_file([
        ["chau-doc", mam.upc, "", "8"], ["diem-b", mam.upc, "", "1"], ["chau-doc", "KHONG-CO", "", "2"],
        ["chau-doc", mam.upc, "", "-1"],
    ], delimiter=";")})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="token"' not in page
    assert "Dòng của điểm bán khác (“diem-b”)" in page and "Không tìm thấy sản phẩm có mã “KHONG-CO”" in page
    assert "Trùng sản phẩm với dòng 2" in page and "không được âm" in page
    assert level(a, mam) == 10 and level(world["b"], mam) == 6


def test_no_file_or_an_unreadable_one_gets_a_message(client, world):
    client.force_login(world["clerk_a"])
    assert client.post(import_url(world["a"]), {}).status_code == 400
    response = client.post(import_url(world["a"]), {"file": SimpleUploadedFile("x.csv", b"ten,gia\r\na,1\r\n")})
    assert response.status_code == 400 and "Không tìm thấy dòng tiêu đề" in response.content.decode()
    big = SimpleUploadedFile("x.csv", b"ma_san_pham,so_luong_dem\r\n" + b"1" * 1_100_000)
    response = client.post(import_url(world["a"]), {"file": big})
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()


def test_a_tampered_signed_value_is_refused(client, world):
    a, mam = world["a"], world["mam"]
    client.force_login(world["clerk_a"])
    token = token_of(client.post(import_url(a), {"file": count_file([["chau-doc", mam.upc, "", "1"]])}))
    forged = token.replace(token[5], "A" if token[5] != "A" else "B", 1)
    response = client.post(import_url(a), {"token": forged, "apply": "1"})
    assert response.status_code == 400 and "không hợp lệ" in response.content.decode()
    assert level(a, mam) == 10


def test_a_level_changed_since_the_dry_run_is_refused(client, world):
    from showrooms.services import shelf_sell

    a, mam = world["a"], world["mam"]
    client.force_login(world["clerk_a"])
    token = token_of(client.post(import_url(a), {"file": count_file([["chau-doc", mam.upc, "", "8"]])}))
    shelf_sell(showroom=a, product=mam, quantity=1, actor=world["clerk_a"])
    response = client.post(import_url(a), {"token": token, "apply": "1"})
    assert response.status_code == 409 and "lúc đó 10, bây giờ 9" in response.content.decode()
    assert level(a, mam) == 9


def test_a_clerk_never_reaches_another_showroom(client, world):
    a, b, mam = world["a"], world["b"], world["mam"]
    client.force_login(world["clerk_a"])
    movements = StockMovement.objects.count()
    assert client.get(import_url(b)).status_code == 404
    assert client.get(export_url(b)).status_code == 404
    response = client.post(import_url(b), {"file": count_file([["diem-b", mam.upc, "", "0"]])})
    assert response.status_code == 404
    assert client.post(import_url(b), {"token": "anything", "apply": "1"}).status_code == 404
    assert level(b, mam) == 6 and StockMovement.objects.count() == movements


def test_a_dry_run_made_for_another_showroom_is_refused(client, world, django_user_model):
    a, b, mam = world["a"], world["b"], world["mam"]
    both = make_clerk(django_user_model, a, b)
    client.force_login(both)
    token_b = token_of(client.post(import_url(b), {"file": count_file([["diem-b", mam.upc, "", "0"]])}))
    response = client.post(import_url(a), {"token": token_b, "apply": "1"})
    assert response.status_code == 400 and "không phải của điểm bán này" in response.content.decode()
    assert (level(a, mam), level(b, mam)) == (10, 6)
    token_a = token_of(client.post(import_url(a), {"file": count_file([["chau-doc", mam.upc, "", "3"]])}))
    client.force_login(world["clerk_a"])  # another user of the same showroom replays it
    assert client.post(import_url(a), {"token": token_a, "apply": "1"}).status_code == 400
    assert level(a, mam) == 10


def test_anonymous_users_log_in_and_shoppers_are_refused(client, world):
    for url in (import_url(world["a"]), export_url(world["a"])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("customer:login") in response["Location"]
    assert client.post(import_url(world["a"]), {"file": count_file([])}).status_code == 302
    client.force_login(world["shopper"])
    assert client.get(import_url(world["a"])).status_code == 403
    assert client.get(export_url(world["a"])).status_code == 403
    assert client.post(import_url(world["a"]), {"file": count_file([["chau-doc", world["mam"].upc, "", "0"]])}
                       ).status_code == 403
    assert level(world["a"], world["mam"]) == 10


def test_export_downloads_the_shelf_with_inert_formulas(client, world):
    a, mam = world["a"], world["mam"]
    mam.title = "=HYPERLINK(\"http://x\")"
    mam.save()
    client.force_login(world["clerk_a"])
    response = client.get(export_url(a))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f'filename="ton-kho-chau-doc-{timezone.localdate():%Y-%m-%d}.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and "'=HYPERLINK" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row[1]: row[4] for row in rows[1:]} == {mam.upc: "10", world["keo"].upc: "4"}


def test_export_then_import_through_the_pages(client, world):
    a, mam, keo = world["a"], world["mam"], world["keo"]
    client.force_login(world["clerk_a"])
    rows = list(csv.reader(io.StringIO(client.get(export_url(a)).content.decode("utf-8-sig"))))
    for row in rows[1:]:
        row[6] = {mam.upc: "9", keo.upc: "6"}[row[1]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    upload = SimpleUploadedFile("ton-kho.csv", buffer.getvalue().encode("utf-8"))
    token = token_of(client.post(import_url(a), {"file": upload}))
    client.post(import_url(a), {"token": token, "apply": "1"})
    assert (level(a, mam), level(a, keo)) == (9, 6)
    assert StockMovement.objects.filter(showroom=a, reason="count", note="Kiểm kê từ tệp ton-kho.csv").count() == 2
