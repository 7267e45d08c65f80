"""The producer area's permission matrix: every producer-facing URL and action, as producer A against producer
B's objects, as a shopper and anonymously. Expected status, and nothing changes in the database."""

import pytest
from django.contrib.auth.models import Permission
from oscar.core.loading import get_model

from catalogue.models import Product
from reports.models import Sale
from shop.listings.models import ProductChange, StockMovement
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, service_basket, service_place

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")


@pytest.fixture
def b_objects(django_user_model):
    area = a_commune()
    a, b = make_producer(name="Chủ thể A", area=area), make_producer(name="Chủ thể B", area=area)
    user_a = django_user_model.objects.create_user(email="a@x.vn", password="pw-1234567")
    user_b = django_user_model.objects.create_user(email="b@x.vn", password="pw-1234567")
    shopper = django_user_model.objects.create_user(email="s@x.vn", password="pw-1234567")
    a.users.add(user_a)
    b.users.add(user_b)
    user_a.user_permissions.add(Permission.objects.get(codename="dashboard_access"))  # even with Oscar's permission
    product_b = make_certified_product(title="Sản phẩm của B", producer=b, stock=10)
    order = service_place(service_basket([(product_b, 1)]))
    return {"a": a, "b": b, "user_a": user_a, "user_b": user_b, "shopper": shopper, "product_b": product_b,
            "part_b": order.parts.get()}


def snapshot(objs):
    record = StockRecord.objects.get(product=objs["product_b"])
    product = Product.objects.get(pk=objs["product_b"].pk)
    part = objs["part_b"]
    part.refresh_from_db()
    b = Partner.objects.get(pk=objs["b"].pk)
    return (product.title, product.description, record.price, record.num_in_stock, record.num_allocated,
            part.status, part.tracking_number, b.story, b.phone, Sale.objects.count(), StockMovement.objects.count(),
            ProductChange.objects.count(), objs["product_b"].images.count())


def b_requests(objs):
    pk, part = objs["product_b"].pk, objs["part_b"].pk
    return [
        ("get", f"/shop/seller/products/{pk}/", {}),
        ("post", f"/shop/seller/products/{pk}/", {"title": "Đổi tên", "ocop_product_set": objs["product_b"].ocop_product_set_id,
                                                  "price": "1000", "description": "x"}),
        ("post", f"/shop/seller/products/{pk}/stock/", {"mode": "set", "quantity": "0"}),
        ("get", f"/shop/seller/orders/{part}/", {}),
        ("post", f"/shop/seller/orders/{part}/", {"action": "shipped", "carrier": "X", "tracking_number": "1"}),
        ("post", f"/shop/seller/orders/{part}/", {"action": "cancel"}),
        ("post", "/shop/seller/sales/", {"product": pk, "platform": "shopee", "sold_on": "2026-11-01", "quantity": "1",
                                          "amount": "1000", "key": "k1"}),
        ("post", "/shop/seller/profile/", {"producer": objs["b"].code, "story": "hack", "phone": "1"}),
        ("get", f"/shop/seller/profile/?producer={objs['b'].code}", {}),
    ]


def test_producer_a_gets_404s_on_producer_bs_objects_and_nothing_changes(client, b_objects):
    client.force_login(b_objects["user_a"])
    before = snapshot(b_objects)
    for method, url, data in b_requests(b_objects):
        response = getattr(client, method)(url, data)
        if url == "/shop/seller/sales/":
            assert response.status_code == 400, url  # B's product is not a choice in A's form
        else:
            assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot(b_objects) == before
    # A's own lists never show B's things
    for url in ("/shop/seller/products/", "/shop/seller/orders/", "/shop/seller/orders/export.csv", "/shop/seller/sales/"):
        assert "Sản phẩm của B" not in client.get(url).content.decode("utf-8-sig"), url


@pytest.mark.parametrize("who", ["shopper", "anonymous"])
def test_shoppers_and_anonymous_get_nothing_from_the_producer_area(client, b_objects, who):
    if who == "shopper":
        client.force_login(b_objects["shopper"])
    before = snapshot(b_objects)
    urls = [("get", "/shop/seller/", {}), ("get", "/shop/seller/products/", {}), ("get", "/shop/seller/products/new/", {}),
            ("get", "/shop/seller/sales/", {}), ("get", "/shop/seller/orders/", {}), ("get", "/shop/seller/profile/", {}),
            *b_requests(b_objects)]
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        expected = 403 if who == "shopper" else 302  # shoppers are told how to register; anonymous users log in
        assert response.status_code == expected, (who, method, url, response.status_code)
    assert snapshot(b_objects) == before


@pytest.mark.parametrize("who", ["user_a", "shopper", "anonymous"])
def test_programme_views_are_for_staff_only(client, b_objects, who):
    if who != "anonymous":
        client.force_login(b_objects[who])
    for url in ("/shop/programme/changes/", "/shop/programme/producers/", "/shop/dashboard/", "/cms-admin/"):
        response = client.get(url)
        assert response.status_code in (302, 403), (who, url)
    response = client.post("/shop/programme/producers/", {"producer": b_objects["b"].code, "action": "invite",
                                                          "email": "x@x.vn", "full_name": "X"})
    assert response.status_code in (302, 403)
    assert not b_objects["b"].users.filter(email="x@x.vn").exists()


def test_a_producer_cannot_certify_or_mark_for_sale_without_a_certificate(client, b_objects):
    from catalogue.models import Certificate

    client.force_login(b_objects["user_a"])
    for url in ("/cms-admin/catalogue/certificate/", "/cms-admin/", "/django-admin/catalogue/certificate/add/"):
        assert client.get(url).status_code in (302, 403, 404), url
    count = Certificate.objects.count()
    client.post("/django-admin/catalogue/certificate/add/", {"product": b_objects["product_b"].pk, "stars": 5})
    assert Certificate.objects.count() == count
