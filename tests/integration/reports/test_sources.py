"""Every source of the sales ledger, run through its real service: one row per sale, one reversing row per
cancellation, refund or return, none for what was never paid; each row with the facts reports group it by.

Sources: cash on delivery, VietQR transfer (staff and bank statement), card (Stripe webhooks and refunds, with
Stripe's API stubbed as in tests/integration/payments), part cancellations before and after payment, accepted
returns, the showroom counter (and its undo), pickup hand-over, orders a live session brought in, and external
sales entered by producers.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from livestream.models import LiveOrder
from reports.models import Platform, Sale
from shop.fulfilment.models import FulfilmentPart
from shop.fulfilment.services import (
    after_sales_answer,
    order_cancel,
    part_advance,
    part_cancel,
    part_due,
    part_record_cash,
    return_request_create,
)
from shop.listings.services import ListingRefused, external_sale_record
from shop.payments.bank_statement import statement_rows
from shop.payments.services import payment_mark_paid, statement_import
from showrooms.models import StockMovement
from showrooms.services import movement_undo, pickup_hand_over, shelf_sell
from tests.integration.payments.conftest import fake_stripe, stripe_on, two_producers  # noqa: F401 (fixtures)
from tests.integration.payments.test_stripe_webhooks import (
    deliver,
    intent_event,
    payment_of,
    place_card_order,
    post_refund,
    refund_form_key,
    staff_client,
)
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, committed, service_basket, service_place
from tests.support.livestream import make_host, make_session, take_live
from tests.support.showrooms import an_giang_commune, make_clerk, make_showroom, stock_shelf

pytestmark = pytest.mark.django_db
Status = FulfilmentPart.Status
SALE, REVERSAL = Sale.Kind.SALE, Sale.Kind.REVERSAL


# ---------------------------------------------------------------- helpers
def rows(kind=None, **filters):
    queryset = Sale.objects.filter(**filters).order_by("pk")
    return queryset.filter(kind=kind) if kind else queryset


def of_order(order, kind=None):
    return rows(kind, order_line__order=order)


def assert_facts(*sales):
    """Each row carries the day it is counted on and what reports group it by."""
    assert sales, "no ledger rows to check"
    for sale in sales:
        assert sale.booked_on == timezone.localdate(sale.occurred_at) or sale.booked_on == timezone.localdate()
        assert sale.area_id is not None and sale.ocop_group is not None and sale.stars is not None, sale
        assert sale.producer_id is not None and sale.product_id is not None, sale


def assert_one_row_per_line(order, *, channel=Sale.Channel.ONLINE, lines=None):
    lines = list(order.lines.order_by("pk")) if lines is None else lines
    sales = list(of_order(order, SALE))
    assert sorted(s.order_line_id for s in sales) == sorted(line.pk for line in lines)
    for sale in sales:
        line = sale.order_line
        assert (sale.channel, sale.quantity, sale.amount) == (channel, line.quantity, line.line_price_incl_tax)
        assert sale.producer_id == line.partner_id and sale.product_id == line.product_id
    assert_facts(*sales)
    return sales


def assert_reversed(sales, *, channel=None):
    """Exactly one reversing row for each of these sales, mirroring it."""
    for sale in sales:
        [reversal] = Sale.objects.filter(reverses=sale)
        assert reversal.kind == REVERSAL
        assert (reversal.quantity, reversal.amount) == (-sale.quantity, -sale.amount)
        assert (reversal.channel, reversal.order_line_id, reversal.showroom_id, reversal.live_session_id) == (
            channel or sale.channel, sale.order_line_id, sale.showroom_id, sale.live_session_id
        )
        assert (reversal.area_id, reversal.ocop_group, reversal.stars) == (sale.area_id, sale.ocop_group, sale.stars)
        assert_facts(reversal)


def ship(part):
    part_advance(part=part, to=Status.SHIPPED, actor=None, carrier="VNPost", tracking_number=f"VN{part.pk}")
    part.refresh_from_db()
    return part


def cash(part):
    part_record_cash(part=part, amount=part_due(part), actor=None)
    part.refresh_from_db()
    return part


@pytest.fixture
def goods():
    """Two producers in two communes of An Giang, certified products in three OCOP groups."""
    first = make_producer(name="HTX Mắm Châu Đốc", area=an_giang_commune("Châu Đốc"))
    second = make_producer(name="HTX Thốt nốt Tri Tôn", area=a_commune())
    return {
        "first": first,
        "second": second,
        "sauce": make_certified_product(title="Mắm cá linh", price=Decimal("100000"), producer=first, stock=20),
        "fish": make_certified_product(title="Khô cá lóc", price=Decimal("50000"), producer=first, stock=20,
                                       stars=3),
        "wine": make_certified_product(title="Rượu thốt nốt", price=Decimal("70000"), producer=second, stock=20,
                                       group=2, stars=5),
    }


def mixed_order(goods, method="cod", **details):
    basket = service_basket([(goods["sauce"], 1), (goods["fish"], 2), (goods["wine"], 1)])
    return service_place(basket, method=method, **details)


# ---------------------------------------------------------------- online: cash on delivery
def test_cash_on_delivery_enters_when_the_cash_is_recorded_not_at_placement(goods):
    order = mixed_order(goods)
    assert not Sale.objects.exists()  # placed, not paid
    first = order.parts.get(producer=goods["first"])
    ship(first)
    assert not Sale.objects.exists()  # shipped, still not paid

    cash(first)
    part_record_cash(part=first, amount=part_due(first), actor=None)  # the same click twice
    lines = list(first.lines.order_by("pk"))
    assert_one_row_per_line(order, lines=lines)

    second = cash(ship(order.parts.get(producer=goods["second"])))
    sales = assert_one_row_per_line(order)
    assert len(sales) == 3 and not rows(REVERSAL).exists()
    assert {s.stars for s in sales} == {3, 4, 5} and {s.ocop_group for s in sales} == {1, 2}
    assert {s.area_id for s in sales} == {goods["first"].area_id, goods["second"].area_id}
    assert second.status == Status.DELIVERED


def test_cash_on_delivery_part_cancelled_before_the_cash_writes_nothing(goods):
    order = mixed_order(goods)
    part_cancel(part=order.parts.get(producer=goods["second"]), reason="Khách đổi ý")
    assert not Sale.objects.exists()
    cash(ship(order.parts.get(producer=goods["first"])))
    assert_one_row_per_line(order, lines=list(order.parts.get(producer=goods["first"]).lines))
    assert not rows(REVERSAL).exists()


# ---------------------------------------------------------------- online: VietQR transfer
def test_transfer_enters_when_marked_paid_and_a_statement_imported_twice_writes_once(goods):
    order = mixed_order(goods, "vietqr")
    assert not Sale.objects.exists()
    amount = int(order.total_incl_tax)
    statement = f"Ngày giao dịch;Số tiền;Nội dung\n27/11/2026;{amount};CK OCOP{order.number}\n".encode()

    assert [o.result for o in statement_import(rows=statement_rows(statement), actor=None)] == ["paid"]
    assert [o.result for o in statement_import(rows=statement_rows(statement), actor=None)] == ["already"]
    payment = payment_of(order)
    assert payment_mark_paid(payment=payment, amount=payment.amount) == "already"  # staff press it too

    assert len(assert_one_row_per_line(order)) == 3
    assert not rows(REVERSAL).exists()


def test_transfer_part_cancelled_before_payment_never_enters(goods):
    order = mixed_order(goods, "vietqr")
    cancelled = order.parts.get(producer=goods["second"])
    committed(part_cancel, part=cancelled, reason="Hết hàng")
    assert not Sale.objects.exists()
    payment = payment_of(order)
    assert committed(payment_mark_paid, payment=payment, amount=payment.amount) == "paid"
    kept = list(order.parts.get(producer=goods["first"]).lines)
    assert_one_row_per_line(order, lines=kept)  # no row for the cancelled part's line, no reversal either
    assert not rows(REVERSAL).exists()


def test_transfer_part_cancelled_after_payment_is_reversed_once(goods):
    order = mixed_order(goods, "vietqr")
    payment = payment_of(order)
    committed(payment_mark_paid, payment=payment, amount=payment.amount)
    part = order.parts.get(producer=goods["first"])

    committed(part_cancel, part=part, reason="Hết hàng")  # reverses, then refunds (which reverses again: no-op)
    committed(part_cancel, part=part, reason="Hết hàng")

    sales = {s.order_line_id: s for s in of_order(order, SALE)}
    assert len(sales) == 3
    assert_reversed([sales[line.pk] for line in part.lines])
    assert of_order(order, REVERSAL).count() == 2


def test_staff_cancelling_a_paid_order_reverses_every_line_once(goods):
    order = mixed_order(goods, "vietqr")
    payment = payment_of(order)
    committed(payment_mark_paid, payment=payment, amount=payment.amount)
    committed(order_cancel, order=order, reason="Khách huỷ đơn")
    committed(order_cancel, order=order, reason="Khách huỷ đơn")
    assert_reversed(list(of_order(order, SALE)))
    assert of_order(order, REVERSAL).count() == 3


# ---------------------------------------------------------------- returns
def test_an_accepted_return_reverses_the_parts_lines_and_the_refund_after_it_adds_nothing(goods, django_user_model):
    order = mixed_order(goods)
    part = cash(ship(order.parts.get(producer=goods["first"])))
    other = cash(ship(order.parts.get(producer=goods["second"])))
    sales = {s.order_line_id: s for s in assert_one_row_per_line(order)}
    client = staff_client(django_user_model)
    staff = django_user_model.objects.get(email="dieuphoi@example.vn")

    rejected = return_request_create(part=other, reason="Không thích")
    committed(after_sales_answer, item=rejected, answer="Sản phẩm không lỗi", actor=staff, accept=False)
    assert not rows(REVERSAL).exists()  # a rejected return changes nothing

    request = return_request_create(part=part, reason="Hũ mắm bị vỡ")
    committed(after_sales_answer, item=request, answer="Đồng ý, hoàn tiền trong 3 ngày", actor=staff, accept=True)
    returned = [sales[line.pk] for line in part.lines]
    assert_reversed(returned)
    assert "Hũ mắm bị vỡ" in Sale.objects.get(reverses=returned[0]).note

    # the money goes back by hand for cash on delivery: the refund of the same lines finds the reversal
    key = refund_form_key(client, order, part)
    post_refund(client, order, part, list(part.lines), key, reason="Trả hàng")
    assert payment_of(order).amount_refunded == sum(line.line_price_incl_tax for line in part.lines)
    assert rows(REVERSAL).count() == 2
    assert_reversed(returned)


# ---------------------------------------------------------------- card (Stripe stubbed)
def test_card_paid_by_a_webhook_twice_enters_once(client, fake_stripe, two_producers):  # noqa: F811
    fish_sauce, dried_fish = two_producers
    order = place_card_order(client, (fish_sauce, 2), (dried_fish, 1))
    event = intent_event(payment_of(order))
    assert not Sale.objects.exists()

    assert deliver(client, event).content == b"paid"
    assert deliver(client, event).content == b"duplicate"  # Stripe retried the same event
    assert deliver(client, intent_event(payment_of(order))).content == b"already"  # another event, same payment

    assert len(assert_one_row_per_line(order)) == 2
    assert not rows(REVERSAL).exists()


def test_card_partial_then_full_refund_writes_one_reversal_per_refunded_line(
    client, fake_stripe, two_producers, django_user_model  # noqa: F811
):
    fish_sauce, dried_fish = two_producers
    order = place_card_order(client, (fish_sauce, 2), (dried_fish, 1))
    deliver(client, intent_event(payment_of(order)))
    sales = {s.order_line_id: s for s in assert_one_row_per_line(order)}
    staff = staff_client(django_user_model)
    first = order.parts.get(producer=fish_sauce.producer)
    second = order.parts.get(producer=dried_fish.producer)

    key = refund_form_key(staff, order, first)
    post_refund(staff, order, first, list(first.lines), key)  # partial: one producer's line
    post_refund(staff, order, first, list(first.lines), key)  # the form posted twice
    assert [r.reverses.order_line_id for r in rows(REVERSAL)] == [first.lines.get().pk]
    assert len(fake_stripe.refunds) == 1

    post_refund(staff, order, second, list(second.lines), refund_form_key(staff, order, second))  # the rest
    assert_reversed(list(sales.values()))
    assert rows(REVERSAL).count() == 2 and len(fake_stripe.refunds) == 2


def test_card_part_cancelled_before_payment_never_enters(client, fake_stripe, two_producers):  # noqa: F811
    fish_sauce, dried_fish = two_producers
    order = place_card_order(client, (fish_sauce, 2), (dried_fish, 1))
    committed(part_cancel, part=order.parts.get(producer=dried_fish.producer), reason="Khách bỏ bớt")
    payment = payment_of(order)
    deliver(client, intent_event(payment, amount=int(payment.amount)))
    assert_one_row_per_line(order, lines=list(order.lines.filter(product=fish_sauce)))
    assert not rows(REVERSAL).exists()


# ---------------------------------------------------------------- showroom counter and pickup
def test_a_counter_sale_is_one_showroom_row_and_its_undo_one_reversal(django_user_model, goods):
    showroom = make_showroom(name="Điểm OCOP Châu Đốc")
    clerk = make_clerk(django_user_model, showroom)
    stock_shelf(showroom, goods["sauce"], 10, actor=clerk)

    movement = shelf_sell(showroom=showroom, product=goods["sauce"], quantity=3, actor=clerk, request_key="tap-1")
    shelf_sell(showroom=showroom, product=goods["sauce"], quantity=3, actor=clerk, request_key="tap-1")  # double tap

    sale = rows(SALE).get()
    assert (sale.channel, sale.showroom, sale.quantity, sale.amount) == (
        Sale.Channel.SHOWROOM, showroom, 3, Decimal(300000)
    )
    assert sale.order_line is None and movement.sale == sale
    assert_facts(sale)

    movement_undo(movement=movement, actor=clerk)
    movement_undo(movement=movement, actor=clerk)
    assert_reversed([sale])
    assert rows(REVERSAL).count() == 1


@pytest.mark.parametrize("method", ["cod", "vietqr"])
def test_a_pickup_hand_over_is_one_online_row_never_a_showroom_row(django_user_model, goods, method):
    showroom = make_showroom(name="Điểm OCOP Châu Đốc")
    clerk = make_clerk(django_user_model, showroom)
    stock_shelf(showroom, goods["sauce"], 5, actor=clerk)
    order = service_place(service_basket([(goods["sauce"], 2)]), method=method, pickup_showroom=showroom)
    part = order.parts.get()
    assert not Sale.objects.exists()
    if method == "vietqr":
        payment_mark_paid(payment=payment_of(order), amount=order.total_incl_tax)  # prepaid: it enters here
        assert of_order(order).count() == 1

    for _ in range(2):
        pickup_hand_over(part=part, actor=clerk, cash=part_due(part) if method == "cod" else None)

    assert_one_row_per_line(order)
    assert Sale.objects.count() == 1 and not rows(channel=Sale.Channel.SHOWROOM).exists()
    assert StockMovement.objects.filter(reason="pickup", sale__isnull=True).count() == 1


def test_an_uncollected_prepaid_pickup_is_reversed_when_it_expires(django_user_model, goods, settings):
    from showrooms.services import pickups_expire_uncollected

    settings.SHOWROOM_PICKUP_DAYS = 7
    showroom = make_showroom()
    stock_shelf(showroom, goods["sauce"], 5)
    order = service_place(service_basket([(goods["sauce"], 1)]), method="vietqr", pickup_showroom=showroom)
    committed(payment_mark_paid, payment=payment_of(order), amount=order.total_incl_tax)
    FulfilmentPart.objects.filter(order=order).update(confirmed_at=timezone.now() - dt.timedelta(days=8))

    committed(pickups_expire_uncollected)
    committed(pickups_expire_uncollected)
    assert_reversed(list(of_order(order, SALE)))
    assert rows(REVERSAL).count() == 1


# ---------------------------------------------------------------- livestream
@pytest.mark.parametrize("method", ["cod", "vietqr"])
def test_an_order_a_live_session_brought_in_enters_under_that_session(django_user_model, goods, method):
    start = timezone.now() - dt.timedelta(minutes=10)
    session = make_session(host=make_host(django_user_model), products=[(goods["wine"], Decimal("59000"))],
                           start=start, title="Chợ phiên OCOP tối thứ Bảy")
    take_live(session, at=start)
    order = service_place(service_basket([(goods["wine"], 1), (goods["sauce"], 1)]), method=method)
    assert LiveOrder.objects.get(order=order).session == session
    if method == "cod":
        for part in order.parts.all():
            cash(ship(part))
    else:
        payment_mark_paid(payment=payment_of(order), amount=order.total_incl_tax)

    sales = assert_one_row_per_line(order, channel=Sale.Channel.LIVESTREAM)
    assert {s.live_session for s in sales} == {session}
    assert all(s.note == "livestream Chợ phiên OCOP tối thứ Bảy" for s in sales)
    wine = next(s for s in sales if s.product == goods["wine"])
    assert wine.amount == Decimal("59000")  # at the live price
    assert not rows(channel=Sale.Channel.ONLINE).exists()

    if method == "vietqr":  # a cancellation after payment is reversed under the same session
        committed(part_cancel, part=order.parts.get(producer=goods["second"]), reason="Hết hàng")
        assert_reversed([wine], channel=Sale.Channel.LIVESTREAM)
        assert rows(REVERSAL).count() == 1


# ---------------------------------------------------------------- external platforms
def test_an_external_sale_entered_twice_with_the_same_key_is_one_row(goods, django_user_model):
    producer, product = goods["second"], goods["wine"]
    user = django_user_model.objects.create_user(email="htx@example.vn", password="x")
    sold_on = timezone.localdate() - dt.timedelta(days=3)
    entry = dict(producer=producer, product=product, quantity=4, amount=Decimal(280000), sold_on=sold_on, user=user)

    first = external_sale_record(platform="Shopee", key="form-1", **entry)
    again = external_sale_record(platform="Shopee", key="form-1", **entry)  # resent form
    assert again == first and rows().count() == 1
    with pytest.raises(ListingRefused):
        external_sale_record(platform="Shopee", key="form-1", **{**entry, "quantity": 5})  # same key, other content
    assert rows().count() == 1

    assert (first.channel, first.platform, first.quantity, first.amount) == (
        Sale.Channel.EXTERNAL, Platform.SHOPEE, 4, Decimal(280000)
    )
    assert first.booked_on == sold_on and first.order_line is None
    assert_facts(first)

    other = external_sale_record(platform="Siêu thị Co.opmart", key="form-2", **entry)  # another form: another row
    assert other.platform == Platform.SUPERMARKET and rows().count() == 2
