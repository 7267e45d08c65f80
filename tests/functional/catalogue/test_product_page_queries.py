"""The product page's cost does not grow with what the visitor viewed before (Oscar's recently viewed list), and
stays within the page budget."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.catalogue import make_certified_product, make_product

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]
PAGE_BUDGET = 20


def _queries(client, url) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_product_page_costs_the_same_with_1_or_6_recently_viewed_products(client):
    product = make_certified_product(title="Mắm cá linh Châu Đốc")
    viewed = [make_certified_product(title=f"Khô cá lóc số {n}") for n in range(6)]
    counts = []
    for size in (1, 6):
        client.cookies["oscar_history"] = json.dumps([p.pk for p in viewed[:size]])
        count, page = _queries(client, product.get_absolute_url())
        assert all(f"Khô cá lóc số {n}" in page for n in range(size))
        counts.append(count)
    assert counts[0] == counts[1] <= PAGE_BUDGET, counts


def test_a_viewed_product_no_longer_for_sale_leaves_the_recently_viewed_list(client):
    product = make_certified_product(title="Gạo Nàng Nhen")
    gone = make_product(title="Trà mãng cầu hết chứng nhận")
    client.cookies["oscar_history"] = json.dumps([gone.pk])
    _count, page = _queries(client, product.get_absolute_url())
    assert "Trà mãng cầu hết chứng nhận" not in page
