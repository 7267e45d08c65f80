"""Ledger rows keep what reports group them by as it was when the money was taken, and closed periods stay closed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.models import Platform, Sale
from reports.services import PeriodRefused, period_close, platform_of, sale_record, sale_reverse
from tests.support.catalogue import certify, make_producer, make_product
from tests.support.showrooms import an_giang_commune

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def staff():
    user = get_user_model().objects.create_user(email="canbo@example.vn", password="x")
    user.is_staff = True
    user.save()
    return user


def _sale(product, day, **fields):
    fields.setdefault("channel", Sale.Channel.ONLINE)
    return sale_record(occurred_at=_at(day), title=product.title, quantity=2, amount=Decimal("180000"),
                       product=product, producer=product.producer, **fields)


def test_a_row_keeps_the_area_group_and_stars_of_the_day_the_money_was_taken():
    commune = an_giang_commune()
    producer = make_producer(area=commune)
    product = make_product(producer=producer, group=2)
    today = timezone.localdate()
    certify(product, stars=3, issued_on=today - dt.timedelta(days=400))

    sale = _sale(product, today - dt.timedelta(days=10))
    certify(product, stars=5, issued_on=today - dt.timedelta(days=1), decision_number="99/QĐ-UBND")
    producer.area = None
    producer.save()
    sale.refresh_from_db()

    assert (sale.area_id, sale.ocop_group, sale.stars) == (commune.pk, 2, 3)
    assert sale.booked_on == today - dt.timedelta(days=10)
    reversal = sale_reverse(sale=sale, occurred_at=timezone.now())
    assert (reversal.area_id, reversal.ocop_group, reversal.stars, reversal.booked_on) == (commune.pk, 2, 3, today)


def test_a_late_row_of_a_closed_period_is_booked_in_the_open_period(staff):
    product = make_product(producer=make_producer())
    certify(product, issued_on=timezone.localdate() - dt.timedelta(days=500))
    today = timezone.localdate()
    first, last = today - dt.timedelta(days=60), today - dt.timedelta(days=31)
    on_time = _sale(product, first + dt.timedelta(days=3))

    period_close(starts_on=first, ends_on=last, user=staff)
    late = _sale(product, first + dt.timedelta(days=5))

    assert on_time.booked_on == first + dt.timedelta(days=3), "rows already there keep their day"
    assert late.booked_on == today
    assert late.occurred_at.date() == first + dt.timedelta(days=5), "the day the money was taken is kept too"


def test_only_an_ended_period_can_be_closed_and_closing_twice_is_once(staff):
    today = timezone.localdate()
    with pytest.raises(PeriodRefused):
        period_close(starts_on=today - dt.timedelta(days=5), ends_on=today, user=staff)
    with pytest.raises(PeriodRefused):
        period_close(starts_on=today - dt.timedelta(days=5), ends_on=today - dt.timedelta(days=9), user=staff)
    first = period_close(starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1), user=staff)
    assert period_close(starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1), user=staff) == first


def test_an_external_sale_names_its_platform_and_no_other_channel_does():
    product = make_product(producer=make_producer())
    certify(product)
    with pytest.raises(IntegrityError), transaction.atomic():
        _sale(product, timezone.localdate(), channel=Sale.Channel.EXTERNAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        _sale(product, timezone.localdate(), platform=Platform.SHOPEE)
    sale = _sale(product, timezone.localdate(), channel=Sale.Channel.EXTERNAL, platform=Platform.LAZADA)
    assert sale.get_platform_display() == "Lazada"


@pytest.mark.parametrize(
    ("typed", "platform"),
    [("Shopee", "shopee"), ("TikTok Shop", "tiktok_shop"), ("Siêu thị Co.opmart", "supermarket"),
     ("sieu thi", "supermarket"), ("Voso.vn", "voso"), ("chợ phiên", "other"), ("lazada", "lazada")],
)
def test_a_typed_platform_name_maps_to_a_platform(typed, platform):
    assert platform_of(typed) == platform
