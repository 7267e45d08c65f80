"""cms.selectors: automatic picks go through the gate and list each product once, newest current certificate first;
stories in the reader's language; showroom counts per area whatever the language of the pages."""

import datetime as dt

import pytest
from django.test import RequestFactory

from catalogue.certification import ocop_today
from cms import selectors
from tests.support.catalogue import certify, make_certified_product, make_producer, make_product
from tests.support.showrooms import an_giang_commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


def titles(cards):
    return [card.product.title for card in cards]


def renewed(title, *, issued_days_ago, old_days_ago=1000, **kwargs):
    """A product with an old certificate and a renewal (two rows in its certificates)."""
    today = ocop_today()
    product = make_product(title=title, **kwargs)
    certify(product, issued_on=today - dt.timedelta(days=old_days_ago))
    certify(product, issued_on=today - dt.timedelta(days=issued_days_ago))
    return product


def test_a_renewed_product_is_listed_once_in_every_automatic_pick(request_):
    area = an_giang_commune()
    producer = make_producer(area=area)
    renewed("Mắm cá linh gia hạn", issued_days_ago=10, producer=producer)
    make_certified_product(title="Đường thốt nốt", producer=producer)

    newest = titles(selectors.newest_certified_cards(limit=8, request=request_))
    group = titles(selectors.group_cards(group_number=1, limit=8, request=request_))
    in_area = titles(selectors.area_product_cards(communes=[area], request=request_))

    for found in (newest, group, in_area):
        assert found.count("Mắm cá linh gia hạn") == 1, found
        assert "Đường thốt nốt" in found, found


def test_newest_is_by_the_current_certificate_not_a_revoked_or_expired_one(request_):
    today = ocop_today()
    older = make_product(title="Chứng nhận 200 ngày trước")
    certify(older, issued_on=today - dt.timedelta(days=200))
    certify(older, issued_on=today - dt.timedelta(days=5), revoked=True)  # newest row, but revoked
    newer = make_product(title="Chứng nhận 50 ngày trước")
    certify(newer, issued_on=today - dt.timedelta(days=50))

    newest = titles(selectors.newest_certified_cards(limit=8, request=request_))
    group = titles(selectors.group_cards(group_number=1, limit=8, request=request_))

    for found in (newest, group):
        assert found.index("Chứng nhận 50 ngày trước") < found.index("Chứng nhận 200 ngày trước"), found


def test_the_count_is_the_count_of_products(request_):
    for n in range(3):
        renewed(f"Sản phẩm gia hạn {n}", issued_days_ago=10 + n)
    assert len(selectors.newest_certified_cards(limit=3, request=request_)) == 3
    assert len(set(titles(selectors.group_cards(group_number=1, limit=3, request=request_)))) == 3
