"""Oscar's shopper pages cost a constant number of queries, at most 20, whatever the number of rows they show.

Each page is rendered uncached as the shopper who reaches it, at a small and a larger number of rows (larger than a
page where the page paginates). Its second request is measured (the first settles the session, the basket and the
caches); both sizes must cost the same, at most ``LIMIT``, and the rows must be on the page.

The fixes: the templates under shop/templates/oscar/{customer,wishlists,offer}/ wrap Oscar's block in a
``{% with %}`` that reads the rows' relations once (shop/templatetags/shopper_pages.py), and the basket's lines are
priced from one read of their products' stock records, classes and certificates (shop/partner/strategy.py)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from oscar.core.loading import get_model

from tests.support.catalogue import make_certified_product
from tests.support.checkout import basket_add, service_basket, service_place
from tests.support.queries import assert_constant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]

Country = get_model("address", "Country")
Order = get_model("order", "Order")
ProductImage = get_model("catalogue", "ProductImage")
ProductReview = get_model("reviews", "ProductReview")
UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")





def title(product) -> str:
    return product.title


def with_photo(product):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (200, 120, 40)).save(buffer, "JPEG")
    ProductImage.objects.create(product=product, original=ContentFile(buffer.getvalue(), name="anh.jpg"),
                                display_order=0)
    return product


def revoke(product):
    certificate = product.certificates.get()
    certificate.revoked_on, certificate.revocation_reason = timezone.localdate(), "Không đạt kiểm tra"
    certificate.save()


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(email="lan@example.vn", password="pw-1234567", first_name="Lan")


def place(*products, user):
    order = service_place(service_basket([(p, 1) for p in products]))
    Order.objects.filter(pk=order.pk).update(user=user)  # the service places a guest's order; the shopper owns it
    return Order.objects.get(pk=order.pk)


# ---------------------------------------------------------------- the account
def test_order_history(client, shopper):
    product = make_certified_product(stock=500)
    client.force_login(shopper)
    html = assert_constant(client, "/shop/accounts/orders/", lambda i: place(product, user=shopper),
                           lambda order: f">{order.number}</a>", sizes=(2, 22), shown=(2, 20))
    assert html.count("<td>1</td>") == 20, "each order's number of items"


def test_order_lines(client, shopper):
    products = [make_certified_product(title=f"Hàng số {i:02d}", stock=50) for i in range(12)]
    orders = {n: place(*products[:n], user=shopper) for n in (2, 12)}
    ProductReview.objects.create(product=products[0], user=shopper, title="Ngon", body="Ngon lắm", score=5)
    client.force_login(shopper)
    html = assert_constant(client, lambda n: f"/shop/accounts/orders/{orders[n].number}/", lambda i: products[i], title)
    reviewable = [p for p in products if f"{p.slug}_{p.pk}/reviews/add/" in html]
    assert products[0] not in reviewable and len(reviewable) == 11, "the shopper reviewed the first product already"


def test_address_book(client, shopper):
    country = Country.objects.get(iso_3166_1_a2="VN")
    client.force_login(shopper)
    assert_constant(client, "/shop/accounts/addresses/",
                    lambda i: UserAddress.objects.create(user=shopper, first_name="Lan", line1=f"{i + 10} Lê Lợi",
                                                         line4="Châu Đốc", country=country),
                    lambda address: address.line1)


def test_wish_lists(client, shopper):
    products = [make_certified_product() for _ in range(3)]

    def wishlist(i):
        wishlist = WishList.objects.create(owner=shopper, name=f"Quà Tết {i:02d}")
        for product in products[: 1 + i % 3]:
            wishlist.add(product)
        return wishlist

    client.force_login(shopper)
    html = assert_constant(client, "/shop/accounts/wishlists/", wishlist, lambda w: w.name)
    counts = re.findall(r"Quà Tết \d\d</a></td>\s*<td>(\d+)</td>", html)
    assert sorted(counts) == sorted(str(1 + i % 3) for i in range(12)), "each list's number of products"


def test_wish_list_lines(client, shopper):
    wishlist = WishList.objects.create(owner=shopper, name="Quà Tết")

    def line(i):
        product = with_photo(make_certified_product(title=f"Bánh số {i:02d}"))
        wishlist.add(product)
        return product

    client.force_login(shopper)
    assert_constant(client, f"/shop/accounts/wishlists/{wishlist.key}/", line, title)


def test_shared_wish_list(client, shopper):
    """Every saved product is listed, a product no longer certified too (its card says it is not for sale)."""
    wishlist = WishList.objects.create(owner=shopper, name="Quà Tết", visibility=WishList.PUBLIC)
    gone = make_certified_product(title="Trà mãng cầu hết chứng nhận")
    wishlist.add(gone)
    revoke(gone)

    def line(i):
        product = with_photo(make_certified_product(title=f"Bánh số {i:02d}"))
        wishlist.add(product)
        return product

    html = assert_constant(client, f"/shop/wishlists/{wishlist.key}/", line, title)
    assert "Trà mãng cầu hết chứng nhận" in html and html.count('data-testid="not-for-sale"') == 1
    assert html.count("Thêm vào giỏ") == 12


# ---------------------------------------------------------------- the basket
def test_basket(client):
    def line(i):
        product = with_photo(make_certified_product(title=f"Đặc sản số {i:02d}"))
        basket_add(client, product)
        return product

    assert_constant(client, "/shop/basket/", line, title)


def test_basket_lines_read_together_keep_the_gate(client):
    """A line whose product lost its certificate after it was added is still refused, the others still priced."""
    kept = make_certified_product(title="Gạo Nàng Nhen", price=Decimal("90000"))
    lost = make_certified_product(title="Mắm cá linh", price=Decimal("70000"))
    basket_add(client, kept)
    basket_add(client, lost)
    revoke(lost)
    client.get("/shop/basket/")
    response = client.get("/shop/basket/")
    lines = {line.product.title: line for line in response.context["formset"].get_queryset()}
    assert lines["Gạo Nàng Nhen"].purchase_info.availability.is_available_to_buy
    assert not lines["Mắm cá linh"].purchase_info.availability.is_available_to_buy
    assert lines["Gạo Nàng Nhen"].purchase_info.price.incl_tax == Decimal("90000")


# ---------------------------------------------------------------- offers (live prices while a session is on air)
def test_offers(client, django_user_model):
    from tests.support.livestream import make_host, make_session, take_live

    host = make_host(django_user_model)

    def on_air(i):
        product = with_photo(make_certified_product(title=f"Bánh số {i:02d}", price=Decimal("90000")))
        session = make_session(host=host, title=f"Phiên giá live {i:02d}", products=[(product, Decimal("70000"))],
                               start=timezone.now() - dt.timedelta(minutes=5))
        take_live(session)
        return product

    html = assert_constant(client, "/shop/offers/", on_air, title)
    assert html.count('data-testid="product-card"') == 12


def test_offers_leave_out_a_product_not_for_sale(client, django_user_model):
    from tests.support.livestream import make_host, make_session, take_live

    sold, gone = make_certified_product(title="Khô cá lóc"), make_certified_product(title="Trà hết chứng nhận")
    session = make_session(host=make_host(django_user_model), title="Phiên chiều",
                           products=[(sold, Decimal("70000")), (gone, Decimal("50000"))],
                           start=timezone.now() - dt.timedelta(minutes=5))
    take_live(session)
    revoke(gone)
    html = client.get("/shop/offers/").content.decode()
    assert "Khô cá lóc" in html and "Trà hết chứng nhận" not in html


def test_an_offer_on_a_category_keeps_oscars_reading_of_its_range(client):
    """A range that picks products by category (not one the site makes) lists its products as Oscar reads them."""
    Benefit, Condition, ConditionalOffer, Range = (get_model("offer", name) for name in (
        "Benefit", "Condition", "ConditionalOffer", "Range"))
    product = make_certified_product(title="Mật ong hoa cà phê")
    category = product.categories.get()
    product_range = Range.objects.create(name="Cả nhóm")
    product_range.included_categories.add(category)
    ConditionalOffer.objects.create(
        name="Giảm giá cả nhóm", offer_type=ConditionalOffer.SITE, status=ConditionalOffer.OPEN,
        condition=Condition.objects.create(range=product_range, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=product_range, type=Benefit.PERCENTAGE, value=10))
    html = client.get("/shop/offers/").content.decode()
    assert "Giảm giá cả nhóm" in html and "Mật ong hoa cà phê" in html
