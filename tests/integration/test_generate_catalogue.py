"""manage.py generate_catalogue: the sizes asked for, the same rows for the same seed, a second run that writes
nothing, other sizes replacing only generated rows, and orders whose lines, parts, payments and ledger rows agree
with each other and with what the checkout writes."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Max, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.certification import certificate_is_valid
from catalogue.models import Certificate, Product, ProductImage
from reports.models import Sale
from reports.services import sale_reverse
from shop.fulfilment.models import FulfilmentPart, OrderDelivery
from shop.generator.marks import (
    generated_orders,
    generated_producers,
    generated_products,
    generated_shoppers,
    generated_showrooms,
)
from shop.payments.models import Payment
from showrooms.models import ShelfStock, Showroom, StockMovement
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, service_basket, service_place

pytestmark = pytest.mark.django_db
Order, Line, LinePrice = get_model("order", "Order"), get_model("order", "Line"), get_model("order", "LinePrice")
Partner, StockRecord = get_model("partner", "Partner"), get_model("partner", "StockRecord")
SMALL = {"products": 60, "producers": 20, "showrooms": 4, "orders": 80, "seed": 7}
WRITTEN = (Product, StockRecord, Certificate, ProductImage, Partner, Showroom, ShelfStock, StockMovement, Order, Line,
           LinePrice, FulfilmentPart, OrderDelivery, Payment, Sale)


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_catalogue", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def digest() -> str:
    """Everything a seed decides, by natural keys (primary keys differ from one generation to the next)."""
    rows = [
        list(StockRecord.objects.filter(product__in=generated_products()).order_by("partner_sku")
             .values_list("partner_sku", "product__title", "price", "num_in_stock", "num_allocated",
                          "partner__code")),
        list(Certificate.objects.filter(product__in=generated_products()).order_by("product__upc", "decision_number")
             .values_list("product__upc", "decision_number", "issued_on", "expires_on", "stars", "revoked_on",
                          "verification_code")),
        list(generated_showrooms().order_by("code").values_list("code", "name", "area__code", "latitude", "longitude")),
        list(ShelfStock.objects.filter(showroom__in=generated_showrooms())
             .order_by("showroom__code", "product__upc").values_list("showroom__code", "product__upc", "quantity")),
        list(generated_orders().order_by("number").values_list("number", "status", "total_incl_tax",
                                                                "shipping_incl_tax", "date_placed", "user__email",
                                                                "guest_email")),
        list(Line.objects.filter(order__in=generated_orders()).order_by("order__number", "upc")
             .values_list("order__number", "upc", "quantity", "line_price_incl_tax")),
        list(Payment.objects.filter(order__in=generated_orders()).order_by("order__number")
             .values_list("order__number", "method", "status", "amount", "paid_at")),
        list(Sale.objects.filter(order_line__order__in=generated_orders()).order_by("order_line__order__number",
                                                                                    "product__upc")
             .values_list("order_line__order__number", "product__upc", "amount", "occurred_at", "stars", "booked_on")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def high_water() -> dict:
    return {model.__name__: (model.objects.count(), model.objects.aggregate(top=Max("pk"))["top"]) for model in WRITTEN}


def test_a_small_run_makes_exactly_the_sizes_asked_for():
    generate()

    assert generated_products().count() == 60
    assert generated_producers().count() == 20
    assert generated_showrooms().count() == 4
    assert generated_orders().count() == 80
    assert generated_shoppers().count() == 8  # one shopper for ten orders
    assert StockRecord.objects.filter(product__in=generated_products()).count() == 60
    producers = generated_producers()
    assert not producers.filter(approved_at__isnull=True).exists() and not producers.filter(is_public=False).exists()
    assert producers.filter(area__parent__name__contains="An Giang").count() >= 10, "most producers are in An Giang"
    owners = set(generated_products().values_list("producer__code", flat=True))
    assert owners <= set(producers.values_list("code", flat=True)) and len(owners) > 10, "spread over the producers"
    pictures = ProductImage.objects.filter(product__in=generated_products())
    assert 5 <= pictures.count() <= 35 and not pictures.exclude(original__startswith="bench/").exists()
    assert not pictures.filter(thumbnail="").exists()
    for showroom in generated_showrooms():
        assert showroom.area.parent.name.endswith("An Giang") and showroom.latitude and showroom.longitude
        assert 1 <= showroom.shelf.count() <= 4, "a shelf of 2–6% of the products"
    statuses = set(generated_orders().values_list("status", flat=True))
    assert "completed" in statuses and len(statuses) >= 2
    assert generated_orders().filter(user__isnull=False).count() > generated_orders().filter(user__isnull=True).count()


def test_the_same_seed_gives_the_same_rows_and_a_second_run_writes_nothing():
    generate()
    first, written = digest(), high_water()

    again = generate()

    assert "reusing" in again
    assert high_water() == written
    assert digest() == first

    generate(rebuild=True)
    assert digest() == first, "regenerated from scratch, the same seed gives the same rows"
    assert high_water() != written  # new keys: it did write again

    generate(seed=8)
    assert digest() != first


def test_other_sizes_replace_only_generated_rows():
    demo_producer = make_producer(name="HTX Demo", code="demo-htx")
    demo = make_certified_product(title="Mắm cá linh demo", producer=demo_producer)
    showroom = Showroom.objects.create(code="chau-doc", name="Điểm OCOP Châu Đốc", area=a_commune(),
                                       street_address="1 Lê Lợi")
    real_order = service_place(service_basket([(demo, 1)]))
    generate()
    sold = Sale.objects.filter(order_line__order__in=generated_orders()).first()
    sale_reverse(sale=sold, occurred_at=timezone.now(), note="Trả hàng")  # staff acted on a generated order
    basket = service_basket([(generated_products().first(), 1)])  # a shopper holds a generated product
    assert basket.lines.count() == 1

    generate(products=40, producers=10, showrooms=3, orders=30)

    assert generated_products().count() == 40 and generated_producers().count() == 10
    assert generated_showrooms().count() == 3 and generated_orders().count() == 30
    assert sorted(upc[-6:] for upc in generated_products().values_list("upc", flat=True)) == [
        f"{n:06d}" for n in range(1, 41)]
    assert Product.objects.filter(pk=demo.pk).exists() and Partner.objects.filter(pk=demo_producer.pk).exists()
    assert Showroom.objects.filter(pk=showroom.pk).exists()
    real_order.refresh_from_db()
    assert real_order.lines.get().product_id == demo.pk
    assert Payment.objects.filter(order=real_order).exists()
    assert not Sale.objects.filter(reverses__isnull=False).exists(), "the reversal went with the generated sale"
    assert basket.lines.count() == 0, "the basket line went with its product, as Model.delete would"


def test_orders_add_up_and_only_paid_ones_are_in_the_ledger():
    generate()

    for order in generated_orders().prefetch_related("lines", "parts"):
        lines, parts = list(order.lines.all()), list(order.parts.all())
        goods = sum((line.line_price_incl_tax for line in lines), Decimal(0))
        assert goods + order.shipping_incl_tax == order.total_incl_tax == order.total_excl_tax
        assert sum((part.shipping_fee for part in parts), Decimal(0)) == order.shipping_incl_tax
        assert {part.producer_id for part in parts} == {line.partner_id for line in lines}
        assert 1 <= len(lines) <= 4
        day = timezone.localdate(order.date_placed)
        for line in lines:
            assert line.line_price_incl_tax == line.unit_price_incl_tax * line.quantity
            assert any(certificate_is_valid(c, on=day) for c in line.product.certificates.all()), \
                "sold only while certified"
        payment = order.ocop_payment
        sales = Sale.objects.filter(order_line__order=order)
        if payment.status == "paid":
            assert payment.amount == payment.amount_captured == order.total_incl_tax
            assert sales.count() == len(lines)
            assert sales.aggregate(total=Sum("amount"))["total"] == goods
            assert not sales.filter(occurred_at__lt=order.date_placed).exists()
        else:
            assert not sales.exists()
        expected = {"completed": {"delivered"}, "cancelled": {"cancelled"}, "awaiting_payment": {"awaiting_payment"},
                    "processing": {"confirmed", "packed", "shipped"}}[order.status]
        assert {part.status for part in parts} <= expected
    assert Sale.objects.filter(order_line__order__in=generated_orders()).exists()


def test_orders_leave_stock_alone_and_have_the_shape_checkout_writes():
    generate(orders=0)
    stock = list(StockRecord.objects.filter(product__in=generated_products()).order_by("pk")
                 .values_list("pk", "num_in_stock", "num_allocated"))
    shelves = list(ShelfStock.objects.order_by("pk").values_list("pk", "quantity", "reserved"))

    assert "reusing the generated catalogue" in generate()

    assert list(StockRecord.objects.filter(product__in=generated_products()).order_by("pk")
                .values_list("pk", "num_in_stock", "num_allocated")) == stock
    assert list(ShelfStock.objects.order_by("pk").values_list("pk", "quantity", "reserved")) == shelves
    real = service_place(service_basket([(make_certified_product(), 1)]))
    made = generated_orders().filter(shipping_code="standard").first()
    fields = ("site_id", "currency", "shipping_method", "shipping_code", "shipping_tax_code", "basket_id")
    assert {f: getattr(made, f) for f in fields if f != "basket_id"} == {f: getattr(real, f) for f in fields
                                                                        if f != "basket_id"}
    real_line, made_line = real.lines.get(), made.lines.first()
    for name in ("status", "tax_code", "partner_line_reference", "allocation_cancelled"):
        assert getattr(made_line, name) == getattr(real_line, name)
    assert made_line.num_allocated == made_line.quantity and made_line.prices.count() == 1
    assert made.shipping_address.search_text and made.shipping_address.phone_number
    assert made.delivery.checkout_token and made.ocop_payment.reference.startswith("OCOP")
