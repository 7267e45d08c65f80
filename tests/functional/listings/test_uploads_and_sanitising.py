"""Photos and descriptions through the producer's forms: every bad upload is refused with its message and
nothing reaches the media folder; no script survives into a rendered page, however it was stored."""

import io
import os
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.models import Product
from tests.support.catalogue import make_certified_product, make_producer
from tests.support.checkout import a_commune

pytestmark = pytest.mark.django_db


def files_in_media() -> set[str]:
    found = set()
    for root, _dirs, names in os.walk(settings.MEDIA_ROOT):
        found |= {os.path.join(root, n) for n in names}
    return found


def png_bomb() -> bytes:
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\0" * (1 + 10000 // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(10000)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", 10000, 10000, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg(size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    return buffer.getvalue()


BAD_UPLOADS = {
    "bomb": ("bomb.png", png_bomb(), "quá nhiều điểm ảnh"),
    "oversized": ("big.jpg", jpeg() + b"\0" * (settings.OCOP_IMAGE_MAX_BYTES + 1), "Ảnh quá lớn"),
    "truncated": ("cut.jpg", jpeg((400, 400))[:600], "bị hỏng"),
    "svg": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),
    "html-as-jpg": ("page.jpg", b"<html><script>alert(1)</script></html>", "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),
    "gif-with-html": ("anim.gif", gif() + b"<script>alert(1)</script>", "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),
}


@pytest.fixture
def seller(client, django_user_model):
    producer = make_producer(name="HTX Ảnh", area=a_commune())
    user = django_user_model.objects.create_user(email="anh@example.vn", password="pw-1234567")
    producer.users.add(user)
    client.force_login(user)
    return producer


def form_data(**extra):
    from catalogue.models import OcopProductSet

    product_set = OcopProductSet.objects.filter(group__number=1).order_by("number").first()
    return {"title": "Bánh pía sầu riêng", "ocop_product_set": product_set.pk, "price": "85000", "stock": "5", **extra}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_each_bad_upload_is_refused_with_its_reason_and_nothing_is_written(client, seller, case):
    name, data, message = BAD_UPLOADS[case]
    before = files_in_media()
    response = client.post("/shop/seller/products/new/", form_data(image=SimpleUploadedFile(name, data)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Product.objects.filter(title="Bánh pía sầu riêng").exists()
    assert files_in_media() == before


def test_a_good_photo_is_stored_re_encoded_without_what_was_appended(client, seller):
    response = client.post("/shop/seller/products/new/",
                           form_data(image=SimpleUploadedFile("banh pia.JPG", jpeg() + b"<script>alert(1)</script>")))
    assert response.status_code == 302
    stored = Product.objects.get(title="Bánh pía sầu riêng").images.get().original
    content = stored.read()
    assert b"<script" not in content and content.startswith(b"\xff\xd8")


EVIL = ('<p>Ngon <script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">xem</a>'
        '<svg onload="alert(4)"></svg><b onmouseover="alert(5)">đậm</b></p>')


def assert_clean(html: str):
    for bad in ("<script", "onerror", "javascript:", "<svg", "onload", "onmouseover", "alert("):
        assert bad not in html, bad


def rendered_description(client, product) -> str:
    html = client.get(product.get_absolute_url()).content.decode()
    start = html.index('class="product-description"')
    return html[start:html.index("</div>", start)]


def test_description_saved_by_the_form_is_sanitised(client, seller):
    client.post("/shop/seller/products/new/", form_data(description=EVIL))
    product = Product.objects.get(title="Bánh pía sầu riêng")
    assert_clean(product.description)
    assert "đậm" in product.description
    assert_clean(rendered_description(client, product))


def test_description_stored_directly_in_the_database_is_sanitised_at_render(client, seller):
    product = make_certified_product(title="Mắm ruốc", producer=seller)
    Product.objects.filter(pk=product.pk).update(description=EVIL)
    shown = rendered_description(client, product)
    assert_clean(shown)
    assert "Ngon" in shown


def test_listings_show_a_small_thumbnail_made_when_the_photo_was_stored(client, seller):
    from catalogue.certification import ocop_today
    from catalogue.services import certificate_record

    client.post("/shop/seller/products/new/",
                form_data(image=SimpleUploadedFile("to.jpg", jpeg((2000, 1500)))))
    product = Product.objects.get(title="Bánh pía sầu riêng")
    certificate_record(product=product, decision_number="9/QĐ", issued_on=ocop_today(), stars=4)
    image = product.images.get()
    with Image.open(image.thumbnail) as thumb:
        assert max(thumb.size) == 600
    listing = client.get("/shop/catalogue/").content.decode()
    assert image.thumbnail.url in listing and image.original.url not in listing
