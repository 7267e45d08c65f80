"""The shelf-stock ledger: every change is a movement, the level is always their sum, refusals write nothing."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from reports.models import Sale
from showrooms.models import ShelfStock, StockMovement
from showrooms.services import (
    ShelfRefused,
    movement_undo,
    shelf_adjust,
    shelf_count,
    shelf_receive,
    shelf_sell,
    shelf_transfer,
)
from tests.support.catalogue import certify, make_certified_product, make_product
from tests.support.showrooms import make_clerk, make_showroom, stock_shelf

pytestmark = pytest.mark.django_db
Reason = StockMovement.Reason


def level(showroom, product) -> int:
    return ShelfStock.objects.filter(showroom=showroom, product=product).values_list("quantity", flat=True).first() or 0


def movement_sum(showroom, product) -> int:
    return StockMovement.objects.filter(showroom=showroom, product=product).aggregate(s=Sum("delta"))["s"] or 0


def assert_ledger_balanced():
    for shelf in ShelfStock.objects.all():
        assert shelf.quantity == movement_sum(shelf.showroom, shelf.product), shelf
        assert 0 <= shelf.reserved <= shelf.quantity
    for movement in StockMovement.objects.all():
        earlier = StockMovement.objects.filter(
            showroom=movement.showroom, product=movement.product, pk__lte=movement.pk
        ).aggregate(s=Sum("delta"))["s"]
        assert movement.balance == earlier, "each movement records the level it left behind"


def test_receive_sell_count_leave_a_history_that_sums_to_the_level(django_user_model):
    showroom, product = make_showroom(name="Điểm OCOP Châu Đốc"), make_certified_product(price=Decimal("85000"))
    clerk = make_clerk(django_user_model, showroom)

    shelf_receive(showroom=showroom, product=product, quantity=10, actor=clerk)
    sale = shelf_sell(showroom=showroom, product=product, quantity=2, actor=clerk)
    correction = shelf_count(showroom=showroom, product=product, counted=7, actor=clerk)

    assert level(showroom, product) == 7
    assert correction.delta == -1 and correction.reason == Reason.COUNT and correction.balance == 7
    history = list(StockMovement.objects.filter(showroom=showroom).order_by("pk").values_list("reason", "delta", "actor"))
    assert history == [(Reason.DELIVERY, 10, clerk.pk), (Reason.SALE, -2, clerk.pk), (Reason.COUNT, -1, clerk.pk)]
    row = Sale.objects.get()
    assert (row.channel, row.quantity, row.amount, row.showroom, row.note) == (
        Sale.Channel.SHOWROOM, 2, Decimal("170000"), showroom, "showroom Điểm OCOP Châu Đốc"
    )
    assert sale.sale == row
    assert shelf_count(showroom=showroom, product=product, counted=7, actor=clerk) is None  # books agree: no row
    assert_ledger_balanced()


def test_negative_stock_is_refused_with_a_message_and_writes_nothing(django_user_model):
    showroom, product = make_showroom(), make_certified_product()
    clerk = make_clerk(django_user_model, showroom)
    stock_shelf(showroom, product, 3, actor=clerk)

    with pytest.raises(ShelfRefused, match="còn 3"):
        shelf_sell(showroom=showroom, product=product, quantity=4, actor=clerk)
    with pytest.raises(ShelfRefused, match="Không đủ hàng"):
        shelf_adjust(showroom=showroom, product=product, delta=-4, reason=Reason.DAMAGED, actor=clerk)
    with pytest.raises(ShelfRefused):
        shelf_count(showroom=showroom, product=product, counted=-1, actor=clerk)

    assert level(showroom, product) == 3
    assert StockMovement.objects.count() == 1 and not Sale.objects.exists()


def test_uncertified_products_are_never_sold_or_received_but_can_leave_the_shelf(django_user_model):
    showroom = make_showroom()
    clerk = make_clerk(django_user_model, showroom)
    product = make_product()
    certificate = certify(product, expires_on=timezone.localdate() + dt.timedelta(days=1))
    stock_shelf(showroom, product, 5, actor=clerk)
    product.certificates.update(expires_on=timezone.localdate() - dt.timedelta(days=1), issued_on=certificate.issued_on)
    product = type(product).objects.get(pk=product.pk)

    with pytest.raises(ShelfRefused, match="không được bán"):
        shelf_sell(showroom=showroom, product=product, quantity=1, actor=clerk)
    with pytest.raises(ShelfRefused, match="nhận lên kệ"):
        shelf_receive(showroom=showroom, product=product, quantity=1, actor=clerk)
    shelf_adjust(showroom=showroom, product=product, delta=-5, reason=Reason.RETURNED, actor=clerk)
    assert level(showroom, product) == 0 and not Sale.objects.exists()


def test_the_same_request_twice_is_one_movement(django_user_model):
    showroom, product = make_showroom(), make_certified_product()
    clerk = make_clerk(django_user_model, showroom)
    first = shelf_receive(showroom=showroom, product=product, quantity=4, actor=clerk, request_key="k1")
    again = shelf_receive(showroom=showroom, product=product, quantity=4, actor=clerk, request_key="k1")
    stock_shelf(showroom, product, 1)
    sold = shelf_sell(showroom=showroom, product=product, quantity=1, actor=clerk, request_key="k2")
    sold_again = shelf_sell(showroom=showroom, product=product, quantity=1, actor=clerk, request_key="k2")
    assert first.pk == again.pk and sold.pk == sold_again.pk
    assert level(showroom, product) == 4 and Sale.objects.count() == 1


def test_transfer_moves_both_sides_or_neither(django_user_model):
    a, b = make_showroom(name="Điểm A"), make_showroom(name="Điểm B")
    product = make_certified_product()
    clerk = make_clerk(django_user_model, a, b)
    stock_shelf(a, product, 5, actor=clerk)

    out, into = shelf_transfer(source=a, destination=b, product=product, quantity=3, actor=clerk, request_key="t1")
    assert (level(a, product), level(b, product)) == (2, 3)
    assert out.transfer_key == into.transfer_key and (out.reason, into.reason) == (Reason.TRANSFER_OUT, Reason.TRANSFER_IN)
    assert shelf_transfer(source=a, destination=b, product=product, quantity=3, actor=clerk, request_key="t1") == (out, into)

    with pytest.raises(ShelfRefused, match="chỉ còn 2"):
        shelf_transfer(source=a, destination=b, product=product, quantity=3, actor=clerk)
    with pytest.raises(ShelfRefused):
        shelf_transfer(source=a, destination=a, product=product, quantity=1, actor=clerk)
    assert (level(a, product), level(b, product)) == (2, 3) and StockMovement.objects.count() == 3
    assert_ledger_balanced()


def test_undo_writes_a_reversing_movement_for_the_clerks_own_last_change_only(django_user_model):
    showroom, product = make_showroom(), make_certified_product()
    clerk, other = make_clerk(django_user_model, showroom), make_clerk(django_user_model, showroom)
    stock_shelf(showroom, product, 10, actor=clerk)
    sale = shelf_sell(showroom=showroom, product=product, quantity=2, actor=clerk)

    with pytest.raises(ShelfRefused, match="người ghi"):
        movement_undo(movement=sale, actor=other)
    first = StockMovement.objects.filter(reason=Reason.DELIVERY).get()
    with pytest.raises(ShelfRefused, match="gần nhất"):
        movement_undo(movement=first, actor=clerk)

    undo = movement_undo(movement=sale, actor=clerk)
    assert (undo.reason, undo.delta, undo.reverses_id, undo.balance) == (Reason.UNDO, 2, sale.pk, 10)
    assert movement_undo(movement=sale, actor=clerk).pk == undo.pk  # twice: once
    assert level(showroom, product) == 10 and StockMovement.objects.count() == 3  # history kept
    reversal = Sale.objects.get(kind=Sale.Kind.REVERSAL)
    assert reversal.reverses == sale.sale and reversal.amount == -sale.sale.amount

    late = shelf_adjust(showroom=showroom, product=product, delta=-1, reason=Reason.DAMAGED, actor=clerk)
    StockMovement.objects.filter(pk=late.pk).update(created_at=timezone.now() - dt.timedelta(minutes=6))
    with pytest.raises(ShelfRefused, match="5 phút"):
        movement_undo(movement=StockMovement.objects.get(pk=late.pk), actor=clerk)
    assert_ledger_balanced()


def test_random_sequences_keep_the_level_equal_to_the_sum_of_movements(django_user_model):
    rng = random.Random(20261128)
    showrooms = [make_showroom(), make_showroom(), make_showroom()]
    products = [make_certified_product(), make_certified_product()]
    clerk = make_clerk(django_user_model, *showrooms)
    refused = done = 0
    for _ in range(150):
        showroom, product = rng.choice(showrooms), rng.choice(products)
        op = rng.choice(["receive", "sell", "count", "adjust", "transfer", "undo"])
        try:
            if op == "receive":
                shelf_receive(showroom=showroom, product=product, quantity=rng.randint(1, 6), actor=clerk)
            elif op == "sell":
                shelf_sell(showroom=showroom, product=product, quantity=rng.randint(1, 4), actor=clerk)
            elif op == "count":
                shelf_count(showroom=showroom, product=product, counted=rng.randint(0, 8), actor=clerk)
            elif op == "adjust":
                shelf_adjust(showroom=showroom, product=product, delta=rng.choice([-2, -1, 1]), reason=Reason.COUNT, actor=clerk)
            elif op == "transfer":
                other = rng.choice([s for s in showrooms if s != showroom])
                shelf_transfer(source=showroom, destination=other, product=product, quantity=rng.randint(1, 3), actor=clerk)
            else:
                last = StockMovement.objects.filter(actor=clerk).exclude(reason=Reason.UNDO).order_by("-pk").first()
                if last is None:
                    continue
                movement_undo(movement=last, actor=clerk)
            done += 1
        except ShelfRefused:
            refused += 1
    assert done > 50 and refused > 5  # the sequence exercised both paths
    assert_ledger_balanced()
    sold = Sale.objects.aggregate(q=Sum("quantity"))["q"] or 0
    assert sold == -(StockMovement.objects.filter(reason=Reason.SALE).aggregate(s=Sum("delta"))["s"] or 0) - sum(
        m.delta for m in StockMovement.objects.filter(reason=Reason.UNDO, reverses__reason=Reason.SALE)
    )


def test_undoing_a_write_off_never_brings_an_uncertified_product_back(django_user_model):
    showroom = make_showroom()
    clerk = make_clerk(django_user_model, showroom)
    product = make_certified_product()
    stock_shelf(showroom, product, 5, actor=clerk)
    write_off = shelf_adjust(showroom=showroom, product=product, delta=-3, reason=Reason.DAMAGED, actor=clerk)
    product.certificates.update(revoked_on=timezone.localdate(), revocation_reason="Không đạt hậu kiểm")

    with pytest.raises(ShelfRefused, match="nhận lên kệ"):
        movement_undo(movement=write_off, actor=clerk)
    assert level(showroom, product) == 2 and StockMovement.objects.filter(reason=Reason.UNDO).count() == 0


def test_a_count_file_is_not_undone_row_by_row(django_user_model):
    showroom, product = make_showroom(), make_certified_product()
    clerk = make_clerk(django_user_model, showroom)
    stock_shelf(showroom, product, 5, actor=clerk)
    counted = shelf_count(showroom=showroom, product=product, counted=4, actor=clerk, request_key="count:abc")
    with pytest.raises(ShelfRefused, match="cả tệp"):
        movement_undo(movement=counted, actor=clerk)
    assert level(showroom, product) == 4


def test_a_showroom_holding_pickup_orders_cannot_stop_or_stop_taking_them(django_user_model):
    from django.core.exceptions import ValidationError

    from shop.fulfilment.services import order_cancel
    from tests.support.checkout import service_basket, service_place

    showroom, product = make_showroom(), make_certified_product()
    stock_shelf(showroom, product, 3)
    order = service_place(service_basket([(product, 1)]), pickup_showroom=showroom)
    for field in ("is_active", "offers_pickup"):
        setattr(showroom, field, False)
        with pytest.raises(ValidationError, match="1 đơn khách đặt trước"):
            showroom.full_clean()
        setattr(showroom, field, True)
    order_cancel(order=order, reason="Khách đổi ý")
    showroom.is_active = False
    showroom.full_clean()  # nothing waiting: fine


def test_uncollected_pickups_are_cancelled_after_the_pickup_window(settings):
    from shop.fulfilment.models import FulfilmentPart
    from showrooms.services import pickups_expire_uncollected
    from tests.support.checkout import service_basket, service_place

    settings.SHOWROOM_PICKUP_DAYS = 7
    showroom, product = make_showroom(), make_certified_product()
    stock_shelf(showroom, product, 3)
    old = service_place(service_basket([(product, 2)]), pickup_showroom=showroom).parts.get()
    fresh = service_place(service_basket([(product, 1)]), pickup_showroom=showroom).parts.get()
    FulfilmentPart.objects.filter(pk=old.pk).update(confirmed_at=timezone.now() - dt.timedelta(days=8))

    assert pickups_expire_uncollected() == [old.reference]
    assert pickups_expire_uncollected() == []  # once
    old.refresh_from_db(), fresh.refresh_from_db()
    assert (old.status, fresh.status) == (FulfilmentPart.Status.CANCELLED, FulfilmentPart.Status.CONFIRMED)
    shelf = ShelfStock.objects.get(showroom=showroom, product=product)
    assert (shelf.quantity, shelf.reserved) == (3, 1)
