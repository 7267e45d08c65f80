"""The storefront's page and fragment caches (shop/caching/): anonymous pages are served whole from the cache,
and every change a shopper could see is visible on the very next request: a price, a certificate revoked or
expiring at midnight, the stock band, a showroom shelf, live-price units left, a page published. Personal pages
are never shared, and CSRF tokens never leave their visitor."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalogue.certification import ocop_today
from catalogue.services import certificate_revoke
from tests.support.catalogue import certify, make_certified_product, make_product
from tests.support.checkout import service_basket, service_place
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
LISTING = "/shop/catalogue/"


@pytest.fixture(autouse=True)
def _site_settings():
    """The site's settings row exists, as on any running site (the first page ever served creates it)."""
    from wagtail.models import Site

    from cms.models import SiteSettings

    SiteSettings.for_site(Site.objects.get(is_default_site=True))


def cache_state(response) -> str:
    return response.headers.get("X-Page-Cache", "none")


def html(response) -> str:
    return response.content.decode()


def test_an_anonymous_listing_is_served_from_the_cache_without_a_query():
    make_certified_product(title="Mắm cá linh Châu Đốc")
    client = Client()
    first = client.get(LISTING)
    assert cache_state(first) == "miss" and "Mắm cá linh Châu Đốc" in html(first)
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(LISTING)
    assert cache_state(second) == "hit" and "Mắm cá linh Châu Đốc" in html(second)
    assert len(queries) == 0


def test_a_new_price_is_on_the_cached_listing_and_product_page_at_once():
    product = make_certified_product(title="Gạo Nàng Nhen", price=Decimal(120_000))
    for url in (LISTING, product.get_absolute_url()):
        Client().get(url)
        assert "120.000" in html(Client().get(url))
    record = StockRecord.objects.get(product=product)
    record.price = Decimal(99_000)
    record.save()  # as the dashboard's stock form does
    for url in (LISTING, product.get_absolute_url()):
        response = Client().get(url)
        assert cache_state(response) == "miss" and "99.000" in html(response) and "120.000" not in html(response)


def test_a_revoked_certificate_takes_the_product_off_cached_pages_at_once():
    product = make_product(title="Khô cá lóc Tri Tôn")
    certificate = certify(product)
    Client().get(LISTING)
    Client().get(product.get_absolute_url())
    assert "Khô cá lóc Tri Tôn" in html(Client().get(LISTING))
    certificate_revoke(certificate=certificate, revoked_on=ocop_today(), reason="Không đạt khi kiểm tra lại")
    assert "Khô cá lóc Tri Tôn" not in html(Client().get(LISTING))
    page = html(Client().get(product.get_absolute_url()))
    assert 'action="/shop/basket/add/' not in page and "Không bán" in page


def test_a_certificate_expiring_today_is_gone_from_cached_pages_tomorrow():
    product = make_product(title="Đường thốt nốt Tri Tôn")
    certify(product, issued_on=ocop_today() - dt.timedelta(days=900), expires_on=ocop_today())
    noon = dt.datetime.combine(ocop_today(), dt.time(12), tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with time_machine.travel(noon, tick=False):
        Client().get(LISTING)
        assert "Đường thốt nốt Tri Tôn" in html(Client().get(LISTING))
    with time_machine.travel(noon + dt.timedelta(days=1), tick=False):
        assert "Đường thốt nốt Tri Tôn" not in html(Client().get(LISTING))


def test_an_order_that_leaves_the_stock_band_alone_keeps_the_cache_and_the_last_units_clear_it():
    product = make_certified_product(title="Bánh pía Long Xuyên", stock=40)
    Client().get(product.get_absolute_url())
    with TestCase.captureOnCommitCallbacks(execute=True):
        service_place(service_basket([(product, 1)]))
    assert cache_state(Client().get(product.get_absolute_url())) == "hit"  # 39 left is still "còn hàng"
    with TestCase.captureOnCommitCallbacks(execute=True):
        service_place(service_basket([(product, 39)]))
    response = Client().get(product.get_absolute_url())
    assert cache_state(response) == "miss"
    assert f'action="/shop/basket/add/{product.pk}/"' not in html(response)


def test_live_price_units_left_follow_each_order_on_the_cached_session_page(django_user_model):
    product = make_certified_product(title="Mắm thái Châu Đốc", price=Decimal(150_000), stock=50)
    session = make_session(host=make_host(django_user_model), products=[(product, Decimal(120_000), 5)])
    url = f"/live/{session.slug}/"
    before = session.scheduled_start - dt.timedelta(minutes=1)
    with time_machine.travel(before, tick=False):
        Client().get(url)
        assert "Còn 5 suất giá live" not in html(Client().get(url))  # not yet live
    take_live(session)
    with time_machine.travel(session.scheduled_start + dt.timedelta(minutes=5), tick=False):
        Client().get(url)
        Client().get(LISTING)
        assert "Còn 5 suất giá live" in html(Client().get(url))
        with TestCase.captureOnCommitCallbacks(execute=True):
            service_place(service_basket([(product, 2)]))
        assert "Còn 3 suất giá live" in html(Client().get(url))
    with time_machine.travel(session.scheduled_end + dt.timedelta(minutes=1), tick=False):
        assert "Còn 3 suất giá live" not in html(Client().get(url))  # the window closed by the clock alone


def test_an_order_at_a_live_price_leaves_other_cached_pages_alone(django_user_model):
    product = make_certified_product(title="Mắm lóc Châu Đốc", price=Decimal(150_000), stock=50)
    other = make_certified_product(title="Nước mắm cá cơm", stock=50)
    session = make_session(host=make_host(django_user_model), products=[(product, Decimal(120_000), 5)])
    take_live(session)
    with time_machine.travel(session.scheduled_start + dt.timedelta(minutes=5), tick=False):
        Client().get(other.get_absolute_url())
        with TestCase.captureOnCommitCallbacks(execute=True):
            service_place(service_basket([(product, 1)]))
        assert cache_state(Client().get(other.get_absolute_url())) == "hit"


def test_a_story_published_again_shows_its_new_title_at_once():
    from tests.support.cms import make_story

    story = make_story(title="Chuyện nghề mắm", slug="chuyen-nghe-mam")
    Client().get(story.url)
    assert "Chuyện nghề mắm" in html(Client().get(story.url))
    story.title = "Chuyện nghề mắm Châu Đốc"
    story.save_revision().publish()
    assert "Chuyện nghề mắm Châu Đốc" in html(Client().get(story.url))


def test_a_signed_in_shopper_never_gets_a_shared_page(django_user_model):
    make_certified_product(title="Trà khổ qua rừng")
    Client().get(LISTING)
    assert cache_state(Client().get(LISTING)) == "hit"
    shopper = django_user_model.objects.create_user(email="lan@example.vn", password="mat-khau-dai-123")
    client = Client()
    client.force_login(shopper)
    response = client.get(LISTING)
    assert cache_state(response) == "none" and "Trà khổ qua rừng" in html(response)
    assert response.wsgi_request.user == shopper


def test_a_cached_page_carries_each_visitors_own_csrf_token_and_it_works():
    product = make_certified_product(title="Hạt điều rang muối")
    Client().get(LISTING)
    tokens = []
    for _visitor in range(2):
        client = Client(enforce_csrf_checks=True)
        response = client.get(LISTING)
        assert cache_state(response) == "hit"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(response)).group(1)
        assert "__ocop_csrf" not in html(response)
        added = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token})
        assert added.status_code == 302  # accepted: a refused token answers 403
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_a_product_page_from_the_cache_still_records_the_visit_in_recently_viewed():
    product = make_certified_product(title="Mật ong hoa tràm")
    Client().get(product.get_absolute_url())
    client = Client()
    response = client.get(product.get_absolute_url())
    assert cache_state(response) == "hit"
    assert str(product.pk) in client.cookies["oscar_history"].value


def test_a_shopper_with_a_basket_gets_the_listing_fragment_from_the_cache_and_a_new_price_at_once(django_user_model):
    product = make_certified_product(title="Gạo thơm Jasmine", price=Decimal(30_000))
    shopper = django_user_model.objects.create_user(email="binh@example.vn", password="mat-khau-dai-123")
    client = Client()
    client.force_login(shopper)
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    client.get(LISTING)
    with CaptureQueriesContext(connection) as cached:
        assert "30.000" in html(client.get(LISTING))
    with override_fragments_off():
        with CaptureQueriesContext(connection) as rendered:
            client.get(LISTING)
    assert len(cached) < len(rendered)
    record = StockRecord.objects.get(product=product)
    record.price = Decimal(28_000)
    record.save()
    assert "28.000" in html(client.get(LISTING))


def override_fragments_off():
    from django.test import override_settings

    return override_settings(OCOP_FRAGMENT_CACHE_SECONDS=0)


def test_two_visitors_of_a_cached_session_page_get_their_own_one_time_complaint_keys(django_user_model):
    session = make_session(host=make_host(django_user_model), products=[make_certified_product()])
    url = f"/live/{session.slug}/"
    Client().get(url)
    keys = []
    for _visitor in range(2):
        response = Client().get(url)
        assert cache_state(response) == "hit"
        keys.append(re.search(r'<input type="hidden" name="key" value="([^"]+)"', html(response)).group(1))
    assert keys[0] != keys[1] and "__ocop" not in "".join(keys)


def test_a_shopper_with_a_basket_sees_a_revoked_certificate_on_the_product_page_at_once(django_user_model):
    product = make_product(title="Tinh dầu tràm")
    certificate = certify(product)
    shopper = django_user_model.objects.create_user(email="cuc@example.vn", password="mat-khau-dai-123")
    client = Client()
    client.force_login(shopper)
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    for _ in range(2):
        page = html(client.get(product.get_absolute_url()))
        assert f'action="/shop/basket/add/{product.pk}/"' in page
    certificate_revoke(certificate=certificate, revoked_on=ocop_today(), reason="Không đạt khi kiểm tra lại")
    page = html(client.get(product.get_absolute_url()))
    assert f'action="/shop/basket/add/{product.pk}/"' not in page and "Không bán" in page


def test_the_product_page_tells_stock_in_bands_and_each_band_change_shows_at_once():
    product = make_certified_product(title="Nấm bào ngư", stock=12)
    assert "Còn hàng" in html(Client().get(product.get_absolute_url()))
    with TestCase.captureOnCommitCallbacks(execute=True):
        service_place(service_basket([(product, 1)]))  # 11 left: still "còn hàng"
    response = Client().get(product.get_absolute_url())
    assert cache_state(response) == "hit" and "Còn hàng" in html(response)
    with TestCase.captureOnCommitCallbacks(execute=True):
        service_place(service_basket([(product, 8)]))  # 3 left
    response = Client().get(product.get_absolute_url())
    assert cache_state(response) == "miss" and "Chỉ còn 3 sản phẩm" in html(response)
    with TestCase.captureOnCommitCallbacks(execute=True):
        service_place(service_basket([(product, 1)]))
    assert "Chỉ còn 2 sản phẩm" in html(Client().get(product.get_absolute_url()))


def test_with_the_cache_down_pages_are_rendered_each_time_instead_of_failing(monkeypatch):
    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("redis is down")

            return fail

    make_certified_product(title="Bánh phồng tôm")
    monkeypatch.setattr("shop.caching.store.cache", Down())
    for _ in range(2):
        response = Client().get(LISTING)
        assert response.status_code == 200 and "Bánh phồng tôm" in html(response)
        assert cache_state(response) != "hit"


def test_suggestions_are_kept_until_a_product_changes():
    product = make_product(title="Đường thốt nốt Tri Tôn")
    certificate = certify(product)
    client = Client()
    first = client.get("/shop/search/suggest/", {"q": "duong thot"}).json()
    assert [item["label"] for item in first["products"]] == ["Đường thốt nốt Tri Tôn"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/shop/search/suggest/", {"q": "duong thot"}).json() == first
    assert len(queries) == 0
    certificate_revoke(certificate=certificate, revoked_on=ocop_today(), reason="Không đạt khi kiểm tra lại")
    assert client.get("/shop/search/suggest/", {"q": "duong thot"}).json()["products"] == []
