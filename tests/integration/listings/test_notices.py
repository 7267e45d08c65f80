"""Producers hear once about expiring certificates, low stock and new orders."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from catalogue.certification import ocop_today
from shop.listings.models import ProducerNotice
from tests.support.catalogue import certify, make_producer, make_product
from tests.support.checkout import a_commune, committed, service_basket, service_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def producer(django_user_model):
    producer = make_producer(name="HTX Báo Tin", area=a_commune())
    producer.users.add(django_user_model.objects.create_user(email="tin@example.vn", password="pw-1234567"))
    return producer


def test_certificates_within_90_and_30_days_and_low_stock_are_told_once(producer):
    today = ocop_today()
    soon = make_product(title="Hết hạn sau 20 ngày", producer=producer, stock=50)
    certify(soon, issued_on=today - dt.timedelta(days=1000), expires_on=today + dt.timedelta(days=20))
    later = make_product(title="Hết hạn sau 60 ngày", producer=producer, stock=50)
    certify(later, issued_on=today - dt.timedelta(days=1000), expires_on=today + dt.timedelta(days=60))
    fine = make_product(title="Còn lâu", producer=producer, stock=3)
    certify(fine)

    call_command("notify_producers", verbosity=0)
    call_command("notify_producers", verbosity=0)

    keys = sorted(ProducerNotice.objects.values_list("key", flat=True))
    assert len(keys) == 3  # 20 days: the 30-day notice; 60 days: the 90-day one; and low stock
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 3 and all(m.to == ["tin@example.vn"] for m in mail.outbox)
    assert any("Hết hạn sau 20 ngày" in m.body and "đánh giá lại" in m.body for m in mail.outbox)
    assert any("“Còn lâu” sắp hết hàng: còn 3" in m.body for m in mail.outbox)


def test_each_producer_hears_of_a_new_order_for_their_part(producer):
    product = make_product(title="Bánh phồng", producer=producer)
    certify(product)
    committed(service_place, service_basket([(product, 1)]))
    assert any("Đơn hàng mới" in m.body and m.to == ["tin@example.vn"] for m in mail.outbox)


def test_renewed_products_and_drafts_are_not_told(producer):
    today = ocop_today()
    renewed = make_product(title="Đã gia hạn", producer=producer, stock=50)
    certify(renewed, issued_on=today - dt.timedelta(days=1000), expires_on=today + dt.timedelta(days=20))
    certify(renewed, issued_on=today - dt.timedelta(days=5))
    make_product(title="Bản nháp hết hàng", producer=producer, stock=0)  # not certified: no low-stock mail
    call_command("notify_producers", verbosity=0)
    assert not mail.outbox
