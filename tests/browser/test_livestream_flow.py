"""A live session in Chromium, end to end: programme staff schedule it in the Wagtail admin with two products and a
live price, a shopper finds it in /live/ and downloads its .ics, staff take it live on the control page, the shopper
buys at the live price from the session page, and after the window the same product costs the normal price.
Screenshots go to tests/browser/screenshots/ (look at them). Nothing may be fetched from the network."""

import datetime as dt
import re
from decimal import Decimal

import icalendar
import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.demo import DEMO_PASSWORD
from livestream.models import HostIdentityCheck, LiveSession
from tests.support.browser import DESKTOP, PHONE, assert_clean, log_in, shot
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune, an_giang

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = "canbo.live@example.vn"
RICE = "Gạo Nàng Nhen Bảy Núi túi 5kg"
SAUCE = "Mắm cá linh Châu Đốc hũ 500g"
TITLE = "Chợ phiên OCOP An Giang tối nay"


@pytest.fixture
def world(transactional_db, django_user_model):
    call_command("seed_reference_data", verbosity=0)  # transactional tests empty the tables afterwards
    staff = django_user_model.objects.create_user(email=STAFF, password=DEMO_PASSWORD, first_name="Minh",
                                                  last_name="Lê Quang")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="livestream"),
        Permission.objects.get(codename="access_admin"),
    )
    HostIdentityCheck.objects.create(user=staff, method="chip_id", checked_on=timezone.localdate(), checked_by=staff)
    producer = make_producer(name="HTX Nông nghiệp Bảy Núi", area=a_commune())
    return {
        "staff": staff,
        "rice": make_certified_product(title=RICE, price=Decimal("200000"), stock=30, producer=producer),
        "sauce": make_certified_product(title=SAUCE, price=Decimal("120000"), stock=30, producer=producer),
    }


def inline_row(page, index):
    """Wagtail's "add" button of the featured products (its script may still be wiring up: press until it adds)."""
    add = page.get_by_role("button", name=re.compile(r"^\s*(Thêm|Add) sản phẩm\s*$"))
    row = page.locator(f"#inline_child_featured-{index}-panel-section")
    for _attempt in range(20):
        if row.locator("[name$=-live_price]").count():
            break
        add.click()
        page.wait_for_timeout(250)
    expect(row.locator("[name$=-live_price]")).to_be_visible()
    return row


def choose_product(page, panel, title, search):
    """Wagtail's chooser modal: search without accents, pick the product."""
    panel.get_by_role("button", name=re.compile("Chọn sản phẩm|Choose")).click()
    modal = page.locator(".modal.show, .modal[open], [role=dialog]").last
    expect(modal).to_be_visible()
    modal.locator("input[name=q]").fill(search)
    link = modal.get_by_role("link", name=title)
    expect(link).to_be_visible()
    link.click()
    expect(panel).to_contain_text(title)


def test_staff_schedule_a_session_and_a_shopper_buys_at_the_live_price(page, browser, live_server, world, offline):
    rice = world["rice"]
    start = timezone.localtime() + dt.timedelta(minutes=10)
    end = start + dt.timedelta(minutes=60)

    # ---- programme staff schedule the session in the Wagtail admin
    offline(page)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, STAFF)
    page.goto(live_server.url + "/cms-admin/livestream/sessions/new/")
    page.wait_for_load_state("networkidle")  # Wagtail's admin scripts have wired the panels
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill("Gạo và mắm Bảy Núi, giá live chỉ trong lúc phát.")
    host_panel = page.locator("[data-field-wrapper]").filter(has=page.locator("#id_host"))
    host_panel.get_by_role("button", name=re.compile("Chọn|Choose")).first.click()
    modal = page.locator(".modal.show, [role=dialog]").last
    modal.locator("input[name=q]").fill("canbo.live")
    modal.get_by_role("link", name=re.compile("Minh|canbo.live")).first.click()
    page.locator("#id_platform").select_option("own")
    page.locator("#id_stream_url").fill("https://stream.example.vn/ocop/bay-nui.m3u8")
    page.locator("#id_scheduled_start").fill(start.strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_scheduled_end").fill(end.strftime("%Y-%m-%d %H:%M"))
    first = inline_row(page, 0)
    choose_product(page, first, RICE, "gao nang nhen")
    first.locator("[name$=-live_price]").fill("159000")
    first.locator("[name$=-quantity_limit]").fill("20")
    first.locator("[name$=-per_customer_limit]").fill("2")
    first.locator("[name$=-is_pinned]").check()
    second = inline_row(page, 1)
    choose_product(page, second, SAUCE, "mam ca linh")
    second.locator("[name$=-position]").fill("1")
    shot(page, "60-01-admin-schedule-desktop")
    page.get_by_role("button", name=re.compile(r"^\s*(Tạo|Lưu|Create|Save)\s*$")).first.click()
    page.wait_for_load_state()
    session = LiveSession.objects.get(title=TITLE)
    assert session.featured.count() == 2 and session.featured.get(product=rice).live_price == Decimal("159000")
    shot(page, "60-02-admin-saved-desktop")

    # ---- a shopper on a phone finds it in /live/ and downloads the calendar file
    shopper_context = browser.new_context(viewport=PHONE, accept_downloads=True)
    offline(shopper_context)
    shopper = shopper_context.new_page()
    shopper.goto(live_server.url + "/live/")
    card = shopper.get_by_test_id("live-session").filter(has_text=TITLE)
    expect(card).to_be_visible()
    shot(shopper, "60-03-live-index-upcoming-phone")
    with shopper.expect_download() as download_info:
        card.get_by_test_id("add-to-calendar").click()
    calendar = icalendar.Calendar.from_ical(open(download_info.value.path(), "rb").read())
    event = next(c for c in calendar.walk("VEVENT"))
    assert str(event["SUMMARY"]) == TITLE and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == start.replace(second=0, microsecond=0)
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"

    # ---- staff take it live from the control page (the law's checklist is all ticked)
    page.goto(live_server.url + f"/live/{session.slug}/control/")
    shot(page, "60-04-control-before-desktop")
    page.get_by_test_id("go-live").click()
    page.wait_for_load_state()
    session.refresh_from_db()
    assert session.status == LiveSession.Status.LIVE
    shot(page, "60-05-control-live-desktop")

    # ---- the shopper sees the banner, opens the session and buys at the live price without leaving the page
    shopper.goto(live_server.url + "/")
    banner = shopper.locator("a", has_text=TITLE).first
    expect(banner).to_be_visible()
    banner.click()
    shopper.wait_for_url(re.compile(rf"/live/{session.slug}/$"))
    pinned = shopper.get_by_test_id("featured-product").first
    expect(pinned.get_by_test_id("pinned")).to_be_visible()
    expect(pinned.get_by_test_id("live-price")).to_have_text("159.000\u00a0₫")
    expect(pinned.get_by_test_id("normal-price")).to_contain_text("200.000\u00a0₫")
    shot(shopper, "60-06-session-live-phone")
    pinned.get_by_test_id("live-add").click()
    expect(shopper.get_by_test_id("basket-count")).to_have_text("1")
    assert shopper.url.endswith(f"/live/{session.slug}/")  # still on the session page
    shot(shopper, "60-07-added-phone")

    shopper.goto(live_server.url + "/shop/checkout/")
    shopper.locator("#id_email").fill("lan.nguyen@example.vn")
    shopper.locator("#id_full_name").fill("Nguyễn Thị Lan")
    shopper.locator("#id_phone").fill("0912 345 678")
    province = an_giang()
    shopper.locator("#id_province").select_option(label=province.name)
    expect(shopper.locator("#id_commune")).to_be_enabled()
    shopper.locator("#id_commune").select_option(label=a_commune(province).name)
    shopper.locator("#id_street").fill("12 Trần Hưng Đạo, khóm 3")
    shopper.locator("#id_privacy_consent").check()
    expect(shopper.locator("#order-total")).to_contain_text("179.000")  # 159.000 ₫ + 20.000 ₫ shipping in province
    shot(shopper, "60-08-checkout-live-price-phone")
    shopper.locator("#place-order").click()
    shopper.wait_for_url(re.compile(r"/shop/checkout/thank-you/$"))
    order = session.orders.get().order
    assert order.total_incl_tax - order.shipping_incl_tax == Decimal("159000")
    assert order.live_order.via == "live_price"

    # ---- after the window (the scheduled end), the same product costs the normal price
    with time_machine.travel(end + dt.timedelta(minutes=1), tick=True):
        shopper.goto(live_server.url + f"/live/{session.slug}/")
        card = shopper.get_by_test_id("featured-product").filter(has_text=RICE)
        expect(card.get_by_test_id("live-price")).to_have_count(0)
        expect(card.get_by_test_id("current-price")).to_have_text("200.000\u00a0₫")
        card.get_by_test_id("live-add").click()
        expect(shopper.get_by_test_id("basket-count")).to_have_text("1")
        shopper.goto(live_server.url + "/shop/basket/")
        expect(shopper.locator("body")).to_contain_text("200.000")
        expect(shopper.locator("body")).not_to_contain_text("159.000")
        shot(shopper, "60-09-after-window-normal-price-phone")
    shopper_context.close()
    assert_clean(offline)
