"""What shoppers see of livestream selling, over HTTP: the schedule, the site-wide banner, a session's page with its
stream, featured products and live prices, add-to-basket from that page (JSON and without script), session links,
complaints, and the product page's next session."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from catalogue.certification import ocop_today
from catalogue.models import Certificate
from livestream.models import LiveComplaint, LiveOrder, LiveSession
from livestream.services import SESSION_HINT, session_cancel, session_end, session_pin
from tests.support.catalogue import make_certified_product
from tests.support.checkout import basket_add, last_order, place
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
START = timezone.make_aware(dt.datetime(2026, 12, 5, 20, 0))  # 20:00 on Saturday 05/12 in Asia/Ho_Chi_Minh
DURING = START + dt.timedelta(minutes=5)
JSON = {"HTTP_ACCEPT": "application/json"}


# ---------------------------------------------------------------- helpers
@pytest.fixture
def host(django_user_model):
    return make_host(django_user_model)


@pytest.fixture
def rice():
    return make_certified_product(title="Gạo Nàng Nhen Bảy Núi 5kg", price=Decimal("200000"), stock=50)


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def main_html(response) -> str:
    html = html_of(response)
    return html[html.index("<main"):html.index("</main>")]


def section(html: str, name: str) -> str:
    start = html.index(f'data-testid="section-{name}"')
    return html[start:html.index("</section>", start)]


def listed(html: str) -> dict[str, str]:
    """Sessions in a list: slug → status."""
    return dict(re.findall(r'data-testid="live-session" data-slug="([^"]+)" data-status="(\w+)"', html))


def cards(html: str) -> list[str]:
    """Featured product cards in page order, as product ids."""
    return re.findall(r'data-testid="featured-product" data-product="(\d+)"', html)


def card(html: str, product) -> str:
    start = html.index(f'data-testid="featured-product" data-product="{product.pk}"')
    return html[start:html.index("</article>", start)]


def add_url(session) -> str:
    return f"/live/{session.slug}/add/"


def open_basket_total():
    basket = Basket.objects.filter(status=Basket.OPEN).order_by("-pk").first()
    basket.strategy = get_class("partner.strategy", "Selector")().strategy()
    get_class("offer.applicator", "Applicator")().apply(basket)
    return basket.total_incl_tax


def ended_session(host, products, *, start, replay_url=""):
    session = make_session(host=host, products=products, start=start)
    take_live(session, at=start)
    session_end(session=session, actor=None, now=start + dt.timedelta(minutes=50))
    if replay_url:
        LiveSession.objects.filter(pk=session.pk).update(replay_url=replay_url)
    return session


# ---------------------------------------------------------------- /live/
def test_the_schedule_shows_live_upcoming_and_past_sessions_with_replays_and_cancellations(client, django_user_model,
                                                                                           rice):
    live = make_session(host=make_host(django_user_model), products=[rice], start=START, title="Chợ phiên đang phát")
    take_live(live)
    soon = make_session(host=make_host(django_user_model), products=[rice], start=START + dt.timedelta(days=2),
                        title="Chợ phiên thứ Hai")
    called_off = make_session(host=make_host(django_user_model), products=[rice], start=START + dt.timedelta(days=3),
                              title="Phiên bị huỷ")
    session_cancel(session=called_off, actor=None, reason="Người dẫn ốm")
    replayed = ended_session(make_host(django_user_model), [rice], start=START - dt.timedelta(days=7),
                             replay_url="https://www.youtube.com/watch?v=abcdefghijk")
    no_replay = ended_session(make_host(django_user_model), [rice], start=START - dt.timedelta(days=6))
    old_cancelled = make_session(host=make_host(django_user_model), products=[rice],
                                 start=START - dt.timedelta(days=3), title="Phiên huỷ tuần trước")
    session_cancel(session=old_cancelled, actor=None)

    with time_machine.travel(DURING, tick=False):
        html = main_html(client.get("/live/"))

    assert listed(section(html, "live")) == {live.slug: "live"}
    upcoming = section(html, "upcoming")
    assert listed(upcoming) == {soon.slug: "scheduled", called_off.slug: "cancelled"}
    assert f'href="/live/{soon.slug}.ics"' in upcoming and "Thêm vào lịch" in upcoming
    assert upcoming.count("Thêm vào lịch") == 1, "no calendar link for a cancelled session"
    assert "Đã huỷ" in upcoming
    assert "20:00–21:00 thứ Hai 07/12" in upcoming, "times in Vietnam, the Vietnamese way"
    past = section(html, "past")
    assert list(listed(past)) == [old_cancelled.slug, no_replay.slug, replayed.slug], "newest first"
    assert listed(past)[old_cancelled.slug] == "cancelled"
    assert past.count("Xem lại") == 1 and 'href="https://www.youtube.com/watch?v=abcdefghijk"' in past
    assert "Hạnh" in html and not re.search(r"host\d+@", html), "the host's name, never an email"


# ---------------------------------------------------------------- the banner
def test_the_banner_shows_on_other_pages_only_while_a_session_is_live(client, host, rice):
    session = make_session(host=host, products=[rice], start=START, title="Chợ phiên tối thứ Bảy")
    with time_machine.travel(START - dt.timedelta(minutes=10), tick=False):
        assert 'data-testid="live-banner"' not in html_of(client.get("/live/rules/"))
    take_live(session)
    with time_machine.travel(START + dt.timedelta(seconds=31), tick=False):  # the cached "nobody is live" expired
        page = html_of(client.get(rice.get_absolute_url()))
        assert 'data-testid="live-banner"' in page and f'href="/live/{session.slug}/"' in page
        assert "Chợ phiên tối thứ Bảy" in page
        assert 'data-testid="live-banner"' not in html_of(client.get(f"/live/{session.slug}/")), "not on its own page"
    session_end(session=session, actor=None, now=START + dt.timedelta(minutes=40))
    with time_machine.travel(START + dt.timedelta(minutes=41), tick=False):
        assert 'data-testid="live-banner"' not in html_of(client.get("/live/rules/"))


def test_the_banner_costs_one_cached_read_per_page(client, host, rice):
    session = make_session(host=host, products=[rice], start=START)
    take_live(session)
    with time_machine.travel(DURING, tick=False):
        client.get("/live/rules/")
        with CaptureQueriesContext(connection) as queries:
            assert 'data-testid="live-banner"' in html_of(client.get("/live/rules/"))
    assert not [q for q in queries.captured_queries if "livestream_livesession" in q["sql"]]


# ---------------------------------------------------------------- a session's page
def test_the_live_price_shows_only_inside_the_window(client, host, rice):
    session = make_session(host=host, products=[(rice, Decimal("159000"), 10, 2)], start=START, minutes=60,
                           stream_url="https://www.youtube.com/watch?v=abcdefghijk", platform="youtube")
    url = f"/live/{session.slug}/"
    with time_machine.travel(START - dt.timedelta(minutes=1), tick=False):
        html = main_html(client.get(url))
        assert "200.000\xa0₫" in card(html, rice) and "159.000" not in html
        assert "<iframe" not in html, "no embed before the session is live"
    take_live(session)
    with time_machine.travel(DURING, tick=False):
        html = main_html(client.get(url))
        shown = card(html, rice)
        assert re.search(r'data-testid="live-price">159.000\xa0₫<', shown)
        assert re.search(r'<s [^>]*data-testid="normal-price">.*200.000\xa0₫</s>', shown)
        assert "Còn 10 suất giá live" in shown and "Tối đa 2 sản phẩm giá live mỗi khách" in shown
        assert 'src="https://www.youtube-nocookie.com/embed/abcdefghijk"' in html and 'loading="lazy"' in html
        assert "<script>" not in html and "onclick" not in html
    with time_machine.travel(START + dt.timedelta(minutes=60), tick=False):  # the scheduled end, still on air
        html = main_html(client.get(url))
        assert "200.000\xa0₫" in card(html, rice) and "159.000" not in html
    session_end(session=session, actor=None, now=START + dt.timedelta(minutes=61))
    with time_machine.travel(START + dt.timedelta(minutes=62), tick=False):
        html = main_html(client.get(url))
        assert "159.000" not in html and "<iframe" not in html


def test_other_platforms_get_a_link_and_the_pinned_product_comes_first(client, host):
    first, second, third = (make_certified_product(title=f"Sản phẩm {n}") for n in range(3))
    session = make_session(host=host, products=[first, second, third], start=START, platform="tiktok",
                           stream_url="https://www.tiktok.com/@hoptacxa/live")
    session_pin(session=session, featured_id=session.featured.get(product=third).pk, actor=None)
    take_live(session)
    with time_machine.travel(DURING, tick=False):
        html = main_html(client.get(f"/live/{session.slug}/"))
    assert cards(html) == [str(third.pk), str(first.pk), str(second.pk)]
    assert 'data-testid="pinned"' in card(html, third) and "Đang giới thiệu" in card(html, third)
    assert 'data-testid="pinned"' not in card(html, first)
    assert re.search(r'href="https://www.tiktok.com/@hoptacxa/live"[^>]*>\s*Xem trên TikTok', html)
    assert "<iframe" not in html


def test_an_uncertified_featured_product_is_not_for_sale(client, host, rice):
    lapsed = make_certified_product(title="Mật ong rừng U Minh")
    session = make_session(host=host, products=[rice, (lapsed, Decimal("90000"))], start=START)
    take_live(session)
    Certificate.objects.filter(product=lapsed).update(revoked_on=ocop_today(), revocation_reason="Không đạt")
    with time_machine.travel(DURING, tick=False):
        html = main_html(client.get(f"/live/{session.slug}/"))
        shown = card(html, lapsed)
        assert "Không bán" in shown and 'data-testid="live-add"' not in shown and "90.000" not in shown
        assert 'data-testid="live-add"' in card(html, rice)
        response = client.post(add_url(session), {"product_id": lapsed.pk, "quantity": 1}, **JSON)
    assert response.status_code == 409 and response.json()["ok"] is False
    assert "không bán" in response.json()["message"]
    assert not Basket.objects.filter(lines__product=lapsed).exists()


# ---------------------------------------------------------------- add to basket from the page
def test_an_add_on_the_page_buys_at_the_live_price_and_the_order_is_attributed(client, host, rice):
    session = make_session(host=host, products=[(rice, Decimal("159000"))], start=START)
    take_live(session)
    with time_machine.travel(DURING, tick=False):
        response = client.post(add_url(session), {"product_id": rice.pk, "quantity": 2}, **JSON)
        assert response.status_code == 200
        answer = response.json()
        assert answer == {"ok": True, "message": "Đã thêm 2 “Gạo Nàng Nhen Bảy Núi 5kg” vào giỏ hàng.",
                          "basket_count": 2}
        assert open_basket_total() == Decimal(2 * 159000)
        hint = client.session[SESSION_HINT]
        assert (hint["slug"], hint["via"]) == (session.slug, "session_page")
        assert 'data-testid="basket-count">2<' in html_of(client.get(f"/live/{session.slug}/"))

        placed, _ = place(client)
        assert placed.status_code == 302, placed
    order = last_order()
    assert order.live_order.session == session and order.live_order.via == LiveOrder.Via.LIVE_PRICE
    assert order.total_excl_tax - order.shipping_excl_tax == Decimal(2 * 159000)


def test_without_a_live_price_the_page_add_attributes_the_order_to_the_session(client, host, rice):
    session = make_session(host=host, products=[rice], start=START)
    take_live(session)
    with time_machine.travel(DURING, tick=False):
        response = client.post(add_url(session), {"product_id": rice.pk, "quantity": 1})  # no script
        assert response.status_code == 302 and response["Location"] == f"/live/{session.slug}/#product-{rice.pk}"
        page = html_of(client.get(response["Location"]))
        assert "Đã thêm 1 “Gạo Nàng Nhen Bảy Núi 5kg” vào giỏ hàng." in page
        place(client)
    order = last_order()
    assert order.live_order.via == LiveOrder.Via.SESSION_PAGE and order.live_order.session == session


def test_an_add_before_the_session_is_live_leaves_no_hint(client, host, rice):
    session = make_session(host=host, products=[(rice, Decimal("159000"))], start=START)
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        response = client.post(add_url(session), {"product_id": rice.pk, "quantity": 1}, **JSON)
        assert response.json()["ok"] is True
        assert open_basket_total() == Decimal("200000")
    assert SESSION_HINT not in client.session


def test_only_featured_products_of_a_session_that_still_stands_can_be_added(client, host, rice):
    other = make_certified_product(title="Khô cá lóc")
    session = make_session(host=host, products=[rice], start=START)
    assert client.post(add_url(session), {"product_id": other.pk, "quantity": 1}, **JSON).status_code == 404
    assert client.post("/live/khong-co/add/", {"product_id": rice.pk, "quantity": 1}).status_code == 404
    assert client.get(add_url(session)).status_code == 405

    too_many = client.post(add_url(session), {"product_id": rice.pk, "quantity": 51}, **JSON)
    assert too_many.status_code == 409
    assert too_many.json() == {"ok": False, "message": "Chỉ còn 50 “Gạo Nàng Nhen Bảy Núi 5kg” để mua.",
                               "basket_count": 0}

    session_cancel(session=session, actor=None)
    refused = client.post(add_url(session), {"product_id": rice.pk, "quantity": 1}, **JSON)
    assert refused.status_code == 409
    assert refused.json() == {"ok": False, "message": "Phiên live này đã huỷ: không thêm sản phẩm từ phiên được nữa.",
                              "basket_count": 0}
    assert not Basket.objects.filter(lines__isnull=False).exists()
    assert 'data-testid="live-add"' not in main_html(client.get(f"/live/{session.slug}/"))


# ---------------------------------------------------------------- session links
def test_a_session_link_on_any_page_is_remembered_and_attributes_the_order(client, host, rice):
    session = make_session(host=host, products=[rice], start=START)
    cancelled = make_session(host=make_host(type(host)), products=[rice], start=START + dt.timedelta(days=1))
    session_cancel(session=cancelled, actor=None)

    client.get(f"{rice.get_absolute_url()}?live={cancelled.slug}")
    client.get("/live/rules/?live=khong-co-phien-nay")
    assert SESSION_HINT not in client.session

    client.get(f"{rice.get_absolute_url()}?utm_source=zalo&live={session.slug}")
    hint = client.session[SESSION_HINT]
    assert (hint["slug"], hint["via"]) == (session.slug, "link")

    basket_add(client, rice)
    place(client)
    assert last_order().live_order.via == LiveOrder.Via.LINK and last_order().live_order.session == session


# ---------------------------------------------------------------- complaints and rules
def test_a_complaint_posted_twice_is_kept_once(client, host, rice):
    session = make_session(host=host, products=[rice], start=START)
    page = main_html(client.get(f"/live/{session.slug}/"))
    assert 'href="/live/rules/"' in page
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    data = {"name": "Lê Thị Thu", "phone": "0912 345 678", "email": "", "key": key,
            "message": "Người dẫn nói gạo hữu cơ nhưng bao bì không ghi."}

    first = client.post(f"/live/{session.slug}/complaint/", data)
    again = client.post(f"/live/{session.slug}/complaint/", data)

    assert first.status_code == again.status_code == 302
    assert first["Location"] == f"/live/{session.slug}/#complaint"
    complaint = LiveComplaint.objects.get()
    assert (complaint.session, complaint.phone, complaint.status) == (session, "+84912345678", "open")
    assert "Đã nhận khiếu nại" in html_of(client.get(first["Location"]))
    assert list(session.complaints.all()) == [complaint], "listed for staff with the session"

    client.post(f"/live/{session.slug}/complaint/", {**data, "key": ""})  # no key: same message within a minute
    assert LiveComplaint.objects.count() == 1
    client.post(f"/live/{session.slug}/complaint/", {**data, "message": "Giao thiếu 1 bao."})
    assert LiveComplaint.objects.count() == 2


def test_an_invalid_complaint_is_refused_in_vietnamese(client, host, rice):
    session = make_session(host=host, products=[rice], start=START)
    response = client.post(f"/live/{session.slug}/complaint/", {"name": " ", "email": "", "phone": "", "message": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vui lòng nhập họ tên." in html and "Vui lòng nhập nội dung khiếu nại." in html
    assert "Vui lòng để lại email hoặc số điện thoại để chúng tôi trả lời." in html
    wrong = client.post(f"/live/{session.slug}/complaint/",
                        {"name": "Lan", "email": "lan@", "phone": "12345", "message": "Hàng giả"}).content.decode()
    assert "Email không hợp lệ." in wrong and "Số điện thoại không hợp lệ." in wrong
    assert not LiveComplaint.objects.exists()


def test_the_rules_page_covers_what_the_law_asks(client):
    html = main_html(client.get("/live/rules/"))
    for words in ("122/2025/QH15", "Ai được bán", "Giấy tờ chất lượng", "Danh tính người dẫn", "Khiếu nại",
                  "lưu 3 năm"):
        assert words in html


# ---------------------------------------------------------------- the product page
def test_the_product_page_shows_the_next_session_featuring_it(client, host, rice):
    make_session(host=host, products=[rice], start=START + dt.timedelta(days=7), title="Phiên tuần sau")
    cancelled = make_session(host=host, products=[rice], start=START - dt.timedelta(days=1), title="Phiên bị huỷ")
    session_cancel(session=cancelled, actor=None)
    ended_session(host, [rice], start=START - dt.timedelta(days=2))
    session = make_session(host=host, products=[rice], start=START, title="Chợ phiên tối thứ Bảy")
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        html = main_html(client.get(rice.get_absolute_url()))
    shown = html[html.index('data-testid="product-next-live"'):]
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", shown[:shown.index("</p>")]))
    assert "Phiên live sắp tới: Chợ phiên tối thứ Bảy, 20:00 thứ Bảy 05/12" in shown
    assert f'href="/live/{session.slug}/"' in html
    assert 'data-testid="product-next-live"' not in main_html(
        client.get(make_certified_product(title="Không có phiên").get_absolute_url()))


# ---------------------------------------------------------------- constant queries
def _queries(client, url) -> int:
    client.get(url)  # warm the caches (menus, the banner)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.usefixtures("uncached")
def test_the_schedule_costs_the_same_queries_for_2_or_6_sessions(client, django_user_model, rice):
    def add_sessions(offset_days):
        for n in range(2):
            make_session(host=make_host(django_user_model), products=[rice],
                         start=START + dt.timedelta(days=offset_days + n))
        ended_session(make_host(django_user_model), [rice], start=START - dt.timedelta(days=offset_days + 10),
                      replay_url="https://www.youtube.com/watch?v=abcdefghijk")

    add_sessions(1)
    with time_machine.travel(DURING, tick=False):
        few = _queries(client, "/live/")
    add_sessions(3)
    add_sessions(5)
    with time_machine.travel(DURING, tick=False):
        many = _queries(client, "/live/")
    assert LiveSession.objects.count() == 9
    assert many == few


@pytest.mark.usefixtures("uncached")
def test_a_session_page_costs_the_same_queries_for_2_or_6_featured_products(client, host):
    products = [make_certified_product(title=f"Đặc sản {n}") for n in range(6)]

    def measure(items):
        session = make_session(host=host, products=[(p, Decimal("99000"), 5, 1) for p in items],
                               start=START + dt.timedelta(hours=2 * len(items)))
        take_live(session)
        session_pin(session=session, featured_id=session.featured.last().pk, actor=None)
        with time_machine.travel(session.scheduled_start + dt.timedelta(minutes=5), tick=False):
            return _queries(client, f"/live/{session.slug}/")

    assert measure(products[:2]) == measure(products)
