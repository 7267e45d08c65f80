"""WCAG 2.1 AA in Chromium: axe-core (axe-playwright-python, injected from the package: nothing is fetched) over the
pages a shopper meets: home, the listing, a product, a product story, the basket with a product in it, checkout,
a showroom and the live schedule, on a desktop and on a phone. No violation of impact "serious" or "critical" is
allowed; the assertion prints each one (rule, impact, the elements and axe's reasons).

Its own small shop (no demo data), built by `shop_with_stories`, which tests/browser/test_screenshots.py shares."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from tests.support.browser import DESKTOP, PHONE, assert_clean
from tests.support.catalogue import certify, make_producer, make_product
from tests.support.cms import make_story, story_index
from tests.support.showrooms import an_giang_commune, make_showroom, stock_shelf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")
STORY_TITLE = "Mắm cá linh mùa nước nổi"
PRODUCT_TITLE = "Mắm cá linh Châu Đốc hũ 500g"


# ---------------------------------------------------------------- the shop (shared with test_screenshots.py)
def photo(title: str, *, top=(38, 104, 62), bottom=(214, 164, 58), size=(1600, 1000)):
    """A Wagtail image that looks like a photo (a gradient with a sun), so screenshots show real sizes and crops."""
    from wagtail.images.models import Image

    img = PILImage.new("RGB", size, top)
    draw = ImageDraw.Draw(img)
    width, height = size
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3)))
    draw.ellipse((width * .62, height * .14, width * .8, height * .14 + width * .18), fill=(250, 228, 150))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=80)
    return Image.objects.create(title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="anh.jpg"))


def product_with_photo(*, title, price, stars, producer, group=1):
    from catalogue.demo import product_image_bytes
    from catalogue.models import ProductImage

    product = make_product(title=title, price=Decimal(price), producer=producer, group=group, stock=25)
    ProductImage.objects.create(product=product, display_order=0,
                                original=ContentFile(product_image_bytes(title=title, group_number=group), name="sp.jpg"))
    if stars:
        certify(product, stars=stars)
    return product


def shop_with_stories(django_user_model) -> dict:
    """Certified products with photos (and one without a certificate), a showroom page with its shelf, an area page,
    a story using every kind of block, the home page's sections with a photo greeting, and two livestreams."""
    from cms.services import site_structure_ensure
    from showrooms.pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage, ShowroomPagePhoto
    from tests.support.livestream import make_host, make_session

    call_command("seed_reference_data", verbosity=0)  # transactional tests empty the tables afterwards
    home = site_structure_ensure()
    producer = make_producer(name="HTX Nông nghiệp Châu Đốc", code="htx-chau-doc", area=an_giang_commune())
    products = [
        product_with_photo(title=PRODUCT_TITLE, price="85000", stars=4, producer=producer),
        product_with_photo(title="Mắm thái đu đủ Châu Đốc hũ 500g", price="95000", stars=3, producer=producer),
        product_with_photo(title="Đường thốt nốt Tri Tôn túi 1kg", price="90000", stars=5, producer=producer),
        product_with_photo(title="Khô cá lóc một nắng Châu Đốc 500g", price="180000", stars=4, producer=producer),
    ]
    uncertified = product_with_photo(title="Gạo ST25 Tân Hiệp túi 5kg", price="160000", stars=0, producer=producer)

    # A showroom, its page (two photos) under an area page, and its shelf.
    showroom = make_showroom(name="Điểm OCOP Châu Đốc", code="chau-doc", street_address="12 Trưng Nữ Vương",
                             phone="0296 3866 012")
    for product in products:
        stock_shelf(showroom, product, 12)
    index = home.add_child(instance=ShowroomIndexPage(title="Điểm bán OCOP", slug="diem-ban-ocop"))
    area = index.add_child(instance=AreaIndexPage(title="Châu Đốc", slug="chau-doc", former_district="Châu Đốc",
                                                  intro="<p>Đất của mắm, đường thốt nốt và khô cá.</p>"))
    showroom_page = area.add_child(instance=ShowroomPage(
        title=showroom.name, slug="diem-ocop-chau-doc", showroom=showroom,
        description="<p>Điểm giới thiệu sản phẩm OCOP cạnh chợ Châu Đốc. Được <strong>nếm thử</strong> trước khi mua.</p>",
        photos=[ShowroomPagePhoto(image=photo("Mặt tiền", top=(180, 60, 40)), caption="Mặt tiền", sort_order=0),
                ShowroomPagePhoto(image=photo("Kệ hàng", top=(120, 70, 30)), caption="Kệ sản phẩm", sort_order=1)],
    ))

    # A story with every kind of block, and a second one for the lists.
    pictures = [photo(f"Ảnh {n}", top=(40 + n * 30, 96, 60), bottom=(206, 120 + n * 20, 60)) for n in range(5)]
    body = [
        ("paragraph", "<p>Mùa nước nổi, cá linh theo dòng Mê Kông về An Giang. Bà Sáu chọn từng con cá, rửa bằng nước "
                      "giếng, rồi ủ với muối hột và thính gạo rang trong chum sành suốt ba tháng.</p>"
                      "<h2>Từ con nước đến chum mắm</h2><p>Mỗi mẻ mắm là một mùa: cá về tháng chín, mắm ngấu vào "
                      "Tết. <strong>Không chất bảo quản</strong>. <a href=\"/shop/catalogue/\">Xem sản phẩm</a>.</p>"
                      "<ul><li>Cá linh non, tươi trong ngày</li><li>Muối hột</li><li>Thính gạo rang</li></ul>"),
        ("image", {"image": pictures[0], "alt_text": "Bà Sáu rửa cá linh bên bờ kênh",
                   "caption": "Cá linh được rửa ngay khi ghe về."}),
        ("quote", {"quote": "Mắm ngon là nhờ con cá tươi và cái nắng miền Tây.", "name": "Bà Nguyễn Thị Sáu",
                   "role": "Chủ cơ sở"}),
        ("timeline", {"heading": "Sản phẩm được làm ra thế nào", "steps": [
            {"title": "Chọn cá", "text": "Cá linh non, còn tươi, được lựa bằng tay.",
             "photo": {"image": pictures[1], "alt_text": "Rổ cá linh tươi"}},
            {"title": "Ướp muối", "text": "Muối hột trộn đều, ủ một đêm.", "photo": {"image": None, "alt_text": ""}},
            {"title": "Ủ chum", "text": "Ba tháng trong chum sành, đậy kín.",
             "photo": {"image": pictures[2], "alt_text": "Những chum sành xếp hàng"}},
        ]}),
        ("gallery", {"heading": "Một ngày ở cơ sở", "images": [
            {"image": pictures[n], "alt_text": f"Cảnh làm mắm số {n + 1}", "caption": f"Công đoạn {n + 1}"}
            for n in range(4)]}),
        ("video", {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Một mẻ mắm cá linh",
                   "caption": "Một mẻ mắm từ đầu đến cuối."}),
        ("raw_material_area", {"name": "Vùng nước nổi Châu Đốc",
                               "description": "<p>Cánh đồng ngập nước mỗi mùa lũ, nơi cá linh sinh sôi.</p>",
                               "photo": {"image": pictures[3], "alt_text": "Đồng nước nổi"}, "area_page": area}),
        ("products", {"heading": "Mua sản phẩm của câu chuyện", "products": [products[0], products[1], uncertified]}),
    ]
    hero = photo("Đồng lúa Tri Tôn", top=(30, 90, 50), bottom=(200, 160, 40))
    story = make_story(title=STORY_TITLE, producer=producer, products=products[:2], body=body, hero_image=hero)
    make_story(title="Đường thốt nốt Tri Tôn", slug="duong-thot-not", producer=producer, products=products[2:3],
               hero_image=pictures[4])

    # The home page: the default sections, the greeting with a photo and a button.
    home.refresh_from_db()
    greeting = home.body[0].value
    greeting["photo"]["image"], greeting["photo"]["alt_text"] = hero, "Đồng lúa Tri Tôn lúc bình minh"
    greeting["link_page"], greeting["link_label"] = story_index(home), "Đọc câu chuyện sản phẩm"
    home.save_revision().publish()

    # Two livestreams ahead (none on air, so no banner).
    host = make_host(django_user_model)
    soon = timezone.now() + dt.timedelta(days=1)
    make_session(host=host, products=[(products[0], Decimal("75000"))], start=soon, title="Đặc sản Châu Đốc")
    make_session(host=host, products=products[2:3], start=soon + dt.timedelta(days=3), title="Quà Tết OCOP")
    return {
        "home": "/", "listing": "/shop/catalogue/", "product": products[0].get_absolute_url(),
        "story": story.url, "showroom": showroom_page.url, "area": area.url, "live": "/live/",
        "products": products, "uncertified": uncertified, "story_page": story,
    }


def add_to_basket(page, live_server, product):
    page.goto(live_server.url + product.get_absolute_url())
    page.locator("#add_to_basket_form").get_by_role("button", name=re.compile("Thêm vào giỏ")).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("basket-count").inner_text() == "1"


# ---------------------------------------------------------------- axe
def blocking_violations(page) -> list[dict]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def report(found: dict[str, list[dict]]) -> str:
    lines = [""]
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}  {v['helpUrl']}")
            for node in v["nodes"][:8]:
                checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
                html = " ".join(node["html"].split())[:160]
                lines.append(f"    {', '.join(map(str, node['target']))}: {html}")
                lines.append(f"      -> {'; '.join(check['message'] for check in checks)}")
    return "\n".join(lines)


def audit(page, live_server, shop, offline) -> dict[str, list[dict]]:
    found = {}
    for name in ("home", "listing", "product", "story", "showroom", "live"):
        page.goto(live_server.url + shop[name])
        found[name] = blocking_violations(page)
    add_to_basket(page, live_server, shop["products"][0])
    for name, url in (("basket", "/shop/basket/"), ("checkout", "/shop/checkout/")):
        page.goto(live_server.url + url)
        assert page.locator("h1").count() == 1, url
        found[name] = blocking_violations(page)
    assert_clean(offline)
    return {where: violations for where, violations in found.items() if violations}


@pytest.fixture
def shop(transactional_db, django_user_model):
    return shop_with_stories(django_user_model)


def test_shopper_pages_have_no_serious_accessibility_violations_on_a_desktop(page, live_server, shop, offline):
    offline(page)
    page.set_viewport_size(DESKTOP)
    found = audit(page, live_server, shop, offline)
    assert not found, f"axe-core found serious or critical WCAG 2.1 AA violations:{report(found)}"


def test_shopper_pages_have_no_serious_accessibility_violations_on_a_phone(browser, live_server, shop, offline):
    context = offline(browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True))
    page = context.new_page()
    found = audit(page, live_server, shop, offline)
    context.close()
    assert not found, f"axe-core found serious or critical WCAG 2.1 AA violations:{report(found)}"
