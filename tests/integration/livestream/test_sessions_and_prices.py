"""Live sessions: scheduling rules, the law's checks before going live, live prices only inside the window,
quantity limits, and which session an order (and its ledger rows) belongs to."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from livestream.models import LiveOrder, LivePriceClaim, LiveSession
from livestream.services import (
    LiveRefused,
    attribution_hint,
    session_cancel,
    session_end,
    session_go_live,
    session_problems,
    session_warnings,
)
from reports.models import Sale
from shop.checkout.services import CheckoutRefused
from shop.fulfilment.services import order_cancel, part_record_cash
from tests.support.catalogue import certify, make_certified_product, make_product
from tests.support.checkout import service_basket, service_place
from tests.support.livestream import make_host, make_session, take_live

pytestmark = pytest.mark.django_db
START = timezone.make_aware(dt.datetime(2026, 12, 5, 20, 0))  # 20:00 in Asia/Ho_Chi_Minh


@pytest.fixture
def rice():
    return make_certified_product(title="Gạo Nàng Nhen Bảy Núi 5kg", price=Decimal("200000"), stock=50)


def basket_total(product, quantity=1, **kwargs):
    from oscar.core.loading import get_class

    basket = service_basket([(product, quantity)], **kwargs)
    get_class("offer.applicator", "Applicator")().apply(basket)
    return basket.total_incl_tax


# ---------------------------------------------------------------- scheduling
def test_a_host_cannot_be_booked_into_overlapping_sessions(django_user_model, rice):
    host = make_host(django_user_model)
    make_session(host=host, products=[rice], start=START, minutes=60, title="Phiên tối thứ Bảy")
    clash = LiveSession(title="Phiên chồng giờ", slug="chong-gio", host=host, scheduled_start=START + dt.timedelta(minutes=30),
                        scheduled_end=START + dt.timedelta(minutes=90))
    problems = session_problems(session=clash, products=[rice])
    assert problems == ["Người dẫn đã có phiên “Phiên tối thứ Bảy” lúc 20:00 05/12/2026, trùng giờ với phiên này."]
    after = LiveSession(title="Phiên sau", slug="phien-sau", host=host, scheduled_start=START + dt.timedelta(minutes=60),
                        scheduled_end=START + dt.timedelta(minutes=120))
    assert session_problems(session=after, products=[rice]) == []  # back to back is fine


def test_a_session_cannot_end_before_it_starts_nor_take_the_reserved_slug(django_user_model):
    host = make_host(django_user_model)
    backwards = LiveSession(title="Ngược", slug="schedule", host=host, scheduled_start=START,
                            scheduled_end=START - dt.timedelta(minutes=5))
    with pytest.raises(ValidationError) as refused:
        backwards.full_clean()
    assert set(refused.value.message_dict) >= {"slug", "scheduled_end"}


def test_only_certified_products_are_featured_and_a_lapse_before_the_session_warns(django_user_model):
    host = make_host(django_user_model)
    uncertified = make_product(title="Mật ong chưa chứng nhận")
    lapsing = make_product(title="Trà mãng cầu")
    certify(lapsing, expires_on=START.date() - dt.timedelta(days=1))
    session = LiveSession(title="Phiên", slug="phien", host=host, scheduled_start=START,
                          scheduled_end=START + dt.timedelta(hours=1))
    assert session_problems(session=session, products=[uncertified]) == [
        "“Mật ong chưa chứng nhận” không có giấy chứng nhận OCOP còn hiệu lực: không giới thiệu trong phiên live được."]
    assert session_warnings(session=session, products=[lapsing]) == [
        "Giấy chứng nhận của “Trà mãng cầu” hết hạn ngày 04/12/2026, trước phiên live: đến giờ phát sản phẩm sẽ "
        "không được bán."]


def test_an_ended_session_changes_only_its_replay_and_notes(django_user_model, rice):
    session = make_session(host=make_host(django_user_model), products=[rice], start=START)
    take_live(session)
    session_end(session=session, actor=None, now=START + dt.timedelta(minutes=50))
    session.refresh_from_db()
    assert session.replay_retained_until == dt.date(2029, 12, 5)  # three years on
    session.replay_url = "https://www.youtube.com/watch?v=abc"
    session.notes = "Bản ghi đã tải lên."
    session.full_clean()
    session.save()
    session.title = "Đổi tên sau khi phát"
    with pytest.raises(ValidationError, match="chỉ sửa được đường dẫn xem lại"):
        session.full_clean()


# ---------------------------------------------------------------- the law before going live
def test_going_live_needs_the_hosts_identity_check_and_certified_products(django_user_model, rice):
    unverified = make_host(django_user_model, verified=False)
    session = make_session(host=unverified, products=[rice], start=START)
    with pytest.raises(LiveRefused, match="xác minh danh tính"):
        session_go_live(session=session, actor=None, now=START)
    session.refresh_from_db()
    assert session.status == LiveSession.Status.SCHEDULED and session.actual_start is None

    lapsed_host = make_host(django_user_model)
    lapsed = make_product(title="Khô cá lóc")
    certify(lapsed, expires_on=START.date() - dt.timedelta(days=1))
    other = make_session(host=lapsed_host, products=[lapsed], start=START)
    with pytest.raises(LiveRefused, match="“Khô cá lóc” chưa có giấy chứng nhận OCOP còn hiệu lực"):
        session_go_live(session=other, actor=None, now=START)

    with pytest.raises(LiveRefused, match="30 phút"):
        session_go_live(session=make_session(host=make_host(django_user_model), products=[rice], start=START),
                        actor=None, now=START - dt.timedelta(minutes=31))


def test_calendar_changes_raise_the_sequence(django_user_model, rice):
    session = make_session(host=make_host(django_user_model), products=[rice], start=START)
    assert session.sequence == 0
    session.scheduled_start += dt.timedelta(hours=1)
    session.scheduled_end += dt.timedelta(hours=1)
    session.save()
    session_cancel(session=session, actor=None, reason="Người dẫn ốm")
    session.refresh_from_db()
    assert session.sequence == 2 and session.status == LiveSession.Status.CANCELLED


# ---------------------------------------------------------------- live prices
def test_the_live_price_applies_only_inside_the_window(django_user_model, rice):
    session = make_session(host=make_host(django_user_model), products=[(rice, Decimal("159000"))], start=START,
                           minutes=60)
    with time_machine.travel(START - dt.timedelta(minutes=1), tick=False):
        assert basket_total(rice) == Decimal("200000")  # scheduled, not live yet
    take_live(session, at=START + dt.timedelta(minutes=2))
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        assert basket_total(rice) == Decimal("200000")  # before the actual start
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        assert basket_total(rice, 2) == Decimal("318000")
    with time_machine.travel(START + dt.timedelta(minutes=59, seconds=59), tick=False):
        assert basket_total(rice) == Decimal("159000")
    with time_machine.travel(START + dt.timedelta(minutes=60), tick=False):
        assert basket_total(rice) == Decimal("200000")  # the scheduled end, though still on air

    session_end(session=session, actor=None, now=START + dt.timedelta(minutes=61))
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        assert basket_total(rice) == Decimal("159000")  # the window stays what it was (order history, audits)


def test_ending_early_closes_the_window_at_the_actual_end(django_user_model, rice):
    session = make_session(host=make_host(django_user_model), products=[(rice, Decimal("159000"))], start=START)
    take_live(session)
    session_end(session=session, actor=None, now=START + dt.timedelta(minutes=20))
    with time_machine.travel(START + dt.timedelta(minutes=25), tick=False):
        assert basket_total(rice) == Decimal("200000")


def test_quantity_limits_and_attribution_at_placement(django_user_model, rice):
    session = make_session(host=make_host(django_user_model), products=[(rice, Decimal("159000"), 3, 2)], start=START)
    take_live(session)
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        assert basket_total(rice, 3) == Decimal(2 * 159000 + 200000)  # two per customer at the live price
        first = service_place(service_basket([(rice, 2)]), email="lan@example.vn", phone="+84912000001")
        # the same guest (by phone, another email) past the quota: the total they saw no longer holds, and the
        # page they get back shows the normal price (tests/integration/livestream/test_live_price_edges.py)
        with pytest.raises(CheckoutRefused, match="Giá hoặc giỏ hàng vừa thay đổi"):
            service_place(service_basket([(rice, 1)]), email="lan.khac@example.vn", phone="+84912000001")
        service_place(service_basket([(rice, 1)]), email="binh@example.vn", phone="+84912000002")
        assert basket_total(rice, 1) == Decimal("200000")  # the 3 live-price units are gone
    claims = LivePriceClaim.objects.filter(released_at__isnull=True)
    assert sum(c.quantity for c in claims) == 3
    assert first.live_order.session == session and first.live_order.via == LiveOrder.Via.LIVE_PRICE
    assert first.total_incl_tax == Decimal(2 * 159000) + first.shipping_incl_tax

    # a cancelled order gives its live-price units back
    order_cancel(order=first, reason="Khách huỷ")
    with time_machine.travel(START + dt.timedelta(minutes=6), tick=False):
        assert basket_total(rice, 2) == Decimal(2 * 159000)


def test_a_livestream_order_enters_the_ledger_under_its_session(django_user_model, rice):
    session = make_session(host=make_host(django_user_model), products=[(rice, Decimal("159000"))], start=START,
                           title="Chợ phiên OCOP An Giang tối thứ Bảy")
    take_live(session)
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        order = service_place(service_basket([(rice, 1)]))
    part = order.parts.get()
    from shop.fulfilment.services import part_advance

    part_advance(part=part, to="shipped", actor=None, carrier="VNPost", tracking_number="VN1")
    part_record_cash(part=part, amount=part.shipping_fee + Decimal("159000"), actor=None)
    sale = Sale.objects.get()
    assert (sale.channel, sale.live_session, sale.amount) == (Sale.Channel.LIVESTREAM, session, Decimal("159000"))
    assert sale.note == "livestream Chợ phiên OCOP An Giang tối thứ Bảy"


@pytest.mark.parametrize("via, hours_ago, attributed", [
    ("link", 23, True), ("link", 25, False), ("session_page", 2, True),
])
def test_a_session_link_or_page_add_attributes_an_order_without_a_live_price(django_user_model, rice, via, hours_ago,
                                                                           attributed):
    from livestream.services import live_order_attribute

    session = make_session(host=make_host(django_user_model), products=[rice], start=START)
    order = service_place(service_basket([(rice, 1)]))
    LiveOrder.objects.filter(order=order).delete()
    hint = attribution_hint(session=session, via=via, now=timezone.now() - dt.timedelta(hours=hours_ago))
    live = live_order_attribute(order=order, lines=[], hint=hint)
    assert (live is not None) == attributed
    if attributed:
        assert live.session == session and live.via == via
