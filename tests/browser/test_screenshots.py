"""What a shopper sees, on a desktop (1280x900) and on a phone (390x844, a mobile browser): the home page, a product,
a product story and a showroom. Full-page screenshots go to var/screenshots/ (look at them: a page that works but
looks broken is broken), and each page is checked for what a shopper notices first: the page fits the screen (no
sideways scrolling), every picture shows and has its size, the price shows without scrolling, the story reads in
a comfortable column, the video is a 16:9 box with a big play button. Nothing is fetched from the network.

The shop is tests/browser/test_accessibility.py's `shop_with_stories`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.test_accessibility import PRODUCT_TITLE, STORY_TITLE, shop_with_stories
from tests.support.browser import DESKTOP, PHONE, assert_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
DEVICES = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def shop(transactional_db, django_user_model):
    return shop_with_stories(django_user_model)


@pytest.fixture(params=list(DEVICES))
def device(request, browser, offline):
    context = offline(browser.new_context(**DEVICES[request.param]))
    page = context.new_page()
    page.device = request.param
    yield page
    context.close()


def show_everything(page):
    """Scroll to the bottom and back, so lazy pictures load, then wait until each has loaded (or failed)."""
    page.evaluate("""async () => {
        for (let y = 0; y < document.documentElement.scrollHeight; y += 400) {
            window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30));
        }
        window.scrollTo(0, 0);
        await Promise.all([...document.images].map(img => img.complete ? null :
            new Promise(r => { img.addEventListener("load", r); img.addEventListener("error", r); })));
    }""")


def take(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{page.device}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fits_the_screen(page):
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"sideways scrolling on {page.url}: the page is {scroll_width}px wide on a {width}px screen"


def pictures_show(page):
    broken = page.evaluate("""() => [...document.images]
        .filter(img => !(img.complete && img.naturalWidth > 0) || !img.getAttribute("width") || !img.getAttribute("height"))
        .map(img => img.outerHTML.slice(0, 160))""")
    assert not broken, f"pictures that did not load or have no width/height on {page.url}: {broken}"


def on_screen(page, locator, what):
    """Wholly inside the visible part of the page, as it is scrolled now."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"{what} is not on the screen: {box}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + .5, f"{what} sticks out sideways: {box}"


def test_home_product_story_and_showroom_look_right(device, live_server, shop, offline):
    page = device
    phone = page.device == "phone"

    # Home: the greeting and its button on the first screen; a product card whole on the screen, price and button.
    page.goto(live_server.url + shop["home"])
    hero = page.locator(".hero")
    on_screen(page, hero.locator("h1"), "the greeting's title")
    on_screen(page, hero.get_by_role("link", name="Đọc câu chuyện sản phẩm"), "the greeting's button")
    card = page.get_by_test_id("product-card").first
    card.scroll_into_view_if_needed()
    on_screen(page, card.locator(".product-card__price"), "the first card's price")
    on_screen(page, card.get_by_role("button", name="Thêm vào giỏ"), "the first card's button")
    expect(card.locator(".product-card__image img")).to_have_attribute("src", re.compile(r"\.webp$"))  # made at upload
    expect(page.locator(".area-tile")).to_have_count(1)
    expect(page.get_by_test_id("story-card")).to_have_count(2)
    show_everything(page)
    fits_the_screen(page)
    pictures_show(page)
    take(page, "home")

    # A product: its price and stars without scrolling (a phone too); the button in reach.
    page.goto(live_server.url + shop["product"])
    expect(page.locator("h1")).to_have_text(PRODUCT_TITLE)
    on_screen(page, page.locator(".product_main .price_color"), "the price")
    expect(page.locator("#product_gallery img").first).to_have_attribute("src", re.compile(r"\.webp$"))  # sorl, WebP
    on_screen(page, page.locator(".ocop-panel .ocop-stars"), "the OCOP stars")
    button = page.locator("#add_to_basket_form").get_by_role("button", name="Thêm vào giỏ hàng")
    if not phone:
        on_screen(page, button, "the add-to-basket button")
    assert button.bounding_box()["height"] >= 44, "the add-to-basket button is too small to tap"
    show_everything(page)
    fits_the_screen(page)
    pictures_show(page)
    take(page, "product")

    # A story: a magazine page. Title and summary first; text in a readable column; numbered steps; the video a
    # 16:9 box with a big play button; a quote that stands out.
    page.goto(live_server.url + shop["story"])
    on_screen(page, page.locator(".story__title"), "the story's title")
    expect(page.locator(".story__title")).to_have_text(STORY_TITLE)
    paragraph = page.locator(".story__body .rich-text p").first
    text_box = paragraph.bounding_box()
    font_size = float(paragraph.evaluate("p => getComputedStyle(p).fontSize").removesuffix("px"))
    assert font_size >= 17, f"story text at {font_size}px is small for reading"
    if phone:
        assert text_box["width"] >= 340, f"on a phone the text uses the screen's width: {text_box}"
    else:
        assert text_box["width"] <= 720, f"the story's lines are too long to read ({text_box['width']}px)"
    steps = page.locator(".story-timeline__step")
    expect(steps).to_have_count(3)
    marker = steps.first.evaluate("li => { const s = getComputedStyle(li, '::before'); return [s.width, s.height, s.backgroundColor]; }")
    assert marker[0] == marker[1] and float(marker[0].removesuffix("px")) >= 32, f"the step number is no round badge: {marker}"
    frame = page.locator(".story-video__frame")
    frame_box = frame.bounding_box()
    assert abs(frame_box["width"] / frame_box["height"] - 16 / 9) < .02, f"the video box is not 16:9: {frame_box}"
    play = frame.get_by_role("link", name="Xem video: Một mẻ mắm cá linh")
    play_icon = play.locator(".story-video__icon").bounding_box()
    assert play_icon["width"] >= 44 and play_icon["height"] >= 44, f"the play button is small: {play_icon}"
    quote = page.locator(".story-quote blockquote p")
    assert quote.evaluate("p => getComputedStyle(p).fontStyle") == "italic"
    expect(page.get_by_test_id("not-for-sale")).to_have_count(1)  # the named uncertified product: no button
    show_everything(page)
    fits_the_screen(page)
    pictures_show(page)
    take(page, "story")

    # A showroom: where it is and what is on its shelf, each card with a price and a level.
    page.goto(live_server.url + shop["showroom"])
    on_screen(page, page.locator("h1"), "the showroom's name")
    shelf = page.get_by_test_id("shelf-product")
    expect(shelf).to_have_count(4)
    shelf.first.scroll_into_view_if_needed()
    on_screen(page, shelf.first.locator(".product-card__price"), "a shelf card's price")
    on_screen(page, shelf.first.locator(".shelf-level"), "a shelf card's level")
    show_everything(page)
    fits_the_screen(page)
    pictures_show(page)
    take(page, "showroom")
    assert_clean(offline)
