"""The producer area through real HTTP requests: a producer's own products, stock, sales and profile; staff
approvals and invitations."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image

from catalogue.models import Product
from reports.models import Sale
from shop.listings.models import ProductChange, StockMovement
from tests.support.catalogue import make_certified_product, make_producer, make_programme_staff
from tests.support.checkout import a_commune, committed, service_basket, service_place
from users.models import PrivacyConsent

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")


def photo(name="anh.jpg", colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def people(django_user_model):
    area = a_commune()
    mine, theirs = make_producer(name="HTX Của Tôi", area=area), make_producer(name="HTX Khác", area=area)
    seller = django_user_model.objects.create_user(email="a@example.vn", password="pw-1234567")
    rival = django_user_model.objects.create_user(email="b@example.vn", password="pw-1234567")
    shopper = django_user_model.objects.create_user(email="c@example.vn", password="pw-1234567")
    staff = make_programme_staff(django_user_model)
    mine.users.add(seller)
    theirs.users.add(rival)
    return {"mine": mine, "theirs": theirs, "seller": seller, "rival": rival, "shopper": shopper, "staff": staff}


def product_data(**overrides):
    from catalogue.models import OcopProductSet

    product_set = OcopProductSet.objects.filter(group__number=1).order_by("number").first()
    return {"title": "Mắm cá lóc Châu Đốc", "ocop_product_set": product_set.pk, "price": "120000",
            "description": "<p>Ngon</p>", "weight_grams": "500", "stock": "12", **overrides}


def test_a_producer_adds_a_product_with_a_photo_and_it_waits_for_certification(client, people):
    client.force_login(people["seller"])
    response = client.post("/shop/seller/products/new/", product_data(image=photo()))
    assert response.status_code == 302
    product = Product.objects.get(title="Mắm cá lóc Châu Đốc")
    assert product.producer == people["mine"] and not product.is_certified()
    assert product.images.count() == 1 and product.images.get().original.name.endswith(".jpg")
    record = StockRecord.objects.get(product=product)
    assert (record.price, record.num_in_stock) == (Decimal(120000), 12)
    page = client.get(response["Location"]).content.decode()
    assert "Chờ chứng nhận OCOP" in page
    assert "Mắm cá lóc Châu Đốc" not in client.get("/shop/catalogue/").content.decode()


def test_once_certified_a_rename_waits_for_staff_and_the_old_name_stays_on_sale(client, people):
    product = make_certified_product(title="Khô cá tra", producer=people["mine"])
    client.force_login(people["seller"])
    data = product_data(title="Khô cá tra phồng", ocop_product_set=product.ocop_product_set_id, price="99000",
                        description="<p>Mới</p>", weight_grams="")
    data.pop("stock")
    client.post(f"/shop/seller/products/{product.pk}/", data)
    product.refresh_from_db()
    assert product.title == "Khô cá tra"  # still the approved name
    assert product.description == "<p>Mới</p>"  # free fields apply at once
    assert StockRecord.objects.get(product=product).price == Decimal(99000)
    change = ProductChange.objects.get(product=product, status="pending")
    assert change.proposed == {"title": "Khô cá tra phồng"}
    assert "Khô cá tra phồng" not in client.get("/shop/catalogue/").content.decode()

    client.force_login(people["staff"])
    assert "Khô cá tra phồng" in client.get("/shop/programme/changes/").content.decode()
    client.post("/shop/programme/changes/", {"change": change.pk, "decision": "approve", "version": change.version})
    product.refresh_from_db()
    assert product.title == "Khô cá tra phồng"
    assert list(product.edits.values_list("kind", flat=True)) == ["approved", "proposed", "edited", "edited"]


def test_stock_changes_are_deltas_with_a_history_and_never_undercut_orders(client, people):
    product = make_certified_product(producer=people["mine"], stock=10)
    service_place(service_basket([(product, 4)]))
    client.force_login(people["seller"])
    url = f"/shop/seller/products/{product.pk}/stock/"
    client.post(url, {"mode": "receive", "quantity": "5", "note": "Lô mới"})
    response = client.post(url, {"mode": "set", "quantity": "3", "note": ""}, follow=True)
    assert "Đang có 4 sản phẩm trong các đơn chưa giao" in response.content.decode()
    client.post(url, {"mode": "set", "quantity": "8", "note": "Kiểm kê"})
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (8, 4)
    assert list(StockMovement.objects.order_by("pk").values_list("delta", "level_after", "reason")) == [
        (5, 15, "delivery"), (-7, 8, "count")]


def test_external_sales_enter_the_ledger_once_and_show_in_the_summary(client, people):
    product = make_certified_product(title="Trà khổ qua", producer=people["mine"])
    client.force_login(people["seller"])
    form = client.get("/shop/seller/sales/").context["form"]
    data = {"product": product.pk, "platform": "shopee", "sold_on": form["sold_on"].value().isoformat(),
            "quantity": "3", "amount": "150000", "note": "Đơn 2411ABC", "key": form["key"].value()}
    client.post("/shop/seller/sales/", data)
    client.post("/shop/seller/sales/", data)  # sent twice
    sale = Sale.objects.get()
    assert (sale.channel, sale.platform, sale.quantity, sale.amount, sale.note) == (
        "external", "shopee", 3, Decimal(150000), "Đơn 2411ABC")
    page = client.get("/shop/seller/sales/").content.decode()
    assert "Trà khổ qua" in page and "150.000\xa0₫" in page


def test_profile_story_is_sanitised(client, people):
    client.force_login(people["seller"])
    client.post("/shop/seller/profile/", {"story": '<p onclick="x()">Chuyện <script>alert(1)</script><a href="javascript:x()">đây</a></p>'})
    story = Partner.objects.get(pk=people["mine"].pk).story
    assert "script" not in story and "onclick" not in story and "javascript:" not in story and "Chuyện" in story


def test_a_producer_registers_and_staff_approve(client, people):
    response = client.post("/shop/seller/register/", {
        "name": "Hộ kinh doanh Bánh Bò Thốt Nốt", "kind": "household", "commune": a_commune().pk,
        "representative": "Lê Văn Tư", "phone": "0912 000 111", "email": "tu@example.vn", "password": "mat-khau-dai-9",
        "privacy_consent": "on",
    })
    assert response.status_code == 302
    producer = Partner.objects.get(name="Hộ kinh doanh Bánh Bò Thốt Nốt")
    assert PrivacyConsent.objects.filter(user__email="tu@example.vn", purpose="account").count() == 1
    assert producer.approved_at is None and not producer.is_public
    assert "chờ Ban điều phối duyệt" in client.get("/shop/seller/").content.decode()

    client.force_login(people["staff"])
    client.post("/shop/programme/producers/", {"producer": producer.code, "action": "approve"})
    producer.refresh_from_db()
    assert producer.approved_at is not None and producer.is_public


def test_staff_invite_a_user_who_gets_a_link_to_set_a_password(client, people):
    client.force_login(people["staff"])
    committed(client.post, "/shop/programme/producers/",
              {"producer": people["mine"].code, "action": "invite", "email": "moi@example.vn", "full_name": "Trần Thị Mới"})
    committed(client.post, "/shop/programme/producers/",
              {"producer": people["mine"].code, "action": "invite", "email": "moi@example.vn", "full_name": "Trần Thị Mới"})
    assert people["mine"].users.filter(email="moi@example.vn").count() == 1
    body = mail.outbox[-1].body
    assert "HTX Của Tôi" in body and "/shop/password-reset/confirm/" in body or "/reset/" in body


def test_profile_photos_are_checked_shown_publicly_and_only_the_owner_deletes_them(client, people):
    from shop.listings.models import ProducerPhoto

    client.force_login(people["seller"])
    client.post("/shop/seller/profile/", {"story": "Làng nghề", "photo": photo("xuong.jpg"), "caption": "Xưởng làm mắm"})
    bad = client.post("/shop/seller/profile/", {"story": "Làng nghề", "photo": SimpleUploadedFile("x.jpg", b"<html>")})
    assert bad.status_code == 400 and "Chỉ nhận ảnh JPEG, PNG hoặc WebP" in bad.content.decode()
    mine = ProducerPhoto.objects.get()
    public = client.get(people["mine"].get_absolute_url()).content.decode()
    assert "Xưởng làm mắm" in public and "Làng nghề" in public

    client.force_login(people["rival"])
    client.post("/shop/seller/profile/", {"delete_photo": mine.pk})  # the rival's own profile: not theirs to delete
    assert ProducerPhoto.objects.filter(pk=mine.pk).exists()
    client.force_login(people["seller"])
    client.post("/shop/seller/profile/", {"delete_photo": mine.pk})
    assert not ProducerPhoto.objects.exists()


def test_staff_see_a_proposed_ocop_set_by_its_name(client, people):
    from catalogue.models import OcopProductSet

    product = make_certified_product(title="Mật ong rừng", producer=people["mine"])
    other_set = OcopProductSet.objects.filter(group__number=1).exclude(pk=product.ocop_product_set_id).first()
    client.force_login(people["seller"])
    data = product_data(title="Mật ong rừng", ocop_product_set=other_set.pk, weight_grams="")
    data.pop("stock")
    client.post(f"/shop/seller/products/{product.pk}/", data)
    client.force_login(people["staff"])
    page = client.get("/shop/programme/changes/").content.decode()
    assert other_set.name in page


def test_an_existing_account_joins_only_through_the_link_in_its_own_mailbox(client, people, django_user_model):
    import re

    squatter = django_user_model.objects.create_user(email="chu.htx@example.vn", password="pw-1234567")
    client.force_login(people["staff"])
    committed(client.post, "/shop/programme/producers/",
              {"producer": people["mine"].code, "action": "invite", "email": "chu.htx@example.vn", "full_name": "Chủ HTX"})
    assert not people["mine"].users.filter(pk=squatter.pk).exists()  # not added by the invitation itself
    link = re.search(r"/shop/seller/join/[^/\s]+/", mail.outbox[-1].body).group(0)
    assert mail.outbox[-1].to == ["chu.htx@example.vn"]

    client.force_login(people["rival"])  # someone else who got hold of the link
    client.get(link)
    assert not people["mine"].users.filter(pk=people["rival"].pk).exists()
    client.force_login(squatter)
    client.get(link)
    assert people["mine"].users.filter(pk=squatter.pk).exists()


def test_staff_without_the_certificate_permission_cannot_use_programme_screens(client, people, django_user_model):
    orders_only = django_user_model.objects.create_user(email="donhang@example.vn", password="pw-1234567")
    orders_only.is_staff = True
    orders_only.save()
    client.force_login(orders_only)
    for url in ("/shop/programme/changes/", "/shop/programme/producers/", "/shop/programme/registry/"):
        assert client.get(url).status_code == 403, url


def test_registering_a_producer_without_the_privacy_consent_creates_nothing(client, django_user_model):
    response = client.post("/shop/seller/register/", {
        "name": "Hộ Không Đồng Ý", "kind": "household", "commune": a_commune().pk, "representative": "Năm",
        "phone": "0912 000 333", "email": "khong@example.vn", "password": "mat-khau-dai-9",
    })
    assert response.status_code == 400
    assert "Thông báo xử lý dữ liệu cá nhân" in response.content.decode()
    assert not Partner.objects.filter(name="Hộ Không Đồng Ý").exists()
    assert not django_user_model.objects.filter(email="khong@example.vn").exists()


def test_a_registered_producer_publishes_nothing_until_approved_and_alcohol_is_18_plus(client, people):
    from catalogue.models import OcopProductSet

    client.post("/shop/seller/register/", {
        "name": "Hộ Rượu Mới", "kind": "household", "commune": a_commune().pk, "representative": "Tư",
        "phone": "0912 000 222", "email": "ruou@example.vn", "password": "mat-khau-dai-9", "privacy_consent": "on",
    })
    producer = Partner.objects.get(name="Hộ Rượu Mới")
    assert producer.code.startswith("dk-")
    wine_set = OcopProductSet.objects.get(group__number=2, number=1)
    client.post("/shop/seller/products/new/", product_data(title="Rượu nếp mới", ocop_product_set=wine_set.pk))
    wine = Product.objects.get(title="Rượu nếp mới")
    assert wine.is_age_restricted and not wine.is_public
    assert client.get(wine.get_absolute_url()).status_code == 404
    client.force_login(people["staff"])
    client.post("/shop/programme/producers/", {"producer": producer.code, "action": "approve"})
    wine.refresh_from_db()
    assert wine.is_public


def test_vietnamese_amounts_double_submits_and_plain_text(client, people):
    client.force_login(people["seller"])
    key = client.get("/shop/seller/products/new/").context["form"]["key"].value()
    data = product_data(title="Kẹo dừa & đậu phộng", price="1.200.000", stock="1.000", key=key,
                        description="Dòng một\nDòng hai & ba")
    first = client.post("/shop/seller/products/new/", data)
    second = client.post("/shop/seller/products/new/", data)
    assert first["Location"] == second["Location"]
    product = Product.objects.get(title="Kẹo dừa & đậu phộng")
    record = StockRecord.objects.get(product=product)
    assert (record.price, record.num_in_stock) == (Decimal(1200000), 1000)
    assert "Dòng một<br>Dòng hai &amp; ba" in product.description

    form = client.get("/shop/seller/sales/").context["form"]
    sale = {"product": product.pk, "platform": "shopee", "sold_on": form["sold_on"].value().isoformat(),
            "quantity": "2", "amount": "150.000", "key": form["key"].value()}
    client.post("/shop/seller/sales/", sale)
    response = client.post("/shop/seller/sales/", {**sale, "amount": "160.000"}, follow=True)
    assert "đã được gửi với nội dung khác" in response.content.decode()
    assert list(Sale.objects.values_list("amount", flat=True)) == [Decimal(150000)]

    url = f"/shop/seller/products/{product.pk}/stock/"
    stock_key = client.get(f"/shop/seller/products/{product.pk}/").context["stock_form"]["key"].value()
    for _ in range(2):
        client.post(url, {"mode": "receive", "quantity": "5", "note": "", "key": stock_key})
    assert StockRecord.objects.get(product=product).num_in_stock == 1005


def test_staff_cannot_approve_a_change_edited_after_they_looked(client, people):
    product = make_certified_product(title="Khô cá A", producer=people["mine"])
    client.force_login(people["seller"])
    data = product_data(title="Khô cá B", ocop_product_set=product.ocop_product_set_id, weight_grams="")
    data.pop("stock")
    client.post(f"/shop/seller/products/{product.pk}/", data)
    change = ProductChange.objects.get()
    seen = change.version
    client.post(f"/shop/seller/products/{product.pk}/", {**data, "title": "Khô cá C"})
    client.force_login(people["staff"])
    page = client.get("/shop/programme/changes/").content.decode()
    assert "Khô cá A" in page and "Khô cá C" in page  # current → proposed
    response = client.post("/shop/programme/changes/", {"change": change.pk, "decision": "approve", "version": seen},
                           follow=True)
    assert "vừa sửa đề nghị này" in response.content.decode()
    product.refresh_from_db()
    assert product.title == "Khô cá A"


def test_a_user_of_two_producers_chooses_which_one_a_new_product_belongs_to(client, people):
    second = make_producer(name="Z HTX Thứ Hai", area=a_commune())
    second.users.add(people["seller"])
    client.force_login(people["seller"])
    client.post("/shop/seller/products/new/", product_data(title="Sản phẩm của Z", producer=second.pk))
    assert Product.objects.get(title="Sản phẩm của Z").producer == second
    response = client.post("/shop/seller/products/new/", product_data(title="Lạc chủ", producer=people["theirs"].pk))
    assert response.status_code == 400 and not Product.objects.filter(title="Lạc chủ").exists()
