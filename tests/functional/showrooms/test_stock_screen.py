"""The showroom staff's stock screen and pickup counter through real HTTP requests: every action changes the level
and the history, refusals say why in Vietnamese and change nothing, the same form twice is one movement, and
every URL and form field of another showroom is a 404 that changes nothing."""

import re
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Sale
from shop.fulfilment.models import FulfilmentPart
from showrooms.models import ShelfStock, StockMovement
from showrooms.services import shelf_receive
from tests.support.catalogue import make_certified_product, make_product, make_programme_staff
from tests.support.checkout import service_basket, service_place
from tests.support.showrooms import make_clerk, make_showroom

pytestmark = pytest.mark.django_db
Reason = StockMovement.Reason
TITLE = "Mắm cá linh Châu Đốc hũ 500g"


# ---------------------------------------------------------------- the world
@pytest.fixture
def world(django_user_model):
    a = make_showroom(name="Điểm OCOP Châu Đốc", code="chau-doc")
    b = make_showroom(name="Điểm OCOP Long Xuyên", code="long-xuyen")
    c = make_showroom(name="Điểm OCOP Tân Châu", code="tan-chau")
    clerk = make_clerk(django_user_model, a, c, email="an@example.vn")  # works at A and C
    colleague = make_clerk(django_user_model, a, email="binh@example.vn")  # another clerk of A
    clerk_b = make_clerk(django_user_model, b, email="chi@example.vn")  # works at B only
    product = make_certified_product(title=TITLE, price=Decimal("85000"))
    shelf_receive(showroom=b, product=product, quantity=5, actor=clerk_b)
    return {"a": a, "b": b, "c": c, "clerk": clerk, "colleague": colleague, "clerk_b": clerk_b, "product": product}


def url(showroom, *rest):
    return "/shop/showroom-stock/" + "/".join([showroom.code, *[str(r) for r in rest]]) + "/"


def product_url(showroom, product):
    return url(showroom, "products", product.pk)


def act(client, showroom, product, action, follow=True, **data):
    """POST one action of the product page with a fresh one-time key (unless one is given)."""
    data.setdefault("request_key", uuid.uuid4().hex)
    return client.post(product_url(showroom, product), {"action": action, **data}, follow=follow)


def level(showroom, product):
    return ShelfStock.objects.filter(showroom=showroom, product=product).values_list("quantity", flat=True).first() or 0


def page_text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def snapshot():
    return (
        list(ShelfStock.objects.order_by("pk").values_list("showroom_id", "product_id", "quantity", "reserved")),
        StockMovement.objects.count(),
        Sale.objects.count(),
        list(FulfilmentPart.objects.order_by("pk").values_list("status", "cash_collected")),
    )


def place_pickup(showroom, product, quantity=2, method="cod"):
    """A shopper's pickup order at the showroom, placed through the checkout service (units are reserved)."""
    order = service_place(service_basket([(product, quantity)]), method=method, pickup_showroom=showroom,
                          full_name="Nguyễn Thị Lan", phone="0912 345 678")
    return FulfilmentPart.objects.select_related("order").get(order_id=order.pk)  # fresh: the number as stored


# ---------------------------------------------------------------- the actions
def test_every_action_changes_the_level_and_the_history(client, world):
    a, c, product = world["a"], world["c"], world["product"]
    client.force_login(world["clerk"])

    steps = [
        ("receive", {"quantity": "10"}, 10, f"Đã nhận 10 “{TITLE}” từ chủ thể. Trên kệ: 10."),
        ("sell", {"quantity": "2"}, 8, f"Đã bán 2 “{TITLE}”. Trên kệ còn 8."),
        ("count", {"counted": "7"}, 7, f"Kiểm kê “{TITLE}”: đếm được 7, điều chỉnh −1. Trên kệ: 7."),
        ("plus", {}, 8, f"Đã điều chỉnh +1 “{TITLE}”. Trên kệ: 8."),
        ("minus", {}, 7, f"Đã điều chỉnh −1 “{TITLE}”. Trên kệ: 7."),
        ("damaged", {"quantity": "1"}, 6, f"Đã ghi 1 “{TITLE}” hư hỏng. Trên kệ còn 6."),
        ("returned", {"quantity": "2"}, 4, f"Đã ghi trả 2 “{TITLE}” cho chủ thể. Trên kệ còn 4."),
        ("transfer", {"quantity": "1", "destination": c.code}, 3,
         f"Đã chuyển 1 “{TITLE}” đến Điểm OCOP Tân Châu. Trên kệ còn 3."),
    ]
    for action, data, expected, message in steps:
        response = act(client, a, product, action, **data)
        assert response.status_code == 200, (action, response.status_code)
        assert response.redirect_chain[-1][0] == product_url(a, product), action  # POST-redirect-GET
        assert messages_of(response) == [message], action
        assert level(a, product) == expected, action
        assert response.context["quantity"] == expected
        assert f'data-testid="on-shelf">{expected}<' in page_text(response)

    history = list(
        StockMovement.objects.filter(showroom=a).order_by("pk").values_list("reason", "delta", "balance", "actor"))
    clerk = world["clerk"].pk
    assert history == [
        (Reason.DELIVERY, 10, 10, clerk), (Reason.SALE, -2, 8, clerk), (Reason.COUNT, -1, 7, clerk),
        (Reason.COUNT, 1, 8, clerk), (Reason.COUNT, -1, 7, clerk), (Reason.DAMAGED, -1, 6, clerk),
        (Reason.RETURNED, -2, 4, clerk), (Reason.TRANSFER_OUT, -1, 3, clerk),
    ]
    assert level(c, product) == 1 and StockMovement.objects.get(showroom=c).reason == Reason.TRANSFER_IN
    sale = Sale.objects.get(showroom=a)
    assert (sale.quantity, sale.amount) == (2, Decimal("170000"))

    # The history page lists every movement with its delta and resulting balance; the screen shows the last ones.
    page = page_text(client.get(url(a, "history")))
    for reason_label in ("Nhận hàng từ chủ thể", "Bán tại điểm", "Điều chỉnh kiểm kê", "Hư hỏng", "Trả lại chủ thể",
                         "Chuyển đi điểm khác"):
        assert reason_label in page
    assert page.count('class="stock-history__row') == 8 and "−2" in page and "+10" in page
    assert "Bán tại điểm" in page_text(client.get(url(a)))


def test_a_count_that_agrees_with_the_books_writes_nothing(client, world):
    a, product = world["a"], world["product"]
    client.force_login(world["clerk"])
    act(client, a, product, "receive", quantity="4")
    response = act(client, a, product, "count", counted="4")
    assert messages_of(response) == [f"Số đếm khớp sổ: trên kệ 4 “{TITLE}”. Không có thay đổi."]
    assert StockMovement.objects.filter(showroom=a).count() == 1


@pytest.mark.parametrize(
    "action, data, message",
    [
        ("sell", {"quantity": "4"}, "Chỉ còn 3 “Mắm cá linh Châu Đốc hũ 500g” có thể bán"),
        ("damaged", {"quantity": "5"}, "Không đủ hàng: trên kệ còn 3, không thể bớt 5."),
        ("returned", {"quantity": "9"}, "Không đủ hàng: trên kệ còn 3, không thể bớt 9."),
        ("transfer", {"quantity": "4", "destination": "tan-chau"}, "Điểm OCOP Châu Đốc chỉ còn 3"),
        ("sell", {"quantity": "0"}, "Số lượng phải lớn hơn 0."),
        ("receive", {"quantity": "0"}, "Số lượng phải lớn hơn 0."),
        ("receive", {"quantity": "abc"}, "Nhập một số nguyên, ví dụ 5."),
        ("receive", {"quantity": "-3"}, "Nhập một số nguyên, ví dụ 5."),
        ("receive", {"quantity": "2,5"}, "Nhập một số nguyên, ví dụ 5."),
        ("receive", {"quantity": ""}, "Nhập số lượng."),
        ("receive", {"quantity": "1000000"}, "Số lượng quá lớn"),
        ("count", {"counted": "-1"}, "Nhập một số nguyên, ví dụ 5."),
        ("transfer", {"quantity": "1", "destination": ""}, "Chọn điểm nhận."),
        ("transfer", {"quantity": "1", "destination": "chau-doc"}, None),  # itself: not a choice → 404
        ("explode", {}, "Thao tác không hợp lệ."),
        ("sell", {"quantity": "1", "request_key": ""}, "Biểu mẫu đã cũ. Vui lòng tải lại trang rồi thử lại."),
    ],
)
def test_refusals_show_a_vietnamese_message_and_change_nothing(client, world, action, data, message):
    a, product = world["a"], world["product"]
    shelf_receive(showroom=a, product=product, quantity=3, actor=world["clerk"])
    client.force_login(world["clerk"])
    before = snapshot()
    response = act(client, a, product, action, **data)
    if message is None:
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 400), response.status_code
        assert any(message in text for text in messages_of(response)), messages_of(response)
        assert message in page_text(response)
    assert snapshot() == before


def test_an_uncertified_product_on_the_shelf_can_leave_it_but_is_never_sold_or_received(client, world):
    import datetime as dt

    from django.utils import timezone

    a = world["a"]
    product = make_certified_product(title="Khô cá tra phồng")
    shelf_receive(showroom=a, product=product, quantity=5, actor=world["clerk"])
    product.certificates.update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(world["clerk"])
    page = page_text(client.get(product_url(a, product)))
    assert "không còn chứng nhận OCOP hiệu lực" in page

    before = snapshot()
    response = act(client, a, product, "sell", quantity="1")
    assert messages_of(response) == ["“Khô cá tra phồng” không còn giấy chứng nhận OCOP hiệu lực: không được bán."]
    response = act(client, a, product, "receive", quantity="1")
    assert "không được nhận lên kệ" in messages_of(response)[0]
    response = act(client, a, product, "plus")
    assert "không được nhận lên kệ" in messages_of(response)[0]
    assert snapshot() == before

    act(client, a, product, "returned", quantity="5")
    assert level(a, product) == 0 and not Sale.objects.filter(showroom=a).exists()


def test_the_same_form_sent_twice_is_one_movement(client, world):
    a, product = world["a"], world["product"]
    client.force_login(world["clerk"])
    for action, data in (("receive", {"quantity": "6"}), ("sell", {"quantity": "2"}), ("plus", {}),
                         ("count", {"counted": "3"}), ("transfer", {"quantity": "1", "destination": "tan-chau"})):
        key = uuid.uuid4().hex
        first = act(client, a, product, action, request_key=key, **data)
        count = StockMovement.objects.count()
        again = act(client, a, product, action, request_key=key, **data)
        assert StockMovement.objects.count() == count, action
        assert first.status_code == again.status_code == 200
        assert messages_of(again) == [  # said plainly: nothing was done a second time
            f"Thay đổi này đã được ghi trước đó; không ghi thêm. Trên kệ: {level(a, product)}."], action
    assert level(a, product) == 2 and level(world["c"], product) == 1
    assert Sale.objects.filter(showroom=a).count() == 1


def test_the_page_gives_each_form_its_own_one_time_key(client, world):
    client.force_login(world["clerk"])
    page = page_text(client.get(product_url(world["a"], world["product"])))
    keys = re.findall(r'name="request_key" value="([0-9a-f]{32})"', page)
    assert len(keys) == 8 and len(set(keys)) == 8  # −1, +1, sell, receive, count, damaged, returned, transfer
    assert page.count('class="btn') >= 8


# ---------------------------------------------------------------- undo
def test_the_confirmation_offers_undo_of_the_clerks_own_last_change(client, world):
    a, product = world["a"], world["product"]
    client.force_login(world["clerk"])
    act(client, a, product, "receive", quantity="10")
    response = act(client, a, product, "sell", quantity="2")
    sale = StockMovement.objects.get(showroom=a, reason=Reason.SALE)
    undo_url = url(a, "movements", sale.pk, "undo")
    page = page_text(response)
    assert f'action="{undo_url}"' in page and "Hoàn tác" in page

    # Another clerk of the same showroom may not undo it; a clerk of another showroom does not even find it.
    before = snapshot()
    client.force_login(world["colleague"])
    response = client.post(undo_url, {"request_key": "u1"}, follow=True)
    assert messages_of(response) == ["Chỉ người ghi mới hoàn tác được."]
    client.force_login(world["clerk_b"])
    assert client.post(undo_url, {"request_key": "u1"}).status_code == 404
    assert client.post(url(world["b"], "movements", sale.pk, "undo"), {"request_key": "u1"}).status_code == 404
    assert snapshot() == before

    client.force_login(world["clerk"])
    response = client.post(undo_url, {"request_key": "u2"}, follow=True)
    assert messages_of(response) == [f"Đã hoàn tác “Bán tại điểm −2” của “{TITLE}”. Trên kệ: 10."]
    assert level(a, product) == 10
    undo = StockMovement.objects.get(reason=Reason.UNDO)
    assert (undo.delta, undo.reverses_id, undo.actor) == (2, sale.pk, world["clerk"])
    assert Sale.objects.filter(showroom=a, kind=Sale.Kind.REVERSAL).count() == 1
    client.post(undo_url, {"request_key": "u2"})  # pressed twice: undone once
    assert StockMovement.objects.filter(reason=Reason.UNDO).count() == 1 and level(a, product) == 10
    assert "đã hoàn tác" in page_text(client.get(url(a, "history")))

    # Only the last change: the delivery before it is refused.
    delivery = StockMovement.objects.get(showroom=a, reason=Reason.DELIVERY)
    response = client.post(url(a, "movements", delivery.pk, "undo"), {"request_key": "u3"}, follow=True)
    assert messages_of(response) == ["Chỉ hoàn tác được thay đổi gần nhất của bạn."]
    assert level(a, product) == 10


def test_undo_is_refused_after_the_window(client, world, settings):
    import datetime as dt

    from django.utils import timezone

    a, product = world["a"], world["product"]
    client.force_login(world["clerk"])
    act(client, a, product, "receive", quantity="3")
    movement = StockMovement.objects.get(showroom=a)
    StockMovement.objects.filter(pk=movement.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=settings.SHOWROOM_UNDO_MINUTES + 1))
    assert url(a, "movements", movement.pk, "undo") not in page_text(client.get(product_url(a, product)))
    response = client.post(url(a, "movements", movement.pk, "undo"), {"request_key": "u"}, follow=True)
    assert messages_of(response) == [f"Đã quá {settings.SHOWROOM_UNDO_MINUTES} phút, không hoàn tác được nữa."]
    assert level(a, product) == 3


# ---------------------------------------------------------------- finding products, choosing a showroom
def test_search_by_name_without_accents_sku_or_barcode(client, world):
    a, product = world["a"], world["product"]
    other = make_certified_product(title="Trà khổ qua rừng")
    uncertified = make_product(title="Mắm cá linh chưa chứng nhận")
    client.force_login(world["clerk"])

    response = client.get(url(a), {"q": "mam ca linh"})
    results = response.context["products"]
    assert [p.title for p in results] == [TITLE]  # never the uncertified one that is not on this shelf
    page = page_text(response)
    assert product.producer.name in page and product.upc in page and "Trên kệ" in page and "Giữ cho khách" in page
    assert uncertified.title not in page and other.title not in page

    # A scanned barcode (or SKU) opens the product at once.
    response = client.get(url(a), {"q": product.upc.lower()})
    assert response.status_code == 302 and response["Location"] == product_url(a, product)
    sku = product.stockrecords.get().partner_sku
    assert client.get(url(a), {"q": sku})["Location"] == product_url(a, product)

    # The quick search asks for the results only.
    fragment = client.get(url(a), {"q": "tra kho qua"}, HTTP_X_REQUESTED_WITH="stock-search")
    assert fragment.status_code == 200 and "Trà khổ qua rừng" in page_text(fragment)
    assert "<html" not in page_text(fragment)
    assert "Không tìm thấy" in page_text(client.get(url(a), {"q": "khong co gi"}))


def test_the_chooser_goes_straight_to_the_only_showroom_and_lists_several(client, world):
    client.force_login(world["clerk_b"])
    response = client.get("/shop/showroom-stock/")
    assert response.status_code == 302 and response["Location"] == url(world["b"])
    client.force_login(world["clerk"])
    page = page_text(client.get("/shop/showroom-stock/"))
    assert "Điểm OCOP Châu Đốc" in page and "Điểm OCOP Tân Châu" in page and "Điểm OCOP Long Xuyên" not in page
    english = client.get("/en" + url(world["a"]))  # English under /en/, the same screen
    assert english.status_code == 200 and english.context["showroom"] == world["a"]


def test_the_header_links_showroom_staff_to_the_stock_screen(client, world, django_user_model):
    client.force_login(world["clerk"])
    assert 'href="/shop/showroom-stock/"' in page_text(client.get("/shop/basket/"))
    shopper = django_user_model.objects.create_user(email="khach@example.vn", password="pw-1234567")
    client.force_login(shopper)
    assert 'href="/shop/showroom-stock/"' not in page_text(client.get("/shop/basket/"))


# ---------------------------------------------------------------- history
@pytest.mark.usefixtures("uncached")
def test_history_is_paginated_filterable_and_costs_the_same_queries_for_any_page(client, world):
    a, product = world["a"], world["product"]
    other = make_certified_product(title="Trà khổ qua rừng")
    clerk = world["clerk"]
    client.force_login(clerk)
    shelf_receive(showroom=a, product=other, quantity=1, actor=clerk)
    shelf_receive(showroom=a, product=product, quantity=1, actor=world["colleague"])

    def queries(path):
        client.get(path)  # warm the session and the user
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured), response

    few, response = queries(url(a, "history"))
    assert len(response.context["movements"]) == 2
    for _ in range(60):
        shelf_receive(showroom=a, product=product, quantity=1, actor=clerk)
    many, response = queries(url(a, "history"))
    assert len(response.context["movements"]) == 50 and response.context["page"].paginator.num_pages == 2
    assert many == few, (few, many)
    assert len(client.get(url(a, "history"), {"page": 2}).context["movements"]) == 12

    response = client.get(url(a, "history"), {"product": other.pk})
    assert [m.product_id for m in response.context["movements"]] == [other.pk]
    assert client.get(url(a, "history"), {"product": "abc"}).status_code == 404
    hidden = make_product(title="Không chứng nhận")
    assert client.get(url(a, "history"), {"product": hidden.pk}).status_code == 404


# ---------------------------------------------------------------- pickup counter
def test_pickup_list_shows_what_the_counter_needs_and_cash_needs_the_tick(client, world):
    a, product = world["a"], world["product"]
    shelf_receive(showroom=a, product=product, quantity=5, actor=world["clerk"])
    part = place_pickup(a, product, quantity=2)
    assert part.pickup_showroom == a and part.status == FulfilmentPart.Status.CONFIRMED
    assert ShelfStock.objects.get(showroom=a, product=product).reserved == 2
    client.force_login(world["clerk"])

    page = page_text(client.get(url(a, "pickups")))
    order = part.order
    assert order.number in page and "Nguyễn Thị Lan" in page and "0912 345 678" in page
    assert TITLE in page and "× 2" in page
    assert "Đã thu đủ 170.000\xa0₫" in page and "Đã giao cho khách" in page
    assert "1 đơn khách đặt trước đang chờ lấy" in page_text(client.get(url(a)))

    hand_over = url(a, "pickups", part.pk, "hand-over")
    before = snapshot()
    response = client.post(hand_over, {"request_key": "h1"}, follow=True)
    assert messages_of(response) == [
        f"Đơn {order.number}: hãy thu đủ 170.000\xa0₫ rồi đánh dấu “Đã thu đủ” trước khi giao."]
    assert snapshot() == before

    response = client.post(hand_over, {"request_key": "h2", "cash_received": "on"}, follow=True)
    assert messages_of(response) == [f"Đã giao đơn {order.number} cho khách và thu 170.000\xa0₫."]
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.DELIVERED and part.cash_collected == Decimal("170000")
    shelf = ShelfStock.objects.get(showroom=a, product=product)
    assert (shelf.quantity, shelf.reserved) == (3, 0)
    pickup = StockMovement.objects.get(reason=Reason.PICKUP)
    assert (pickup.showroom, pickup.delta, pickup.balance, pickup.actor) == (a, -2, 3, world["clerk"])
    assert order.number not in page_text(client.get(url(a, "pickups")))
    assert order.number in page_text(client.get(url(a, "pickups"), {"done": "1"}))

    client.post(hand_over, {"request_key": "h2", "cash_received": "on"})  # sent twice: handed over once
    assert StockMovement.objects.filter(reason=Reason.PICKUP).count() == 1


def test_a_pickup_not_yet_paid_online_is_not_handed_over(client, world):
    a, product = world["a"], world["product"]
    shelf_receive(showroom=a, product=product, quantity=5, actor=world["clerk"])
    part = place_pickup(a, product, quantity=1, method="vietqr")
    client.force_login(world["clerk"])
    page = page_text(client.get(url(a, "pickups")))
    assert "Khách chưa thanh toán: chưa giao hàng." in page
    before = snapshot()
    response = client.post(url(a, "pickups", part.pk, "hand-over"), {"request_key": "h"}, follow=True)
    assert messages_of(response) == [f"Đơn {part.order.number}: Đơn chưa được thanh toán: chưa giao hàng."]
    assert snapshot() == before

    from shop.payments.services import payment_mark_paid

    payment = part.order.ocop_payment
    payment_mark_paid(payment=payment, amount=payment.amount)
    response = client.post(url(a, "pickups", part.pk, "hand-over"), {"request_key": "h3"}, follow=True)
    assert messages_of(response) == [f"Đã giao đơn {part.order.number} cho khách."]  # prepaid: no cash, no tick
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.DELIVERED and part.cash_collected is None


# ---------------------------------------------------------------- who may do what
@pytest.fixture
def b_world(world):
    """Showroom B's things that A's clerk must never reach."""
    b, product = world["b"], world["product"]
    part = place_pickup(b, product, quantity=1)
    movement = StockMovement.objects.get(showroom=b, reason=Reason.DELIVERY)
    uncertified = make_product(title="Chưa chứng nhận, không ở kệ A")
    return {**world, "part_b": part, "movement_b": movement, "uncertified": uncertified}


def b_requests(w):
    """Every view of showroom B, GET and POST, with data that would change something if it were accepted."""
    b, product, part, movement = w["b"], w["product"], w["part_b"], w["movement_b"]
    key = {"request_key": uuid.uuid4().hex}
    return [
        ("get", url(b), {}),
        ("get", url(b), {"q": "mam ca linh"}),
        ("get", product_url(b, product), {}),
        *[("post", product_url(b, product), {"action": action, **data, **key}) for action, data in (
            ("sell", {"quantity": "1"}), ("receive", {"quantity": "1"}), ("count", {"counted": "0"}), ("plus", {}),
            ("minus", {}), ("damaged", {"quantity": "1"}), ("returned", {"quantity": "1"}),
            ("transfer", {"quantity": "1", "destination": w["a"].code}))],
        ("get", url(b, "movements", movement.pk, "undo"), {}),
        ("post", url(b, "movements", movement.pk, "undo"), key),
        ("get", url(b, "history"), {}),
        ("get", url(b, "history"), {"product": product.pk}),
        ("get", url(b, "pickups"), {}),
        ("get", url(b, "pickups", part.pk, "hand-over"), {}),
        ("post", url(b, "pickups", part.pk, "hand-over"), {"cash_received": "on", **key}),
    ]


def a_requests_on_b_objects(w):
    """A's own URLs carrying B's objects (or a product A may not touch) in the path or in a form field."""
    a, part, movement, uncertified = w["a"], w["part_b"], w["movement_b"], w["uncertified"]
    key = {"request_key": uuid.uuid4().hex}
    return [
        ("post", url(a, "movements", movement.pk, "undo"), key),
        ("post", url(a, "pickups", part.pk, "hand-over"), {"cash_received": "on", **key}),
        ("get", product_url(a, uncertified), {}),
        ("post", product_url(a, uncertified), {"action": "receive", "quantity": "1", **key}),
        ("post", product_url(a, uncertified), {"action": "minus", **key}),
        ("get", url(a, "history"), {"product": uncertified.pk}),
        ("post", product_url(a, w["product"]),
         {"action": "transfer", "quantity": "1", "destination": w["b"].code, **key}),
    ]


def test_a_clerk_of_a_gets_404_for_every_url_and_field_of_showroom_b_and_nothing_changes(client, b_world):
    shelf_receive(showroom=b_world["a"], product=b_world["product"], quantity=3, actor=b_world["clerk"])
    client.force_login(b_world["clerk"])
    before = snapshot()
    for method, path, data in b_requests(b_world) + a_requests_on_b_objects(b_world):
        response = getattr(client, method)(path, data)
        assert response.status_code == 404, (method, path, data, response.status_code)
    assert snapshot() == before
    # A's own pages never show B's pickup order.
    assert b_world["part_b"].order.number not in page_text(client.get(url(b_world["a"], "pickups"), {"done": "1"}))


@pytest.mark.parametrize("who", ["producer", "shopper", "staff_without_permission", "anonymous"])
def test_people_who_are_not_showroom_staff_get_nothing(client, b_world, django_user_model, who):
    if who == "producer":
        user = django_user_model.objects.create_user(email="htx@example.vn", password="pw-1234567")
        b_world["product"].producer.users.add(user)  # even the producer of the product on B's shelf
    elif who == "shopper":
        user = django_user_model.objects.create_user(email="khach@example.vn", password="pw-1234567")
    elif who == "staff_without_permission":
        user = make_programme_staff(django_user_model)  # staff, but may not change shelf stock
    else:
        user = None
    if user:
        client.force_login(user)
    before = snapshot()
    for method, path, data in [("get", "/shop/showroom-stock/", {}), *b_requests(b_world)]:
        response = getattr(client, method)(path, data)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (path, response)
        else:
            assert response.status_code == 403, (who, method, path, response.status_code)
            assert "chưa được phân công vào điểm bán OCOP nào" in page_text(response)
    assert snapshot() == before


def test_programme_staff_with_the_permission_may_act_at_every_showroom(client, b_world, django_user_model):
    staff = make_programme_staff(django_user_model)
    staff.user_permissions.add(Permission.objects.get(codename="change_shelfstock"))
    client.force_login(staff)
    a, b, product = b_world["a"], b_world["b"], b_world["product"]
    paths = ("/shop/showroom-stock/", url(a), url(b), product_url(b, product), url(b, "history"), url(b, "pickups"))
    for path in paths:
        assert client.get(path).status_code == 200, path
    act(client, b, product, "receive", quantity="2")
    act(client, b, product, "transfer", quantity="3", destination=a.code)
    assert (level(b, product), level(a, product)) == (4, 3)
    response = client.post(url(b, "pickups", b_world["part_b"].pk, "hand-over"),
                           {"request_key": "s1", "cash_received": "on"}, follow=True)
    assert messages_of(response)[0].startswith("Đã giao đơn")
    b_world["part_b"].refresh_from_db()
    assert b_world["part_b"].status == FulfilmentPart.Status.DELIVERED and level(b, product) == 3
