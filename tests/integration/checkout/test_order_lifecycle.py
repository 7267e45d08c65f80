"""Parts, payments and the sales ledger through the services: what the programme's reports will read."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from reports.models import Sale
from shop.fulfilment.models import FulfilmentPart
from shop.fulfilment.services import (
    PartActionRefused,
    complaint_create,
    part_advance,
    part_cancel,
    part_due,
    part_record_cash,
    return_request_create,
)
from shop.payments.bank_statement import statement_rows
from shop.payments.models import Payment, Refund
from shop.payments.services import PaymentRefused, payment_mark_paid, refund_issue, statement_import
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, committed, service_basket, service_place

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
Status = FulfilmentPart.Status


@pytest.fixture
def mixed_order():
    area = a_commune()
    first, second = make_producer(name="HTX A", area=area), make_producer(name="HTX B", area=area)
    a1 = make_certified_product(title="Mắm A", price=Decimal("100000"), producer=first, stock=10)
    a2 = make_certified_product(title="Khô A", price=Decimal("50000"), producer=first, stock=10)
    b1 = make_certified_product(title="Trà B", price=Decimal("70000"), producer=second, stock=10)

    def place(method="cod"):
        return service_place(service_basket([(a1, 1), (a2, 2), (b1, 1)]), method=method)

    return place, {"a1": a1, "a2": a2, "b1": b1, "first": first, "second": second}


def part_of(order, producer):
    return order.parts.get(producer=producer)


def test_cash_on_delivery_enters_the_ledger_per_line_when_the_cash_is_recorded(mixed_order):
    place, p = mixed_order
    order = place()
    part = part_of(order, p["first"])
    assert Sale.objects.count() == 0  # nothing is sold before the money is taken

    with pytest.raises(PartActionRefused, match="Cần nhập đơn vị vận chuyển"):
        part_advance(part=part, to=Status.SHIPPED, actor=None)
    committed(part_advance, part=part, to=Status.SHIPPED, actor=None, carrier="GHTK", tracking_number="S123")
    assert "S123" in mail.outbox[-1].body
    record = StockRecord.objects.get(product=p["a2"])
    assert (record.num_in_stock, record.num_allocated) == (8, 0)  # the parcel left the shelf

    with pytest.raises(PartActionRefused, match="phải đúng bằng"):
        part_record_cash(part=part, amount=Decimal(1000), actor=None)
    due = part_due(part)
    assert due == Decimal(100000 + 2 * 50000 + 20000 + 5000)  # 3 × 500 g: one kilo over the included 1 kg
    part_record_cash(part=part, amount=due, actor=None)
    part_record_cash(part=part, amount=due, actor=None)  # the same click twice

    part.refresh_from_db()
    assert part.status == Status.DELIVERED and part.cash_collected == due
    sales = Sale.objects.order_by("pk")
    assert [(s.title, s.quantity, s.amount, s.channel) for s in sales] == [
        ("Mắm A", 1, Decimal(100000), "online"),
        ("Khô A", 2, Decimal(100000), "online"),
    ]
    payment = Payment.objects.get(order=order)
    assert payment.status == "pending" and payment.amount_captured == due  # the other producer has not delivered

    other = part_of(order, p["second"])
    part_advance(part=other, to=Status.SHIPPED, actor=None, carrier="VNPost", tracking_number="V1")
    part_record_cash(part=other, amount=part_due(other), actor=None)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "paid" and order.status == "completed"
    assert Sale.objects.filter(kind="sale").count() == 3


def test_cancelling_one_part_before_shipping_releases_its_stock_once(mixed_order):
    place, p = mixed_order
    order = place()
    part = part_of(order, p["second"])
    part_cancel(part=part, reason="Khách đổi ý")
    part_cancel(part=part, reason="Khách đổi ý")
    assert StockRecord.objects.get(product=p["b1"]).num_allocated == 0
    assert StockRecord.objects.get(product=p["a1"]).num_allocated == 1  # the other producer's part is untouched
    order.refresh_from_db()
    assert order.status == "processing"
    assert Payment.objects.get(order=order).amount == order.total_incl_tax - part_due(part)

    shipped = part_of(order, p["first"])
    part_advance(part=shipped, to=Status.SHIPPED, actor=None, carrier="GHN", tracking_number="G1")
    with pytest.raises(PartActionRefused, match="không huỷ được"):
        part_cancel(part=shipped)


def test_transfer_paid_then_a_part_cancelled_reverses_its_lines_and_refunds_by_hand(mixed_order):
    place, p = mixed_order
    order = place("vietqr")
    assert set(order.parts.values_list("status", flat=True)) == {Status.AWAITING_PAYMENT}
    payment = order.ocop_payment
    assert committed(payment_mark_paid, payment=payment, amount=payment.amount) == "paid"
    assert "Đã nhận thanh toán" in mail.outbox[-1].subject
    assert payment_mark_paid(payment=payment, amount=payment.amount) == "already"
    assert Sale.objects.filter(kind="sale").count() == 3
    assert set(order.parts.values_list("status", flat=True)) == {Status.CONFIRMED}

    part = part_of(order, p["first"])
    committed(part_cancel, part=part, reason="Hết hàng")  # the refund is sent after the commit
    reversals = Sale.objects.filter(kind="reversal").order_by("pk")
    assert [(s.title, s.quantity, s.amount) for s in reversals] == [("Mắm A", -1, Decimal(-100000)), ("Khô A", -2, Decimal(-100000))]
    refund = Refund.objects.get()
    assert refund.status == "manual" and refund.amount == part_due(part)
    payment.refresh_from_db()
    assert payment.amount_refunded == refund.amount


def test_a_refund_never_exceeds_what_was_captured(mixed_order):
    place, _ = mixed_order
    order = place("vietqr")
    payment = order.ocop_payment
    with pytest.raises(PaymentRefused):
        refund_issue(payment=payment, amount=Decimal(1000), key="before-paid")  # nothing captured yet
    payment_mark_paid(payment=payment, amount=payment.amount)
    refund_issue(payment=payment, amount=payment.amount - 1000, key="most")
    with pytest.raises(PaymentRefused, match="Chỉ còn có thể hoàn 1.000\xa0₫"):
        refund_issue(payment=payment, amount=Decimal(2000), key="too-much")
    refund_issue(payment=payment, amount=payment.amount - 1000, key="most")  # the same request again: no change
    payment.refresh_from_db()
    assert payment.amount_refunded == payment.amount - 1000
    assert Refund.objects.count() == 1


def test_unpaid_transfer_orders_expire_and_give_their_stock_back(mixed_order):
    place, p = mixed_order
    order = place("vietqr")
    Payment.objects.filter(order=order).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    fresh = place("vietqr")
    cod = place("cod")
    Payment.objects.filter(order=cod).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    call_command("expire_unpaid_orders", verbosity=0)
    call_command("expire_unpaid_orders", verbosity=0)

    order.refresh_from_db()
    assert order.status == "cancelled" and order.ocop_payment.status == "cancelled"
    assert set(order.parts.values_list("status", flat=True)) == {Status.CANCELLED}
    assert StockRecord.objects.get(product=p["a2"]).num_allocated == 4  # fresh + cod keep theirs: 2 + 2
    assert Payment.objects.get(order=fresh).status == "pending"
    assert Payment.objects.get(order=cod).status == "pending"  # cash on delivery never expires


def test_money_arriving_after_expiry_is_refunded_not_sold(mixed_order):
    place, _ = mixed_order
    order = place("vietqr")
    payment = order.ocop_payment
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    call_command("expire_unpaid_orders", verbosity=0)
    assert payment_mark_paid(payment=payment, amount=payment.amount) == "late"
    payment.refresh_from_db()
    assert payment.status == "cancelled" and payment.amount_refunded == payment.amount
    assert Sale.objects.count() == 0


def test_bank_statement_applies_matches_and_only_lists_mismatches(mixed_order):
    place, _ = mixed_order
    paid, short, other = place("vietqr"), place("vietqr"), place("vietqr")
    amount = int(paid.total_incl_tax)
    csv = (
        "Ngày giao dịch;Số tiền;Nội dung\n"
        f"27/11/2026;{amount:,};CK OCOP{paid.number} NGUYEN VAN A\n".replace(",", ".")
        + f"27/11/2026;{amount - 10000};ocop {short.number}\n"
        + "27/11/2026;150000;chuyen tien an trua\n"
        + f"27/11/2026;-5000;OCOP{other.number}\n"
    ).encode()

    outcomes = statement_import(rows=statement_rows(csv), actor=None)
    assert [o.result for o in outcomes] == ["paid", "mismatch", "unknown", "error"]
    assert "chưa ghi nhận" in outcomes[1].message
    assert Payment.objects.get(order=paid).status == "paid"
    assert Payment.objects.get(order=short).status == "pending"
    assert Payment.objects.get(order=other).status == "pending"

    again = statement_import(rows=statement_rows(csv), actor=None)  # the same file twice changes nothing
    assert [o.result for o in again] == ["already", "mismatch", "unknown", "error"]
    assert Sale.objects.filter(kind="sale").count() == 3


def test_returns_within_seven_days_of_delivery_and_complaints(mixed_order, settings):
    place, p = mixed_order
    order = place()
    part = part_of(order, p["second"])
    with pytest.raises(PartActionRefused, match="sau khi đã nhận hàng"):
        return_request_create(part=part, reason="Vỡ nắp")
    part_advance(part=part, to=Status.SHIPPED, actor=None, carrier="GHN", tracking_number="1")
    part_advance(part=part, to=Status.DELIVERED, actor=None)
    first = return_request_create(part=part, reason="Vỡ nắp")
    assert return_request_create(part=part, reason="Vỡ nắp") == first  # one open request per part
    FulfilmentPart.objects.filter(pk=part.pk).update(delivered_at=timezone.now() - dt.timedelta(days=8))
    part.refresh_from_db()
    first.status = "rejected"
    first.save()
    with pytest.raises(PartActionRefused, match="Đã quá 7 ngày"):
        return_request_create(part=part, reason="Hỏng")
    complaint = complaint_create(order=order, part=part, message="Giao chậm")
    assert complaint.status == "open"


def test_cancelling_a_part_after_a_line_was_refunded_returns_only_the_rest(mixed_order):
    place, p = mixed_order
    order = place("vietqr")
    payment = order.ocop_payment
    payment_mark_paid(payment=payment, amount=payment.amount)
    part = part_of(order, p["first"])
    fish_sauce = part.lines.get(product=p["a1"])
    refund_issue(payment=payment, amount=fish_sauce.line_price_incl_tax, part=part, lines=[fish_sauce], key="line")
    with pytest.raises(PaymentRefused, match="Đã hoàn tiền trước đó: Mắm A"):
        refund_issue(payment=payment, amount=fish_sauce.line_price_incl_tax, part=part, lines=[fish_sauce], key="again")

    part_cancel(part=part, reason="Hết hàng")

    refunds = list(Refund.objects.order_by("pk").values_list("amount", "includes_shipping"))
    assert refunds == [(Decimal(100000), False), (Decimal(2 * 50000) + part.shipping_fee, True)]
    assert Sale.objects.filter(kind="reversal").count() == 2  # one per refunded line, never twice


def test_saving_a_stock_record_form_never_writes_back_an_older_allocation():
    product = make_certified_product(stock=10, producer=make_producer(area=a_commune()))
    seen_by_form = StockRecord.objects.get(product=product)  # a clerk opens the edit form
    service_place(service_basket([(product, 3)]))  # meanwhile a shopper buys three
    seen_by_form.num_in_stock = 20  # the clerk saves a new stock level
    seen_by_form.save()
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (20, 3)
    assert seen_by_form.num_allocated == 3


def test_a_stock_level_below_what_orders_hold_is_a_form_error_not_a_crash():
    from django.core.exceptions import ValidationError

    product = make_certified_product(stock=10, producer=make_producer(area=a_commune()))
    service_place(service_basket([(product, 4)]))
    record = StockRecord.objects.get(product=product)
    record.num_in_stock = 3
    with pytest.raises(ValidationError, match="4 sản phẩm trong các đơn chưa giao"):
        record.full_clean()
    record.num_in_stock = 4
    record.full_clean()
