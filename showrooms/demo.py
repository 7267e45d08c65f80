"""Demo showrooms for An Giang (the province since July 2025, former Kiên Giang included): five showrooms in four
areas with their hours and a Tết closure, the demo clerk at two of them (so stock can be transferred), shelves
with a history, and the Wagtail pages (all showrooms › area › showroom).

Called by catalogue.demo.load_demo_data() after the catalogue, certificates and users exist. Idempotent and
deterministic: showrooms are found by code, pages by showroom (or slug), images by title, and every shelf
movement carries a fixed request key and is written only through showrooms.services (the ledger's only
writer), so a second run replays the first movements and writes nothing. Random draws come from
``random.Random(SEED)`` and are made whatever the database holds.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image as PILImage
from wagtail.models import Locale
from PIL import ImageDraw

from catalogue.certification import ocop_today
from catalogue.demo import PROGRAMME_GROUP, SHOWROOM, UPC_PREFIX, demo_font
from catalogue.models import AdministrativeUnit, Product

from . import services
from .models import OpeningException, OpeningHours, ShelfStock, Showroom, ShowroomMembership, StockMovement
from .pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage, ShowroomPageNearby, ShowroomPagePhoto

SEED = 2026_11
PROVINCE_CODE = "91"
REQUEST_KEY_PREFIX = "demo"

INDEX_TITLE = "Điểm bán OCOP"
INDEX_SLUG = "diem-ban-ocop"
INDEX_INTRO = (
    "<p>Các điểm giới thiệu và bán sản phẩm OCOP của An Giang: đến xem, nếm thử và mua tận tay sản phẩm "
    "đã được chứng nhận từ 3 sao trở lên. Mỗi điểm ghi rõ giờ mở cửa và hàng đang có trên kệ.</p>"
)

t = dt.time
STANDARD_WEEK = [(day, t(7, 30), t(11, 30)) for day in range(7)] + [(day, t(13, 30), t(17, 0)) for day in range(6)]
TOURIST_WEEK = [(day, t(8, 0), t(21, 0)) for day in range(7)]
# Mùng 1 Tết (lunar new year's day) of the coming years.
TET_DAYS = (
    dt.date(2026, 2, 17), dt.date(2027, 2, 6), dt.date(2028, 1, 26), dt.date(2029, 2, 13), dt.date(2030, 2, 3),
    dt.date(2031, 1, 23), dt.date(2032, 2, 11), dt.date(2033, 1, 31), dt.date(2034, 2, 19), dt.date(2035, 2, 8),
)


class AreaRow(NamedTuple):
    slug: str
    title: str
    former_district: str
    intro: str


class ShowroomRow(NamedTuple):
    code: str
    name: str
    area_slug: str
    commune: str  # AdministrativeUnit name, a commune/ward of province 91
    street_address: str
    latitude: str
    longitude: str
    phone: str
    week: list
    tourist: bool  # open on Tết days 2 and 3
    clerk: bool  # the demo clerk works here
    description: str
    nearby: tuple[tuple[str, str], ...]  # (Group VI product title, note)
    photo_colour: tuple[int, int, int]


AREAS: tuple[AreaRow, ...] = (
    AreaRow(
        "chau-doc", "Châu Đốc", "Thành phố Châu Đốc",
        "<p>Đất của mắm, đường thốt nốt và khô cá: hai điểm bán ở trung tâm Châu Đốc và dưới chân Núi Sam, "
        "gần Miếu Bà Chúa Xứ.</p>",
    ),
    AreaRow(
        "long-xuyen", "Long Xuyên", "Thành phố Long Xuyên",
        "<p>Trung tâm hành chính của tỉnh, cửa ngõ đi Cù lao Giêng và Chợ Mới.</p>",
    ),
    AreaRow(
        "rach-gia", "Rạch Giá", "Thành phố Rạch Giá",
        "<p>Thành phố biển, nơi có tàu đi Hòn Sơn, Nam Du và Phú Quốc.</p>",
    ),
    AreaRow(
        "phu-quoc", "Phú Quốc", "Thành phố Phú Quốc",
        "<p>Đặc khu Phú Quốc: nước mắm, hồ tiêu, sim rừng và ngọc trai.</p>",
    ),
)

SHOWROOMS: tuple[ShowroomRow, ...] = (
    ShowroomRow(
        code="chau-doc", name="Điểm OCOP Châu Đốc", area_slug="chau-doc", commune="Phường Châu Đốc",
        street_address="Số 12 Trưng Nữ Vương, khóm Châu Long 1", latitude="10.706340", longitude="105.117270",
        phone="0296 3866 012", week=STANDARD_WEEK, tourist=False, clerk=True,
        description=(
            "<p>Điểm giới thiệu và bán sản phẩm OCOP đầu tiên của Châu Đốc, cạnh chợ Châu Đốc và bến đò làng nổi. "
            "Trên kệ có mắm cá linh, mắm thái, đường thốt nốt, khô cá và các đặc sản vùng Bảy Núi.</p>"
            "<p>Được <b>nếm thử</b> trước khi mua; nhận giữ hàng cho khách đặt trên trang web và đến lấy.</p>"
        ),
        nearby=(
            ("Tour trải nghiệm làng nổi Châu Đốc", "Bến đò Châu Đốc, 5 phút đi bộ"),
            ("Tour làng nổi và thánh đường Mubarak", "Qua sông Hậu bằng đò"),
            ("Tour làng Chăm Châu Phong", "Cách 3 km"),
        ),
        photo_colour=(179, 38, 30),
    ),
    ShowroomRow(
        code="nui-sam", name="Điểm OCOP Núi Sam", area_slug="chau-doc", commune="Phường Vĩnh Tế",
        street_address="Quốc lộ 91, khóm Vĩnh Tây 1 (gần Miếu Bà Chúa Xứ)", latitude="10.679820",
        longitude="105.078950", phone="0296 3861 245", week=STANDARD_WEEK, tourist=True, clerk=True,
        description=(
            "<p>Dưới chân Núi Sam, trên đường đến Miếu Bà Chúa Xứ và Lăng Thoại Ngọc Hầu. Điểm bán phục vụ "
            "khách hành hương: quà mang về gọn nhẹ, đóng gói sẵn.</p>"
        ),
        nearby=(
            ("Tour rừng tràm Trà Sư nửa ngày", "Cách 20 km về phía Tịnh Biên"),
            ("Tour trải nghiệm làng nổi Châu Đốc", "Cách 6 km"),
        ),
        photo_colour=(127, 29, 23),
    ),
    ShowroomRow(
        code="long-xuyen", name="Điểm OCOP Long Xuyên", area_slug="long-xuyen", commune="Phường Long Xuyên",
        street_address="Số 8 Nguyễn Huệ A, khóm Đông Thịnh 2", latitude="10.386290", longitude="105.435210",
        phone="0296 3841 808", week=STANDARD_WEEK, tourist=False, clerk=False,
        description=(
            "<p>Trưng bày sản phẩm OCOP của cả tỉnh tại trung tâm Long Xuyên, gần công viên Nguyễn Du. "
            "Có góc quà tặng cho cơ quan, doanh nghiệp.</p>"
        ),
        nearby=(
            ("Tour trải nghiệm Cù lao Giêng một ngày", "Đi phà từ bến Ô Môi"),
            ("Điểm du lịch nhà vườn Cù lao Giêng", "Khoảng 40 phút"),
            ("Tour khám phá di tích Óc Eo – Ba Thê", "Cách 35 km"),
        ),
        photo_colour=(30, 125, 50),
    ),
    ShowroomRow(
        code="rach-gia", name="Điểm OCOP Rạch Giá", area_slug="rach-gia", commune="Phường Rạch Giá",
        street_address="Số 21 Trần Phú, khu phố 3", latitude="10.012480", longitude="105.080920",
        phone="0297 3862 021", week=STANDARD_WEEK, tourist=False, clerk=False,
        description=(
            "<p>Gần bến tàu Rạch Giá: mua quà trước khi ra đảo hoặc khi trở về đất liền. Nước mắm, khô mực, "
            "khô cá và sản phẩm từ rừng U Minh Thượng.</p>"
        ),
        nearby=(
            ("Homestay Hòn Sơn một đêm", "Tàu cao tốc từ bến Rạch Giá"),
            ("Tour lặn ngắm san hô Hòn Sơn", "Tàu cao tốc từ bến Rạch Giá"),
            ("Tour khám phá Vườn quốc gia U Minh Thượng", "Cách 60 km"),
        ),
        photo_colour=(21, 101, 192),
    ),
    ShowroomRow(
        code="phu-quoc", name="Điểm OCOP Phú Quốc", area_slug="phu-quoc", commune="Đặc khu Phú Quốc",
        street_address="Số 5 Bạch Đằng, khu phố 1, Dương Đông", latitude="10.216830", longitude="103.958910",
        phone="0297 3846 555", week=TOURIST_WEEK, tourist=True, clerk=False,
        description=(
            "<p>Bên bờ sông Dương Đông, gần chợ đêm. Mở cửa cả ngày cho khách du lịch: nước mắm Phú Quốc, "
            "hồ tiêu, rượu sim, ngọc trai.</p><p>Lưu ý: nước mắm không được mang lên máy bay; "
            "điểm bán nhận gửi hàng về nhà.</p>"
        ),
        nearby=(("Tham quan nhà thùng nước mắm Phú Quốc", "Cách 1 km"),),
        photo_colour=(0, 121, 107),
    ),
)

SHELF_SIZE = 10  # products per showroom
SHOWROOM_PERMISSIONS = ("view", "change", "add")
SHOWROOM_MODELS = ("showroom", "shelfstock", "stockmovement")


# ---------------------------------------------------------------- the plan (pure: no database)
class ShelfStep(NamedTuple):
    action: str  # "receive", "sell", "count"
    quantity: int
    note: str


def shelf_history(*, rng: random.Random, ending: str) -> list[ShelfStep]:
    """A few weeks on one shelf. ``ending``: "plenty", "few" (at or below the default threshold of 3) or "sold_out".
    Every count differs from the books (a count that agrees writes nothing and could not be replayed)."""
    first, sold, second, sold_again = rng.randint(10, 24), rng.randint(1, 4), rng.randint(6, 12), rng.randint(1, 3)
    missing = rng.randint(1, 2)
    if ending == "few":
        return [ShelfStep("receive", 6, "Nhận hàng ký gửi"), ShelfStep("sell", 2, ""), ShelfStep("sell", 2, "")]
    if ending == "sold_out":
        return [ShelfStep("receive", 4, "Nhận hàng ký gửi"), ShelfStep("sell", 3, ""), ShelfStep("sell", 1, "")]
    level = first - sold + second
    return [
        ShelfStep("receive", first, "Nhận hàng ký gửi đợt 1"),
        ShelfStep("sell", sold, ""),
        ShelfStep("receive", second, "Nhận hàng ký gửi đợt 2"),
        ShelfStep("count", level - missing, "Kiểm kê cuối tháng: thiếu so với sổ (hàng móp, hỏng)"),
        ShelfStep("sell", sold_again, ""),
    ]


def next_tet(today: dt.date) -> dt.date | None:
    """Lunar new year's day of the Tết still ahead (or under way) on ``today``."""
    return next((day for day in TET_DAYS if day + dt.timedelta(days=3) >= today), None)


def tet_exceptions(*, tet: dt.date, tourist: bool) -> list[dict]:
    """New year's eve open in the morning only; closed on days 1–3 (a tourist showroom reopens on day 2)."""
    rows = [{"date": tet - dt.timedelta(days=1), "closed": False, "opens": t(7, 30), "closes": t(11, 30),
             "note": "Giao thừa: chỉ mở buổi sáng"}]
    closed_days = 1 if tourist else 3
    for n in range(closed_days):
        rows.append({"date": tet + dt.timedelta(days=n), "closed": True, "opens": None, "closes": None,
                     "note": "Nghỉ Tết Nguyên đán"})
    if tourist:
        for n in (1, 2):
            rows.append({"date": tet + dt.timedelta(days=n), "closed": False, "opens": t(9, 0), "closes": t(17, 0),
                         "note": "Tết: mở cửa muộn, đóng cửa sớm"})
    return rows


# ---------------------------------------------------------------- builders (database)
def showroom_photo_bytes(*, name: str, colour: tuple[int, int, int], variant: int) -> bytes:
    """A drawn storefront (variant 0) or a shelf (variant 1): demo pictures with no outside file."""
    width, height = 960, 640
    image = PILImage.new("RGB", (width, height), (250, 247, 242))
    draw = ImageDraw.Draw(image)
    if variant == 0:
        draw.rectangle([0, 0, width, 260], fill=(214, 234, 248))
        draw.rectangle([80, 180, 880, 600], fill=(255, 255, 255), outline=colour, width=8)
        draw.rectangle([80, 150, 880, 250], fill=colour)
        draw.text((110, 175), name, fill=(255, 255, 255), font=demo_font(44))
        draw.rectangle([380, 330, 580, 600], fill=(120, 85, 60))
        for x in (130, 640):
            draw.rectangle([x, 320, x + 190, 470], fill=(198, 226, 240), outline=colour, width=4)
        draw.rectangle([0, 600, width, height], fill=(160, 160, 160))
    else:
        draw.rectangle([0, 0, width, 90], fill=colour)
        draw.text((40, 22), f"{name} · OCOP", fill=(255, 255, 255), font=demo_font(38))
        shades = [(242, 183, 5), (179, 38, 30), (30, 125, 50), (21, 101, 192), (120, 85, 60), (0, 121, 107)]
        for row, y in enumerate((170, 330, 490)):
            draw.rectangle([40, y + 100, 920, y + 118], fill=(120, 85, 60))
            for col in range(8):
                x = 60 + col * 108
                shade = shades[(row * 3 + col) % len(shades)]
                draw.rectangle([x, y + 10 + (col % 3) * 12, x + 80, y + 100], fill=shade, outline=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()


def _images_for(row: ShowroomRow) -> list:
    """Two gallery images per showroom, found by title (created once)."""
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    Image = get_image_model()
    images = []
    for variant, caption in enumerate(("Mặt tiền", "Kệ sản phẩm OCOP")):
        title = f"{row.name} – {caption}"
        image = Image.objects.filter(title=title).first()
        if image is None:
            data = showroom_photo_bytes(name=row.name, colour=row.photo_colour, variant=variant)
            image = Image.objects.create(
                title=title,
                file=ContentFile(data, name=f"showroom-{row.code}-{variant + 1}.jpg"),
                collection=Collection.get_first_root_node(),
            )
        images.append((image, caption))
    return images


def showrooms_create(*, clerk) -> tuple[dict[str, Showroom], int]:
    """The showrooms (by code), their week, the coming Tết and the demo clerk; and how many were created."""
    communes = {
        u.name: u for u in AdministrativeUnit.objects.filter(level="commune", parent__code=PROVINCE_CODE)
    }
    tet = next_tet(ocop_today())
    showrooms, created_count = {}, 0
    for row in SHOWROOMS:
        showroom, created = Showroom.objects.get_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "area": communes[row.commune],
                "street_address": row.street_address,
                "latitude": Decimal(row.latitude),
                "longitude": Decimal(row.longitude),
                "phone": row.phone,
            },
        )
        created_count += created
        if not showroom.hours.exists():
            OpeningHours.objects.bulk_create(
                [OpeningHours(showroom=showroom, weekday=day, opens=opens, closes=closes, sort_order=n)
                 for n, (day, opens, closes) in enumerate(sorted(row.week))]
            )
        if tet is not None:
            for n, exception in enumerate(tet_exceptions(tet=tet, tourist=row.tourist)):
                OpeningException.objects.get_or_create(
                    showroom=showroom, date=exception.pop("date"), defaults={**exception, "sort_order": n}
                )
        if row.clerk and clerk is not None:
            ShowroomMembership.objects.get_or_create(showroom=showroom, user=clerk)
        showrooms[row.code] = showroom
    return showrooms, created_count


def _shelf_candidates() -> list[Product]:
    """Certified demo products that go on a shelf (parcels, not tours), by upc."""
    return list(
        Product.objects.certified()
        .filter(upc__startswith=UPC_PREFIX, is_public=True, ocop_product_set__group__is_shippable=True)
        .select_related("producer__area")
        .order_by("upc")
    )


def shelf_plan(*, showrooms: dict[str, Showroom], candidates: list[Product], rng: random.Random):
    """For each showroom: (product, ending) pairs. Local products first (the producer's former district is the
    showroom's), then a deterministic sample of the rest of the province."""
    plan = {}
    for row in SHOWROOMS:
        showroom = showrooms[row.code]
        district = showroom.area.former_district
        local = [
            p for p in candidates if p.producer and p.producer.area_id and p.producer.area.former_district == district
        ]
        others = [p for p in candidates if p not in local]
        picked = local[: SHELF_SIZE // 2]
        draws = rng.sample(range(len(others)), k=min(len(others), SHELF_SIZE))  # drawn for every showroom
        for index in draws:
            if len(picked) >= SHELF_SIZE:
                break
            picked.append(others[index])
        endings = ["few"] + (["sold_out"] if row.code == "chau-doc" else []) + ["plenty"] * SHELF_SIZE
        plan[row.code] = list(zip(picked, endings))
    return plan


def _key(showroom: Showroom, product: Product, step: int) -> str:
    return f"{REQUEST_KEY_PREFIX}:{showroom.code}:{product.upc}:{step}"


def shelves_fill(*, showrooms: dict[str, Showroom], clerk, rng: random.Random) -> int:
    """Write each planned shelf history through the services, with fixed request keys. A shelf that already has
    movements (from an earlier run, or a real clerk) is left alone. Returns how many movements were written."""
    before = StockMovement.objects.filter(showroom__in=showrooms.values()).count()
    plan = shelf_plan(showrooms=showrooms, candidates=_shelf_candidates(), rng=rng)
    for row in SHOWROOMS:
        showroom = showrooms[row.code]
        actor = clerk if row.clerk else None
        for product, ending in plan[row.code]:
            steps = shelf_history(rng=rng, ending=ending)  # drawn for every product
            if StockMovement.objects.filter(showroom=showroom, product=product).exists():
                continue
            for n, step in enumerate(steps):
                kwargs = {"showroom": showroom, "product": product, "actor": actor, "note": step.note,
                          "request_key": _key(showroom, product, n)}
                if step.action == "receive":
                    services.shelf_receive(quantity=step.quantity, **kwargs)
                elif step.action == "sell":
                    services.shelf_sell(quantity=step.quantity, **kwargs)
                else:
                    services.shelf_count(counted=step.quantity, **kwargs)
    # One transfer between the clerk's two showrooms, so the history shows both legs.
    source, destination = showrooms["chau-doc"], showrooms["nui-sam"]
    moving = next(
        (product for product, ending in plan["chau-doc"] if ending == "plenty"), None
    )
    if moving is not None:
        shelf = ShelfStock.objects.filter(showroom=source, product=moving).first()
        key = f"{REQUEST_KEY_PREFIX}:transfer:{moving.upc}"
        done = StockMovement.objects.filter(showroom=source, product=moving, request_key=key).exists()
        if not done and shelf is not None and shelf.available >= 3:
            services.shelf_transfer(
                source=source, destination=destination, product=moving, quantity=2,
                actor=clerk, request_key=key,
            )
    return StockMovement.objects.filter(showroom__in=showrooms.values()).count() - before


def pages_create(*, showrooms: dict[str, Showroom]) -> int:
    """The index under the home page, the area pages and a page per showroom. Returns how many were created."""
    from cms.services import site_structure_ensure

    home = site_structure_ensure()
    locale = home.locale
    created = 0
    index = ShowroomIndexPage.objects.child_of(home).filter(locale=locale).first()
    if index is None:
        index = home.add_child(
            instance=ShowroomIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, intro=INDEX_INTRO, locale=locale)
        )
        created += 1
    province = AdministrativeUnit.objects.get(level="province", code=PROVINCE_CODE)
    areas = {}
    for row in AREAS:
        area = AreaIndexPage.objects.child_of(index).filter(slug=row.slug).first()
        if area is None:
            area = index.add_child(
                instance=AreaIndexPage(
                    title=row.title, slug=row.slug, province=province, former_district=row.former_district,
                    intro=row.intro, locale=locale,
                )
            )
            created += 1
        areas[row.slug] = area
    tours = {
        p.title: p
        for p in Product.objects.filter(upc__startswith=UPC_PREFIX, ocop_product_set__group__number=6)
    }
    for row in SHOWROOMS:
        showroom = showrooms[row.code]
        if ShowroomPage.objects.filter(showroom=showroom, locale=locale).exists():
            continue
        photos = [ShowroomPagePhoto(image=image, caption=caption, sort_order=n)
                  for n, (image, caption) in enumerate(_images_for(row))]
        nearby = [ShowroomPageNearby(product=tours[title], note=note, sort_order=n)
                  for n, (title, note) in enumerate(row.nearby) if title in tours]
        areas[row.area_slug].add_child(
            instance=ShowroomPage(
                title=row.name, slug=f"diem-ocop-{row.code}", showroom=showroom,
                description=row.description, locale=locale, photos=photos, nearby=nearby,
                search_description=f"{row.name}: {row.street_address}. Giờ mở cửa, sản phẩm OCOP trên kệ.",
            )
        )
        created += 1
    return created


def programme_permissions_grant() -> None:
    """Programme staff edit showrooms (Wagtail snippets) and see every shelf and movement."""
    group = Group.objects.filter(name=PROGRAMME_GROUP).first()
    if group is None:
        return
    codenames = [f"{action}_{model}" for action in SHOWROOM_PERMISSIONS for model in SHOWROOM_MODELS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="showrooms", codename__in=codenames))


@transaction.atomic
def showrooms_demo_create() -> dict:
    """Load the demo showrooms. Idempotent. Returns what was created and what exists."""
    rng = random.Random(SEED)
    clerk = get_user_model().objects.filter(email=SHOWROOM.email).first()
    showrooms, showrooms_created = showrooms_create(clerk=clerk)
    movements_created = shelves_fill(showrooms=showrooms, clerk=clerk, rng=rng)
    pages_created = pages_create(showrooms=showrooms)
    programme_permissions_grant()
    codes = [row.code for row in SHOWROOMS]
    return {
        "created": {"showrooms": showrooms_created, "showroom pages": pages_created, "shelf moves": movements_created},
        "totals": {
            "showrooms": Showroom.objects.filter(code__in=codes).count(),
            "showroom pages": sum(
                model.objects.filter(locale=Locale.get_default()).count()
                for model in (ShowroomIndexPage, AreaIndexPage, ShowroomPage)
            ),
            "shelf moves": StockMovement.objects.filter(showroom__code__in=codes).count(),
        },
    }
