"""The producer area in Chromium, on a phone: a producer adds a product (a draft, not for sale); programme staff
record its OCOP certificate in the Wagtail admin and it goes on sale; the producer renames it, the approved name
stays on sale until staff approve the change. Screenshots go to tests/browser/screenshots/ (look at them).

Every request that leaves the live server is aborted and recorded: nothing may be fetched from the network."""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from oscar.core.loading import get_model
from PIL import Image
from playwright.sync_api import expect

from catalogue.certification import ocop_today
from catalogue.demo import DEMO_PASSWORD, PRODUCER, PRODUCERS, PROGRAMME
from catalogue.models import Certificate, OcopProductSet, Product
from shop.listings.models import ProductChange

from tests.support.browser import DESKTOP, PHONE, assert_clean, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Partner = get_model("partner", "Partner")

TITLE = "Bánh bò thốt nốt Tri Tôn hộp 500g"
NEW_TITLE = "Bánh bò thốt nốt Tri Tôn hộp 600g"
SEARCH = "Bánh bò thốt nốt"
PRODUCT_SET = "I.5 Thực phẩm chế biến"
DECISION = "215/QĐ-UBND"


# ---------------------------------------------------------------- helpers of this flow
def photo(path: Path) -> Path:
    """A real JPEG, as a phone camera would hand it over (made here: nothing is downloaded)."""
    image = Image.new("RGB", (1200, 900), (222, 170, 60))
    for x in range(300, 900):  # a darker "cake" in the middle, so the thumbnail is not one flat colour
        for y in range(250, 650, 50):
            image.putpixel((x, y), (120, 70, 20))
    image.save(path, "JPEG", quality=85)
    return path


def no_sideways_scrolling(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"sideways scrolling on {page.url}"


def in_viewport_width(page, locator):
    """The element is wholly on the phone's screen horizontally (not cut off at either edge)."""
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 0.5, (locator, box)


def search_url(live_server, text):
    return f"{live_server.url}/shop/search/?{urlencode({'q': text})}"


def cards_titled(page, title):
    return page.get_by_test_id("product-card").filter(
        has=page.locator(".product-card__title a", has_text=re.compile(rf"^{re.escape(title)}$"))
    )


def public_page(browser, offline):
    """Anyone: a fresh browser on a phone, not logged in."""
    context = offline(browser.new_context(viewport=PHONE))
    return context, context.new_page()


# ---------------------------------------------------------------- the flow
def test_producer_adds_a_product_staff_certify_it_and_approve_its_new_name(
    page, browser, live_server, demo, offline, tmp_path
):
    producer = Partner.objects.get(code=PRODUCERS[0].code)
    assert producer.users.filter(email=PRODUCER.email).exists()
    product_set = OcopProductSet.objects.get(group__taxonomy__is_current=True, group__number=1, number=5)
    assert str(product_set) == PRODUCT_SET
    assert not Product.objects.filter(title__in=[TITLE, NEW_TITLE]).exists()

    # 1. The producer, on a phone, adds the product: a draft until it is certified.
    offline(page)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, PRODUCER.email)
    header_link = page.locator(".site-header").get_by_role("link", name="Khu vực chủ thể", exact=True)
    expect(header_link).to_be_visible()
    header_link.click()
    page.wait_for_url(re.compile(r"/shop/seller/$"))
    expect(page.locator("h1")).to_have_text("Khu vực chủ thể OCOP")
    expect(page.locator("#content_inner")).to_contain_text(producer.name)
    no_sideways_scrolling(page)
    shot(page, "40-01-seller-home-phone")

    page.locator(".seller-nav").get_by_role("link", name="Sản phẩm", exact=True).click()
    page.wait_for_url(re.compile(r"/shop/seller/products/$"))
    expect(page.locator("h1")).to_have_text("Sản phẩm của tôi")
    expect(page.locator("a.seller-listing")).to_have_count(Product.objects.filter(producer=producer).count())
    no_sideways_scrolling(page)
    shot(page, "40-02-seller-products-phone")

    page.get_by_role("link", name="+ Thêm sản phẩm").click()
    page.wait_for_url(re.compile(r"/shop/seller/products/new/$"))
    expect(page.locator("h1")).to_have_text("Thêm sản phẩm")
    form = page.locator("#product-form")
    form.get_by_label("Tên sản phẩm").fill(TITLE)
    form.get_by_label("Nhóm và bộ sản phẩm OCOP").select_option(label=PRODUCT_SET)
    form.get_by_label("Giá bán (₫)").fill("45000")
    form.get_by_label("Khối lượng khi giao (gam)").fill("550")
    form.get_by_label("Tồn kho bán trực tuyến").fill("20")
    form.get_by_label("Ảnh sản phẩm").set_input_files(photo(tmp_path / "banh-bo.jpg"))
    for field in ("#id_title", "#id_ocop_product_set", "#id_price", "#id_weight_grams", "#id_stock", "#id_image"):
        in_viewport_width(page, page.locator(field))  # every field fits on the phone's screen
    submit = form.get_by_role("button", name="Thêm sản phẩm")
    in_viewport_width(page, submit)
    no_sideways_scrolling(page)
    shot(page, "40-03-seller-product-new-filled-phone")

    submit.click()
    page.wait_for_url(re.compile(r"/shop/seller/products/(\d+)/$"))
    product = Product.objects.get(title=TITLE)
    assert page.url.endswith(f"/shop/seller/products/{product.pk}/")
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã thêm “{TITLE}”. Sản phẩm chờ Ban điều phối ghi nhận chứng nhận OCOP trước khi bán."
    )
    status = page.locator("p.listing-status")
    expect(status).to_have_attribute("data-status", "draft")
    expect(status).to_have_text("Chờ chứng nhận OCOP · chưa bán")
    expect(page.locator("#pending-change")).to_have_count(0)
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator(".current-image img")).to_be_visible()  # the photo just added
    receive = page.locator("#stock-form").get_by_label("Nhập thêm hàng")  # a usable radio, not a full-width box
    expect(receive).to_be_checked()
    box = receive.bounding_box()
    assert box["width"] < 30 and box["height"] < 30, box
    in_viewport_width(page, page.locator("#stock-form").get_by_role("button", name="Cập nhật tồn kho"))
    no_sideways_scrolling(page)
    shot(page, "40-04-seller-product-added-phone")

    assert product.producer == producer and product.ocop_product_set == product_set
    assert product.weight_grams == 550 and product.is_public and not product.is_certified()
    record = product.stockrecords.get()
    assert (record.partner, int(record.price), record.num_in_stock) == (producer, 45000, 20)
    assert product.images.count() == 1

    # Listed among the producer's products, as a draft, with its photo.
    page.locator(".seller-nav").get_by_role("link", name="Sản phẩm", exact=True).click()
    page.wait_for_url(re.compile(r"/shop/seller/products/$"))
    row = page.locator("a.seller-listing", has_text=TITLE)
    expect(row).to_have_attribute("data-status", "draft")
    expect(row.locator(".listing-status")).to_have_text("Chờ chứng nhận OCOP · chưa bán")
    thumb = row.locator("img")
    expect(thumb).to_have_count(1)
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0"), "the product photo's thumbnail shows"
    row.scroll_into_view_if_needed()
    in_viewport_width(page, row)
    no_sideways_scrolling(page)
    shot(page, "40-05-seller-products-draft-phone")

    # Not for sale: nobody finds it in the catalogue.
    public_context, public = public_page(browser, offline)
    public.goto(search_url(live_server, SEARCH))
    expect(public.get_by_test_id("result-count")).to_be_visible()
    expect(cards_titled(public, TITLE)).to_have_count(0)
    no_sideways_scrolling(public)
    shot(public, "40-06-search-before-certificate-phone")
    public.goto(live_server.url + "/shop/catalogue/")
    expect(public.get_by_test_id("product-card").first).to_be_visible()
    expect(cards_titled(public, TITLE)).to_have_count(0)
    public_context.close()

    # 2. Programme staff record the certificate in the Wagtail admin (/cms-admin/ → OCOP → certificates → add).
    staff_context = offline(browser.new_context(viewport=DESKTOP))
    staff = staff_context.new_page()
    staff.goto(live_server.url + "/cms-admin/login/")
    staff.locator("#id_username").fill(PROGRAMME.email)
    staff.locator("#id_password").fill(DEMO_PASSWORD)
    staff.locator("form").filter(has=staff.locator("#id_password")).locator("button[type=submit]").click()
    staff.wait_for_url(re.compile(r"/cms-admin/$"))
    sidebar = staff.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="OCOP").click()
    sidebar.get_by_role("link", name="Giấy chứng nhận OCOP", exact=True).click()
    staff.wait_for_url(re.compile(r"/cms-admin/ocop/certificates/$"))
    shot(staff, "40-07-cms-certificates-desktop")

    staff.locator("header").get_by_role("link", name=re.compile(r"^Thêm")).first.click()
    staff.wait_for_url(re.compile(r"/cms-admin/ocop/certificates/new/$"))
    issued = ocop_today()
    staff.locator("#id_product").select_option(label=TITLE)
    staff.locator("#id_decision_number").fill(DECISION)
    staff.locator("#id_issued_on").fill(issued.isoformat())
    staff.locator("#id_issuing_level").select_option(value=Certificate.Level.PROVINCE)
    staff.locator("#id_issuing_authority").fill("UBND tỉnh An Giang")
    staff.locator("#id_stars").select_option(value="4")
    staff.locator("#id_score").fill("82")
    staff.locator("#id_score").press("Tab")  # closes the date picker, if it opened
    shot(staff, "40-08-cms-certificate-new-desktop")
    staff.get_by_role("button", name="Tạo", exact=True).click()
    staff.wait_for_url(re.compile(r"/cms-admin/ocop/certificates/$"))
    expect(staff.locator(".messages")).to_contain_text(f"{DECISION} · 4★")
    listing_row = staff.locator("tbody tr", has_text=TITLE)
    expect(listing_row).to_contain_text(DECISION)
    expect(listing_row).to_contain_text("Còn hiệu lực")
    shot(staff, "40-09-cms-certificate-recorded-desktop")
    staff_context.close()

    certificate = Certificate.objects.get(product=product)
    assert (certificate.decision_number, certificate.stars, certificate.issued_on) == (DECISION, 4, issued)
    assert certificate.recorded_by.email == PROGRAMME.email
    assert Product.objects.get(pk=product.pk).is_certified()  # a fresh row: is_certified() caches per instance

    # 3. On sale: anyone finds it in the catalogue.
    public_context, public = public_page(browser, offline)
    public.goto(search_url(live_server, SEARCH))
    card = cards_titled(public, TITLE)
    expect(card).to_have_count(1)
    expect(card).to_contain_text(producer.name)
    card.scroll_into_view_if_needed()
    in_viewport_width(public, card)
    no_sideways_scrolling(public)
    shot(public, "40-10-search-certified-phone")
    public.goto(live_server.url + "/shop/catalogue/")
    expect(cards_titled(public, TITLE)).to_have_count(1)  # the newest product comes first
    public.goto(live_server.url + product.get_absolute_url())
    expect(public.get_by_test_id("ocop-status")).to_have_attribute("data-status", "certified")
    expect(public.locator("h1")).to_have_text(TITLE)
    no_sideways_scrolling(public)
    shot(public, "40-11-product-certified-phone")
    public_context.close()

    page.goto(f"{live_server.url}/shop/seller/products/{product.pk}/")
    expect(page.locator("p.listing-status")).to_have_attribute("data-status", "certified")

    # 4. The producer renames it: the change waits for staff; the approved name stays on sale meanwhile.
    page.locator("#id_title").fill(NEW_TITLE)
    page.locator("#product-form").get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(re.compile(rf"/shop/seller/products/{product.pk}/$"))
    expect(page.locator(".alert-info")).to_contain_text(
        "Đã lưu. Thay đổi tên, nhóm, khối lượng, thể tích hoặc ảnh chính chờ Ban điều phối duyệt; "
        "trong lúc chờ, phiên bản đã duyệt vẫn được bán."
    )
    pending = page.locator("#pending-change")
    expect(pending).to_contain_text("Thay đổi đang chờ Ban điều phối duyệt")
    expect(pending).to_contain_text(f"Tên sản phẩm → {NEW_TITLE}")  # the field in words, not "title"
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("p.listing-status")).to_have_attribute("data-status", "certified")
    in_viewport_width(page, pending)
    no_sideways_scrolling(page)
    shot(page, "40-12-seller-rename-pending-phone")

    product.refresh_from_db()
    assert product.title == TITLE
    change = ProductChange.objects.get(product=product, status="pending")
    assert change.proposed == {"title": NEW_TITLE}

    public_context, public = public_page(browser, offline)
    public.goto(live_server.url + product.get_absolute_url())
    expect(public.locator("h1")).to_have_text(TITLE)
    expect(public.get_by_test_id("ocop-status")).to_have_attribute("data-status", "certified")
    public.goto(search_url(live_server, SEARCH))
    expect(cards_titled(public, TITLE)).to_have_count(1)
    expect(cards_titled(public, NEW_TITLE)).to_have_count(0)
    shot(public, "40-13-search-old-name-while-pending-phone")

    # Staff approve it in the programme's page (Oscar's dashboard layout).
    staff_context = offline(browser.new_context(viewport=DESKTOP))
    staff = staff_context.new_page()
    log_in(staff, live_server, PROGRAMME.email)
    staff.goto(live_server.url + "/shop/programme/changes/")
    expect(staff.locator("h1")).to_have_text("Thay đổi sản phẩm chờ duyệt")
    card = staff.locator(f"#change-{change.pk}")
    expect(card).to_contain_text(f"{TITLE} · {producer.name}")
    expect(card).to_contain_text(f"Tên sản phẩm: {TITLE} → {NEW_TITLE}")  # current → proposed
    shot(staff, "40-14-programme-changes-desktop")
    card.get_by_role("button", name="Duyệt", exact=True).click()
    staff.wait_for_url(re.compile(r"/shop/programme/changes/$"))
    expect(staff.locator(".alert-success")).to_contain_text("Đã duyệt thay đổi.")
    expect(staff.locator(f"#change-{change.pk}")).to_have_count(0)
    shot(staff, "40-15-programme-change-approved-desktop")
    staff_context.close()

    change.refresh_from_db()
    product = Product.objects.get(pk=product.pk)
    assert change.status == "approved" and change.decided_by.email == PROGRAMME.email
    assert product.title == NEW_TITLE and product.is_certified()

    # The catalogue now shows the new name, and only it.
    public.goto(search_url(live_server, SEARCH))
    expect(cards_titled(public, NEW_TITLE)).to_have_count(1)
    expect(cards_titled(public, TITLE)).to_have_count(0)
    no_sideways_scrolling(public)
    shot(public, "40-16-search-new-name-phone")
    public.goto(live_server.url + product.get_absolute_url())
    expect(public.locator("h1")).to_have_text(NEW_TITLE)
    public_context.close()

    page.reload()
    expect(page.locator("h1")).to_have_text(NEW_TITLE)
    expect(page.locator("#pending-change")).to_have_count(0)
    page.locator("details").filter(has=page.locator("#edit-history")).locator("summary").click()
    expect(page.locator("#edit-history")).to_be_visible()
    expect(page.locator("#edit-history")).to_contain_text(f"Tên sản phẩm: {TITLE} → {NEW_TITLE}")
    no_sideways_scrolling(page)
    shot(page, "40-17-seller-renamed-phone")

    # The same list on a desktop uses the whole width (it once shared the catalogue's .listing grid: a 240px column).
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/shop/seller/products/")
    row = page.locator("a.seller-listing", has_text=NEW_TITLE)
    expect(row.locator(".listing-title")).to_have_text(NEW_TITLE)
    assert row.locator(".card-body").bounding_box()["width"] > 0.9 * row.bounding_box()["width"]
    shot(page, "40-18-seller-products-desktop")
    assert_clean(offline)
