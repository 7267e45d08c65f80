"""The showroom stock screen in Chromium, on a phone held in one hand: a clerk finds "Mắm cá linh Châu Đốc" by typing
"mam ca linh" (no accents), receives 10, sells 2, counts 7 (the history shows a correction of −1), undoes a slip
with the button in the confirmation, and reads the history. Screenshots go to tests/browser/screenshots/.

Its own showroom, clerk and products (no demo data), and nothing may be fetched from the network."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from catalogue.demo import DEMO_PASSWORD
from showrooms.models import ShelfStock, Showroom, ShowroomMembership, StockMovement
from tests.support.browser import PHONE, SHOTS, assert_clean, log_in, shot
from tests.support.catalogue import make_certified_product, make_producer, make_product
from tests.support.showrooms import make_showroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Mắm cá linh Châu Đốc hũ 500g"
CLERK = "nhanvien.chaudoc@example.vn"
Reason = StockMovement.Reason


@pytest.fixture
def shop(transactional_db, django_user_model):
    call_command("seed_reference_data", verbosity=0)  # transactional tests empty the tables afterwards
    showroom = make_showroom(name="Điểm OCOP Châu Đốc", code="chau-doc", street_address="17 Nguyễn Văn Thoại")
    make_showroom(name="Điểm OCOP Long Xuyên", code="long-xuyen")  # someone else's: never listed
    clerk = django_user_model.objects.create_user(email=CLERK, password=DEMO_PASSWORD, first_name="Lan")
    ShowroomMembership.objects.create(showroom=showroom, user=clerk)
    producer = make_producer(name="Cơ sở Mắm Bà Giáo Khỏe")
    product = make_certified_product(title=TITLE, price=Decimal("85000"), producer=producer)
    make_certified_product(title="Mắm cá lóc Châu Đốc hũ 500g", producer=producer)  # "mam ca" finds both
    make_product(title="Mắm cá linh chưa chứng nhận")  # not certified, not on the shelf: never found
    return {"showroom": showroom, "clerk": clerk, "product": product}


def no_sideways_scrolling(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"sideways scrolling on {page.url}"


def big_enough(locator, height=48):
    """A thumb can hit it: at least 48px tall, and wholly on the phone's screen."""
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["height"] >= height, (locator, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (locator, box)


def on_shelf(showroom, product) -> int:
    return ShelfStock.objects.get(showroom=showroom, product=product).quantity


def test_a_clerk_receives_sells_and_counts_on_a_phone(page, live_server, shop, offline):
    showroom, product = shop["showroom"], shop["product"]
    offline(page)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, CLERK)

    # The header's account menu leads to the stock screen; one showroom, so straight to it.
    link = page.locator(".site-header").get_by_role("link", name="Kho điểm bán", exact=True)
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(re.compile(r"/shop/showroom-stock/chau-doc/$"))
    expect(page.locator(".stock-bar__showroom")).to_have_text("Điểm OCOP Châu Đốc")
    search = page.locator("#stock-q")
    expect(search).to_be_focused()
    big_enough(search)
    # The camera button appears only where the browser can read barcodes.
    has_detector = page.evaluate("'BarcodeDetector' in window")
    scan = expect(page.locator("#scan-open"))
    scan.to_be_visible() if has_detector else scan.to_be_hidden()
    no_sideways_scrolling(page)
    shot(page, "50-01-stock-screen-phone")

    # Typed without accents; the results follow the typing (no page load).
    search.press_sequentially("mam ca linh", delay=30)
    results = page.locator("a.stock-result")
    expect(results).to_have_count(1)
    expect(results.first.locator(".stock-card__title")).to_have_text(TITLE)
    expect(results.first).to_contain_text("Cơ sở Mắm Bà Giáo Khỏe")
    expect(results.first).to_contain_text(product.upc)
    expect(results.first).to_contain_text("Trên kệ 0")
    assert "q=mam%20ca%20linh" in page.url or "q=mam+ca+linh" in page.url
    big_enough(results.first)
    no_sideways_scrolling(page)
    shot(page, "50-02-search-mam-ca-linh-phone")

    results.first.click()
    page.wait_for_url(re.compile(rf"/shop/showroom-stock/chau-doc/products/{product.pk}/$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.get_by_test_id("on-shelf")).to_have_text("0")
    for name in ("Bớt 1 (điều chỉnh kiểm kê)", "Thêm 1 (điều chỉnh kiểm kê)", "Bán", "Nhận hàng", "Lưu số đếm"):
        big_enough(page.get_by_role("button", name=name, exact=True), height=56)
    big_enough(page.get_by_label("Số lượng nhận từ chủ thể"), height=56)
    no_sideways_scrolling(page)
    shot(page, "50-03-product-phone")

    # Receive 10.
    page.get_by_label("Số lượng nhận từ chủ thể").fill("10")
    page.get_by_role("button", name="Nhận hàng", exact=True).click()
    page.wait_for_load_state()
    alert = page.locator(".stock-alert")
    expect(alert).to_contain_text(f"Đã nhận 10 “{TITLE}” từ chủ thể. Trên kệ: 10.")
    expect(alert.get_by_role("button", name="Hoàn tác")).to_be_visible()
    expect(page.get_by_test_id("on-shelf")).to_have_text("10")
    no_sideways_scrolling(page)
    shot(page, "50-04-received-10-phone")

    # Sell 2 (the box starts at 1: most sales are one unit).
    sell = page.get_by_label("Số lượng bán")
    expect(sell).to_have_value("1")
    sell.fill("2")
    page.get_by_role("button", name="Bán", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".stock-alert")).to_contain_text(f"Đã bán 2 “{TITLE}”. Trên kệ còn 8.")
    expect(page.get_by_test_id("on-shelf")).to_have_text("8")
    shot(page, "50-05-sold-2-phone")

    # Count 7: the books said 8, so a correction of −1.
    page.get_by_label("Kiểm kê: số đếm được trên kệ").fill("7")
    page.get_by_role("button", name="Lưu số đếm").click()
    page.wait_for_load_state()
    expect(page.locator(".stock-alert")).to_contain_text(f"Kiểm kê “{TITLE}”: đếm được 7, điều chỉnh −1. Trên kệ: 7.")
    expect(page.get_by_test_id("on-shelf")).to_have_text("7")
    recent = page.get_by_test_id("movements").locator("li")
    expect(recent).to_have_count(3)
    expect(recent.first.locator(".stock-move__delta")).to_have_text("−1")
    expect(recent.first).to_contain_text("Điều chỉnh kiểm kê")
    no_sideways_scrolling(page)
    shot(page, "50-06-counted-7-phone")
    assert on_shelf(showroom, product) == 7

    # The history: when, who, what, the change and what was left.
    page.locator(".stock-bar").get_by_role("link", name="Lịch sử").click()
    page.wait_for_url(re.compile(r"/shop/showroom-stock/chau-doc/history/$"))
    rows = page.get_by_test_id("history").locator("tbody tr")
    expect(rows).to_have_count(3)
    first = rows.first
    expect(first).to_have_attribute("data-reason", "count")
    expect(first.locator(".stock-history__delta")).to_have_text("−1")
    expect(first.locator("td").nth(3)).to_have_text("7")
    expect(first).to_contain_text("Lan")
    expect(rows.nth(1).locator(".stock-history__delta")).to_have_text("−2")
    expect(rows.nth(2).locator(".stock-history__delta")).to_have_text("+10")
    no_sideways_scrolling(page)
    shot(page, "50-07-history-phone")

    # A slip (+1 by mistake) is undone from its confirmation.
    page.go_back()
    page.wait_for_url(re.compile(rf"/products/{product.pk}/$"))
    page.get_by_role("button", name="Thêm 1 (điều chỉnh kiểm kê)").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("on-shelf")).to_have_text("8")
    undo = page.locator(".stock-alert").get_by_role("button", name="Hoàn tác")
    big_enough(undo, height=44)
    shot(page, "50-08-plus-one-with-undo-phone")
    undo.click()
    page.wait_for_load_state()
    expect(page.locator(".stock-alert")).to_contain_text("Đã hoàn tác “Điều chỉnh kiểm kê +1”")
    expect(page.get_by_test_id("on-shelf")).to_have_text("7")
    expect(page.get_by_test_id("movements").locator(".badge", has_text="đã hoàn tác")).to_have_count(1)
    shot(page, "50-09-undone-phone")

    # A small phone (320px wide): still no sideways scrolling, the buttons still whole.
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    no_sideways_scrolling(page)
    for name in ("Bán", "Nhận hàng", "Lưu số đếm"):
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box["x"] + box["width"] <= 320 and box["height"] >= 56, (name, box)
    shot(page, "50-09b-product-small-phone")

    assert on_shelf(showroom, product) == 7
    assert list(StockMovement.objects.filter(showroom=showroom).order_by("pk").values_list("reason", "delta")) == [
        (Reason.DELIVERY, 10), (Reason.SALE, -2), (Reason.COUNT, -1), (Reason.COUNT, 1), (Reason.UNDO, -1)]

    # A shopper (signed out) sees the product on the showroom's public page and where to buy it in person.
    showroom_page = public_showroom_page(showroom)
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + showroom_page.url)
    expect(page.locator("h1")).to_contain_text("Điểm OCOP Châu Đốc")
    card = page.get_by_test_id("shelf-product").filter(has_text=TITLE)
    expect(card).to_have_attribute("data-level", "in_stock")
    expect(card).to_contain_text("còn hàng", ignore_case=True)  # a level, never the count
    no_sideways_scrolling(page)
    shot(page, "50-17-public-showroom-page-phone")
    page.goto(live_server.url + product.get_absolute_url())
    in_person = page.get_by_test_id("product-showrooms")
    expect(in_person).to_contain_text("Điểm OCOP Châu Đốc")
    expect(in_person).to_contain_text("còn hàng", ignore_case=True)
    shot(page, "50-18-product-page-showrooms-phone")
    assert_clean(offline)


def public_showroom_page(showroom):
    from cms.services import site_structure_ensure
    from showrooms.pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage

    index = site_structure_ensure().add_child(instance=ShowroomIndexPage(title="Điểm bán OCOP", slug="diem-ban-ocop"))
    area = index.add_child(instance=AreaIndexPage(title="Châu Đốc", slug="chau-doc", former_district="Châu Đốc"))
    return area.add_child(instance=ShowroomPage(title=showroom.name, slug=showroom.code, showroom=showroom))


def test_the_pickup_counter_hands_over_a_cash_order_on_a_phone(page, live_server, shop, offline):
    from shop.fulfilment.models import FulfilmentPart
    from showrooms.services import shelf_receive
    from tests.support.checkout import service_basket, service_place

    showroom, product = shop["showroom"], shop["product"]
    shelf_receive(showroom=showroom, product=product, quantity=5, actor=shop["clerk"])
    order = service_place(service_basket([(product, 2)]), pickup_showroom=showroom, full_name="Nguyễn Thị Lan",
                          phone="0912 345 678")
    part = FulfilmentPart.objects.get(order=order)
    offline(page)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, CLERK)
    page.goto(live_server.url + "/shop/showroom-stock/chau-doc/")
    waiting = page.get_by_test_id("pickups-waiting")
    expect(waiting).to_contain_text("1 đơn khách đặt trước đang chờ lấy")
    waiting.click()
    page.wait_for_url(re.compile(r"/pickups/$"))
    card = page.get_by_test_id("pickup-part")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(f"Đơn {part.order.number}")
    expect(card).to_contain_text("Nguyễn Thị Lan")
    expect(card).to_contain_text(f"{TITLE} × 2")
    expect(card.get_by_label("Đã thu đủ 170.000\xa0₫")).not_to_be_checked()
    hand_over = card.get_by_role("button", name="Đã giao cho khách")
    big_enough(hand_over, height=56)
    no_sideways_scrolling(page)
    shot(page, "50-10-pickups-phone")

    hand_over.click()  # without the tick: refused, nothing changes
    page.wait_for_load_state()
    expect(page.locator(".stock-alert.alert-danger")).to_contain_text("hãy thu đủ 170.000\xa0₫")
    shot(page, "50-11-pickup-refused-without-cash-phone")
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.CONFIRMED

    page.get_by_test_id("pickup-part").get_by_label("Đã thu đủ 170.000\xa0₫").check()
    page.get_by_test_id("pickup-part").get_by_role("button", name="Đã giao cho khách").click()
    page.wait_for_load_state()
    expect(page.locator(".stock-alert.alert-success")).to_contain_text(
        f"Đã giao đơn {part.order.number} cho khách và thu 170.000\xa0₫.")
    expect(page.get_by_test_id("pickup-part")).to_have_count(0)
    shot(page, "50-12-pickup-handed-over-phone")
    part.refresh_from_db()
    assert part.status == FulfilmentPart.Status.DELIVERED
    shelf = ShelfStock.objects.get(showroom=showroom, product=product)
    assert (shelf.quantity, shelf.reserved) == (3, 0)

    # Working at a second showroom: the chooser lists both, and the product page can transfer between them.
    other = Showroom.objects.get(code="long-xuyen")
    ShowroomMembership.objects.create(showroom=other, user=shop["clerk"])
    page.locator(".site-header").get_by_role("link", name="Kho điểm bán", exact=True).click()
    page.wait_for_url(re.compile(r"/shop/showroom-stock/$"))
    expect(page.locator(".stock-card--link")).to_have_count(2)
    no_sideways_scrolling(page)
    shot(page, "50-13-choose-showroom-phone")
    page.get_by_role("link", name=re.compile("Điểm OCOP Châu Đốc")).click()
    page.goto(f"{live_server.url}/shop/showroom-stock/chau-doc/products/{product.pk}/")
    page.locator(".stock-more__summary").click()
    transfer = page.get_by_test_id("transfer-form")
    transfer.get_by_label("Chuyển đến điểm bán").select_option(label="Điểm OCOP Long Xuyên")
    transfer.get_by_label("Số lượng chuyển").fill("1")
    for name in ("Ghi hư hỏng", "Trả chủ thể", "Chuyển"):
        big_enough(page.get_by_role("button", name=name, exact=True), height=56)
    no_sideways_scrolling(page)
    shot(page, "50-14-more-actions-phone")
    transfer.get_by_role("button", name="Chuyển", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".stock-alert")).to_contain_text(
        f"Đã chuyển 1 “{TITLE}” đến Điểm OCOP Long Xuyên. Trên kệ còn 2.")
    expect(page.locator(".stock-alert").get_by_role("button", name="Hoàn tác")).to_have_count(0)  # not undoable
    assert ShelfStock.objects.get(showroom=other, product=product).quantity == 1
    assert_clean(offline)


FAKE_CAMERA = """
(() => {
  // A phone's camera and barcode reader, stood in for: Chromium on Linux has no BarcodeDetector.
  window.BarcodeDetector = class {
    static getSupportedFormats() { return Promise.resolve(["ean_13", "code_128", "qr_code"]); }
    constructor(options) { this.options = options; this.calls = 0; }
    detect(source) {
      this.calls += 1;  // empty frames for about two seconds first, as when the phone is still being aimed
      return Promise.resolve(this.calls < 10 ? [] : [{rawValue: "%(code)s", format: "code_128"}]);
    }
  };
  const getUserMedia = () => {
    const canvas = document.createElement("canvas");
    canvas.width = 320; canvas.height = 240;
    const context = canvas.getContext("2d");
    context.fillStyle = "#ccc"; context.fillRect(0, 0, 320, 240);
    return Promise.resolve(canvas.captureStream(10));
  };
  if (!navigator.mediaDevices) { Object.defineProperty(navigator, "mediaDevices", {value: {}}); }
  navigator.mediaDevices.getUserMedia = getUserMedia;
})();
"""


def test_a_barcode_scanned_with_the_camera_opens_the_product(page, live_server, shop, offline):
    product = shop["product"]
    offline(page)
    page.set_viewport_size(PHONE)
    page.add_init_script(FAKE_CAMERA % {"code": product.upc})
    log_in(page, live_server, CLERK)
    page.goto(live_server.url + "/shop/showroom-stock/chau-doc/")
    scan = page.get_by_role("button", name="Quét mã vạch bằng máy ảnh")
    expect(scan).to_be_visible()  # shown only where the browser can read barcodes
    big_enough(scan, height=56)
    no_sideways_scrolling(page)
    shot(page, "50-15-scan-button-phone")
    scan.click()
    expect(page.locator("#scanner-video")).to_be_visible()
    expect(scan).to_be_hidden()
    page.screenshot(path=str(SHOTS / "50-16-scanning-phone.png"))  # the viewport only: it moves on by itself
    page.wait_for_url(re.compile(rf"/shop/showroom-stock/chau-doc/products/{product.pk}/$"))  # the code, then the product
    expect(page.locator("h1")).to_have_text(TITLE)
    assert_clean(offline)
