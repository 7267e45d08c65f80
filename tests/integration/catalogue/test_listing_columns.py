"""The listing columns on Product agree with the certification gate and follow every write that changes them
(catalogue/listing.py): certificates, prices, online stock, showroom shelves, producers and OCOP sets."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import TestCase
from oscar.core.loading import get_model

from catalogue.certification import listing_certified_q, ocop_today
from catalogue.listing import FEW_LEFT, PLENTY, listings_refresh, listings_refresh_due
from catalogue.models import OcopProductSet, Product
from catalogue.services import certificate_revoke, product_set_link
from shop.listings.services import stock_move
from showrooms.services import shelf_sell
from tests.support.catalogue import certify, make_certified_product, make_producer, make_product
from tests.support.checkout import service_basket, service_place
from tests.support.showrooms import an_giang_commune, make_showroom, stock_shelf

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


def columns(product):
    product.refresh_from_db()
    return product


def listed(day):
    return set(Product.objects.filter(listing_certified_q(on=day)).values_list("pk", flat=True))


def gated(day):
    return set(Product.objects.certified(day).values_list("pk", flat=True))


def test_the_listing_columns_and_the_gate_agree_on_every_day_until_a_recheck_is_due():
    today = ocop_today()
    products = {}
    products["valid"] = make_certified_product()
    products["expires_soon"] = make_product()
    certify(products["expires_soon"], issued_on=today - dt.timedelta(days=1000), expires_on=today + dt.timedelta(days=3))
    products["future"] = make_product()
    certify(products["future"], issued_on=today + dt.timedelta(days=5))
    products["revoked"] = make_product()
    certify(products["revoked"], revoked=True)
    products["renewed_after_gap"] = make_product()
    certify(products["renewed_after_gap"], issued_on=today - dt.timedelta(days=1000), expires_on=today + dt.timedelta(days=2))
    certify(products["renewed_after_gap"], issued_on=today + dt.timedelta(days=8))
    products["none"] = make_product()

    for offset in range(0, 12):
        day = today + dt.timedelta(days=offset)
        with time_machine.travel(dt.datetime.combine(day, dt.time(12)), tick=False):
            listings_refresh_due()  # what the first listing of the day does
            assert listed(day) == gated(day), day


def test_revoking_a_certificate_unlists_the_product_in_the_same_transaction():
    product = make_product()
    certificate = certify(product)
    assert product.pk in listed(ocop_today())
    certificate_revoke(certificate=certificate, revoked_on=ocop_today(), reason="Không đạt khi kiểm tra")
    assert product.pk not in listed(ocop_today())


def test_a_price_change_and_stock_moves_reach_the_listing_columns():
    product = make_certified_product(price=Decimal(100_000), stock=3)
    assert (columns(product).listing_price, product.stock_band) == (Decimal(100_000), 3)
    record = StockRecord.objects.get(product=product)
    producer_user = None
    stock_move(stockrecord=record, delta=50, reason="delivery", user=producer_user)
    assert columns(product).stock_band == PLENTY
    record.price = Decimal(95_000)
    record.save()
    assert columns(product).listing_price == Decimal(95_000)


def test_an_order_allocating_stock_moves_the_band_and_the_last_unit_sold_marks_it_unbuyable():
    product = make_certified_product(stock=2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        service_place(service_basket([(product, 2)]))
    assert columns(product).stock_band == 0
    assert stock_band_label_is_few(columns(make_certified_product(stock=FEW_LEFT)))


def stock_band_label_is_few(product):
    return 0 < product.stock_band <= FEW_LEFT


def test_showroom_shelves_reach_at_showroom_and_closing_the_showroom_takes_it_away(django_user_model):
    product = make_certified_product()
    showroom = make_showroom()
    clerk = django_user_model.objects.create_user(email="clerk@example.vn", password="x")
    assert columns(product).at_showroom is False
    stock_shelf(showroom, product, 1)
    signature = columns(product).shelf_signature
    assert product.at_showroom is True and signature
    shelf_sell(showroom=showroom, product=product, quantity=1, actor=clerk)
    assert columns(product).at_showroom is False and product.shelf_signature != signature
    stock_shelf(showroom, product, 5)
    showroom.is_active = False
    showroom.save()
    assert columns(product).at_showroom is False


def test_the_producers_area_and_the_products_ocop_set_reach_the_listing_columns():
    producer = make_producer(area=an_giang_commune("Tri Tôn"))
    product = make_certified_product(producer=producer, group=1)
    assert columns(product).listing_area == producer.area.former_district and product.listing_group == 1
    producer.area = an_giang_commune("Châu Đốc")
    producer.save()
    assert columns(product).listing_area == an_giang_commune("Châu Đốc").former_district
    product_set_link(product=product, product_set=OcopProductSet.objects.filter(group__number=3).first())
    assert columns(product).listing_group == 3


def test_a_full_refresh_writes_nothing_when_nothing_changed():
    make_certified_product()
    listings_refresh()
    assert listings_refresh() == 0


def test_the_refresh_command_repairs_rows_written_around_the_services():
    from io import StringIO

    from django.core.management import call_command

    product = make_certified_product(price=Decimal(50_000))
    StockRecord.objects.filter(product=product).update(price=Decimal(45_000))  # a bulk load or raw SQL
    out = StringIO()
    call_command("listings_refresh", stdout=out)
    assert "1 product rows changed" in out.getvalue()
    assert columns(product).listing_price == Decimal(45_000)
    call_command("listings_refresh", "--due", stdout=out)


def test_a_deferred_block_refreshes_every_product_it_touched_once_at_its_end():
    from django.db import transaction

    from catalogue.listing import listings_deferred

    products = [make_certified_product(price=Decimal(10_000)) for _ in range(3)]
    with transaction.atomic(), listings_deferred():
        for product in products:
            record = StockRecord.objects.get(product=product)
            record.price = Decimal(12_000)
            record.save()
        assert {columns(p).listing_price for p in products} == {Decimal(10_000)}  # not yet
    assert {columns(p).listing_price for p in products} == {Decimal(12_000)}
