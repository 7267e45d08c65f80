"""Elasticsearch down: the site keeps selling. With the Elasticsearch engine chosen and nobody listening at its
address, the search page, the search box's suggestions and the listings answer from the database engine (same
products, same gate); recording a certificate and placing an order work, and the index updates they cause are
logged for `manage.py search_index --rebuild`, never raised into the page."""

from __future__ import annotations

import logging
import socket
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client, TestCase
from oscar.core.loading import get_model

from catalogue.certification import ocop_today
from catalogue.models import Certificate
from catalogue.services import certificate_record
from tests.support.catalogue import make_certified_product, make_producer, make_product
from tests.support.checkout import a_commune, basket_add, last_order, place

pytestmark = pytest.mark.django_db
CLOSED_PORT = 9299
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def elasticsearch_down(settings):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        assert probe.connect_ex(("127.0.0.1", CLOSED_PORT)) != 0, f"the test needs nothing listening on {CLOSED_PORT}"
    settings.OCOP_SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{CLOSED_PORT}"
    settings.OCOP_SEARCH_TASKS = False  # indexed after the commit, in the request: its error is this test's to see


def saved(make, *args, **kwargs):
    """Save as a request does: its transaction commits, then its index update runs (and fails, logged). Tests run
    inside one transaction; without this, a later write would join the first write's update that never runs."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return make(*args, **kwargs)


@pytest.fixture
def fish_sauce():
    producer = saved(make_producer, name="HTX Mắm Châu Đốc", area=a_commune())
    return saved(make_certified_product, title="Mắm cá linh Châu Đốc", price=Decimal("120000"), stock=5,
                 producer=producer)


def ok(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def logged(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name and r.levelno >= logging.ERROR]


def test_search_suggestions_and_listings_answer_from_the_database(client, elasticsearch_down, fish_sauce, caplog):
    saved(make_product, title="Mắm cá linh chưa chứng nhận")  # the database engine's gate holds in the fallback too
    caplog.set_level(logging.WARNING)

    results = ok(client.get("/shop/search/", {"q": "mam ca linh chau doc"}))
    assert "Mắm cá linh Châu Đốc" in results and "chưa chứng nhận" not in results
    suggestions = client.get("/shop/search/suggest/", {"q": "mam ca"})
    assert suggestions.status_code == 200
    assert [item["label"] for item in suggestions.json()["products"]] == ["Mắm cá linh Châu Đốc"]
    assert "Mắm cá linh Châu Đốc" in ok(client.get("/shop/catalogue/"))  # browse: a search with no words
    category = fish_sauce.ocop_product_set.category
    assert "Mắm cá linh Châu Đốc" in ok(client.get(category.get_absolute_url()))
    assert "Mắm cá linh Châu Đốc" in ok(client.get("/shop/catalogue/", {"stars": 4}))

    falls_back = [r for r in logged(caplog, "catalogue.search") if "answering from the database" in r.getMessage()]
    assert len(falls_back) >= 5, "each answer from the database engine is logged"
    assert logged(caplog, "django.request") == []


def test_recording_a_certificate_works_and_the_product_is_found_at_once(elasticsearch_down, caplog):
    product = saved(make_product, title="Khô cá lóc Tri Tôn")
    with caplog.at_level(logging.ERROR, logger="catalogue.search"):
        saved(certificate_record, product=product, decision_number="12/QĐ-UBND", stars=4, issued_on=ocop_today())
    assert Certificate.objects.filter(product=product, decision_number="12/QĐ-UBND").exists()
    failed = [r.getMessage() for r in logged(caplog, "catalogue.search")]
    assert failed and str(product.pk) in failed[0] and "search_index --rebuild" in failed[0]
    assert "Khô cá lóc Tri Tôn" in ok(Client().get("/shop/search/", {"q": "kho ca loc"}))


def test_an_order_is_placed_and_the_stock_change_left_for_the_rebuild(client, elasticsearch_down, fish_sauce,
                                                                       caplog):
    caplog.set_level(logging.WARNING)
    basket_add(client, fish_sauce, 2)
    response, _data = place(client)
    assert response.status_code == 302 and response["Location"].endswith("/shop/checkout/thank-you/")
    order = last_order()
    assert order.lines.get().product == fish_sauce and order.ocop_payment.method == "cod"
    assert StockRecord.objects.get(product=fish_sauce).num_allocated == 2
    assert order.number in ok(client.get(response["Location"]))
    assert len(mail.outbox) == 1
    assert any(str(fish_sauce.pk) in r.getMessage() for r in logged(caplog, "catalogue.search")), \
        "the reindex after the order's commit failed, was logged, and did not undo the order"
    assert logged(caplog, "django.request") == []
