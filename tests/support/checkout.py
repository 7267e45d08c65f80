"""Builders for checkout tests: baskets filled through the real views, orders placed through the real form."""

from django.test import TestCase
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit

Order = get_model("order", "Order")


def an_giang():
    return AdministrativeUnit.objects.get(level="province", name__contains="An Giang")


def a_commune(province=None):
    province = province or an_giang()
    return AdministrativeUnit.objects.filter(level="commune", parent=province).order_by("code").first()


def other_province():
    return AdministrativeUnit.objects.filter(level="province").exclude(pk=an_giang().pk).order_by("code").first()


def basket_add(client, product, quantity=1):
    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": quantity})
    assert response.status_code == 302, response
    return response


def checkout_form(client, **overrides) -> dict:
    """GET the checkout page and fill its form the way a shopper would (a guest in An Giang by default)."""
    response = client.get("/shop/checkout/")
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    province = overrides.pop("province", None) or an_giang()
    commune = overrides.pop("commune", None) or a_commune(province)
    data = {
        "email": "khach@example.vn",
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "province": province.pk,
        "commune": commune.pk,
        "street": "12 Trần Hưng Đạo, khóm 3",
        "payment_method": "cod",
        "privacy_consent": "on",  # the personal data notice's box (users/privacy/)
        "checkout_token": form["checkout_token"].value(),
        "fingerprint": form["fingerprint"].value(),
    }
    if "email" not in form.fields:
        data.pop("email")
    if str(province.pk) != str(form["province"].value() or ""):
        data["fingerprint"] = client.get(f"/shop/checkout/quote/?province={province.pk}").json()["fingerprint"]
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def committed(call, *args, **kwargs):
    """Run a request and then its on-commit work (emails), as a real commit would; tests run inside a transaction."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return call(*args, **kwargs)


def place(client, **overrides):
    data = checkout_form(client, **overrides)
    return committed(client.post, "/shop/checkout/", data), data


def last_order():
    return Order.objects.order_by("-pk").first()


def service_basket(product_quantities, *, owner=None):
    """An open basket filled without HTTP (for service and concurrency tests)."""
    from oscar.core.loading import get_class

    Basket = get_model("basket", "Basket")
    Selector = get_class("partner.strategy", "Selector")
    basket = Basket.objects.create(owner=owner)
    basket.strategy = Selector().strategy()
    for product, quantity in product_quantities:
        basket.add_product(product, quantity)
    return basket


def service_place(basket, *, method="cod", token=None, **details):
    """Place an order through shop.checkout.services, as the checkout view does, with a guest in An Giang."""
    import uuid

    from oscar.core.loading import get_class

    from shop.checkout.services import DeliveryDetails, basket_summary, order_place

    Basket = get_model("basket", "Basket")
    Selector = get_class("partner.strategy", "Selector")
    basket = Basket.objects.get(pk=basket.pk)
    basket.strategy = Selector().strategy()
    get_class("offer.applicator", "Applicator")().apply(basket)  # as Oscar's basket middleware does
    province = details.pop("province", None) or an_giang()
    fields = {
        "full_name": "Trần Văn Bình",
        "phone": "+84912345678",
        "email": "binh@example.vn",
        "province": province,
        "commune": details.pop("commune", None) or a_commune(province),
        "street": "1 Lê Lợi",
        **details,
    }
    pickup = bool(fields.get("pickup_showroom"))
    fingerprint = basket_summary(basket=basket, province_id=None if pickup else province.pk, pickup=pickup).fingerprint
    return order_place(
        basket=basket,
        user=None,
        details=DeliveryDetails(**fields),
        method=method,
        checkout_token=token or uuid.uuid4().hex,
        fingerprint=fingerprint,
    )
