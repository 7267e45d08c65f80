"""The product page's cost does not grow with what the visitor viewed before (Oscar's recently viewed list), and
stays within the page budget."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.catalogue import make_certified_product, make_product

pytestmark = pytest.mark.django_db
PAGE_BUDGET = 20
# Rendered from scratch the page costs a little more than the budget: Oscar's detail page adds its view counter
# (an UPDATE), its recommendations, the review count and the options check to ours. Visitors get it from the page
# cache (anonymous) or with its fragments cached (signed in, with a basket): that is what the budget holds for.
UNCACHED = 22
# A signed-in shopper with a basket, a recently viewed list, wish lists and reviews: the shared fragments come from
# the cache, the shopper's own parts do not (Oscar's basket with its offers 7, recently viewed 4, wish lists 2,
# reviews 3, stock alert 1, notifications 1, the header's producer/showroom links 2). Above the budget of 20: the
# issue note says so; this keeps it from growing.
SHOPPER = 29


def _queries(client, url) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.usefixtures("uncached")
def test_the_product_page_costs_the_same_with_1_or_6_recently_viewed_products(client):
    product = make_certified_product(title="Mắm cá linh Châu Đốc")
    viewed = [make_certified_product(title=f"Khô cá lóc số {n}") for n in range(6)]
    counts = []
    for size in (1, 6):
        client.cookies["oscar_history"] = json.dumps([p.pk for p in viewed[:size]])
        count, page = _queries(client, product.get_absolute_url())
        assert all(f"Khô cá lóc số {n}" in page for n in range(size))
        counts.append(count)
    assert counts[0] == counts[1] <= UNCACHED, counts


def test_a_shopper_with_a_basket_gets_the_product_page_from_its_fragments(client, django_user_model):
    product = make_certified_product(title="Mắm cá linh Châu Đốc")
    shopper = django_user_model.objects.create_user(email="hoa@example.vn", password="mat-khau-dai-123")
    client.force_login(shopper)
    client.post(f"/shop/basket/add/{make_certified_product().pk}/", {"quantity": 1})
    client.cookies["oscar_history"] = json.dumps([make_certified_product(title="Khô cá lóc").pk])
    client.get("/")  # the site's first page ever creates its settings row (a write every page then follows)
    count, page = _queries(client, product.get_absolute_url())
    assert "Mắm cá linh Châu Đốc" in page and "Khô cá lóc" in page
    assert count <= SHOPPER, count


@pytest.mark.usefixtures("uncached")
def test_a_viewed_product_no_longer_for_sale_leaves_the_recently_viewed_list(client):
    product = make_certified_product(title="Gạo Nàng Nhen")
    gone = make_product(title="Trà mãng cầu hết chứng nhận")
    client.cookies["oscar_history"] = json.dumps([gone.pk])
    _count, page = _queries(client, product.get_absolute_url())
    assert "Trà mãng cầu hết chứng nhận" not in page
