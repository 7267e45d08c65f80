"""catalogue.images: image_accept (the upload gate) and image_thumbnail (listing thumbnails). Every fixture is built in
memory; no database."""

import io
import random
import struct
import zlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops, ImageCms, ImageFile, ImageStat, PngImagePlugin

from catalogue.images import ImageRefused, image_accept, image_thumbnail

TOO_MANY = "Ảnh có quá nhiều điểm ảnh ({} megapixel), tối đa {} megapixel."
FORMAT = "Chỉ nhận ảnh JPEG, PNG hoặc WebP."
CORRUPT = "Ảnh bị hỏng hoặc không đọc được."
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


# --- fixtures ---------------------------------------------------------------------------------------


def picture(size=(64, 48), mode="RGB"):
    """A smooth two-colour picture: left half red, right half blue (easy to compare after lossy re-encoding)."""
    img = Image.new("RGB", size, (200, 30, 30))
    img.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    return img.convert(mode)


def noise(size=(64, 64)):
    """Incompressible pixels, so encoded files are big enough to truncate meaningfully."""
    return Image.frombytes("RGB", size, random.Random(0).randbytes(size[0] * size[1] * 3))


def encode(img, fmt, **options):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data)


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def blank_png(width, height):
    """A valid 1-bit grey PNG of zeros: a 10000x10000 one is ~12 KB and built in milliseconds."""
    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def jpeg_claiming(width, height):
    """A small real JPEG whose SOF header is rewritten to declare width x height."""
    data = bytearray(encode(picture((16, 16)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def refusal(data, name="photo.jpg", **limits):
    with pytest.raises(ImageRefused) as caught:
        image_accept(upload(data, name), **limits)
    return caught.value


def difference(a, b):
    """Mean absolute per-channel difference between two same-size images."""
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


@pytest.fixture
def no_decoding(monkeypatch):
    """Records every pixel decode; tests assert the list stays empty."""
    calls = []
    original = ImageFile.ImageFile.load

    def spy(self):
        calls.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return calls


# --- accepted -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "ext", "options"),
    [("JPEG", "jpg", {"quality": 95}), ("PNG", "png", {}), ("WEBP", "webp", {"quality": 95})],
)
def test_normal_photos_are_reencoded(fmt, ext, options):
    original = picture()
    data = encode(original, fmt, **options)

    result = image_accept(upload(data, f"Mắm cá linh.{ext}"))

    out = result.read()
    assert out != data
    assert result.name == f"mam-ca-linh.{ext}"
    decoded = Image.open(io.BytesIO(out))
    assert decoded.format == fmt
    assert decoded.size == original.size
    assert difference(decoded, original) < 6


def test_gps_and_all_exif_are_dropped_and_orientation_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "OCOPCAM"  # camera make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (10.0, 22.0, 30.0)
    data = encode(picture((40, 20)), "JPEG", quality=95, exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the fixture does carry GPS

    out = image_accept(upload(data)).read()

    decoded = Image.open(io.BytesIO(out))
    assert decoded.size == (20, 40)  # upright
    assert decoded.getpixel((10, 5))[0] > 150  # the red (left) half is now on top
    assert decoded.getpixel((10, 35))[2] > 150
    assert not decoded.getexif()
    assert b"Exif" not in out and b"OCOPCAM" not in out


def test_jpeg_with_html_appended_is_accepted_without_it():
    data = encode(picture(), "JPEG") + HTML

    out = image_accept(upload(data)).read()

    assert b"<script" not in out and b"<html" not in out
    Image.open(io.BytesIO(out)).load()


def test_jpeg_comment_is_not_copied():
    data = encode(picture(), "JPEG", comment=HTML)

    out = image_accept(upload(data)).read()

    assert b"<script" not in out


def test_png_text_chunks_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HTML.decode())
    info.add_text("Description", HTML.decode(), zip=True)
    info.add_itxt("Title", HTML.decode(), lang="vi")
    data = encode(picture(), "PNG", pnginfo=info)
    assert b"tEXt" in data and b"zTXt" in data and b"iTXt" in data

    out = image_accept(upload(data, "a.png")).read()

    assert b"tEXt" not in out and b"zTXt" not in out and b"iTXt" not in out and b"<script" not in out


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_alpha_is_kept_for_png_and_webp(fmt):
    data = encode(Image.new("RGBA", (8, 8), (10, 200, 10, 100)), fmt, lossless=True)

    decoded = Image.open(image_accept(upload(data, "a.png")))

    assert decoded.mode == "RGBA"
    assert decoded.getpixel((4, 4))[3] == 100


def test_palette_transparency_becomes_alpha():
    img = Image.new("P", (8, 8), 1)
    img.putpalette([0, 0, 0, 255, 0, 0])
    data = encode(img, "PNG", transparency=1)

    decoded = Image.open(image_accept(upload(data, "a.png")))

    assert decoded.mode == "RGBA" and decoded.getpixel((0, 0))[3] == 0


def test_cmyk_jpeg_comes_out_rgb():
    decoded = Image.open(image_accept(upload(encode(picture(mode="CMYK"), "JPEG"))))

    assert decoded.mode == "RGB"
    assert decoded.getpixel((5, 5))[0] > 150


def test_icc_profile_is_applied_then_dropped_and_a_bogus_one_just_dropped():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for icc in (srgb, b"<script>not a profile</script>" * 10):
        out = image_accept(upload(encode(picture(), "JPEG", icc_profile=icc))).read()

        decoded = Image.open(io.BytesIO(out))
        assert "icc_profile" not in decoded.info
        assert b"<script" not in out
        assert difference(decoded, picture()) < 6


def test_big_pictures_are_downscaled_to_2400_px():
    decoded = Image.open(image_accept(upload(encode(picture((3000, 100)), "PNG"), "a.png")))

    assert decoded.size == (2400, 80)


def test_the_name_is_a_safe_slug_with_the_output_extension():
    png = encode(picture(), "PNG")

    assert image_accept(upload(png, "../../Ảnh Đẹp.php.JPG")).name == "anh-depphp.png"
    assert image_accept(upload(png, "...")).name == "anh.png"
    assert image_accept(io.BytesIO(png)).name == "anh.png"  # a bare file-like: no name, no size


# --- refused ------------------------------------------------------------------------------------------


def test_a_file_over_the_default_10_mb_is_refused_from_its_size_alone():
    class Declared:
        name, size = "big.jpg", 11 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("must not be read")

    with pytest.raises(ImageRefused) as caught:
        image_accept(Declared())

    assert str(caught.value) == "Ảnh quá lớn (tối đa 10 MB)." and caught.value.code == "too_large"


def test_a_file_over_max_bytes_is_refused_even_without_a_size():
    data = encode(noise(), "PNG")
    assert len(data) > 2048

    assert str(refusal(data, "a.png", max_bytes=2048)) == "Ảnh quá lớn (tối đa 2 KB)."
    with pytest.raises(ImageRefused, match="tối đa 2 KB"):
        image_accept(io.BytesIO(data), max_bytes=2048)


def test_limits_default_to_settings(settings):
    settings.OCOP_IMAGE_MAX_BYTES = 3 * 1024 * 1024
    settings.OCOP_IMAGE_MAX_PIXELS = 5_000_000

    assert str(refusal(blank_png(3000, 2000), "a.png")) == TOO_MANY.format(6, 5)
    assert str(refusal(b"x" * (3 * 1024 * 1024 + 1))) == "Ảnh quá lớn (tối đa 3 MB)."


def test_a_10000x10000_png_of_a_few_kb_is_refused_without_decoding(no_decoding):
    data = blank_png(10000, 10000)
    assert len(data) < 20_000

    refused = refusal(data, "bomb.png")

    assert str(refused) == TOO_MANY.format(100, 40)
    assert no_decoding == []


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png")])
def test_the_decode_spy_does_see_decodes(no_decoding, fmt, name):
    image_accept(upload(encode(picture(), fmt), name))

    assert no_decoding  # so an empty list in the tests below does mean "never decoded"


def test_pixel_limit_is_read_from_a_jpeg_header_without_decoding(no_decoding):
    refused = refusal(jpeg_claiming(8000, 8000))

    assert str(refused) == TOO_MANY.format(64, 40)
    assert no_decoding == []


def test_a_webp_canvas_is_measured_before_pillow_opens_it(monkeypatch):
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\0" * 4 + (9999).to_bytes(3, "little") * 2
    data = b"RIFF" + struct.pack("<I", len(vp8x) + 4) + b"WEBP" + vp8x
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: pytest.fail("Image.open was called"))

    assert str(refusal(data, "a.webp")) == TOO_MANY.format(100, 40)


def test_pillow_decompression_bomb_error_gives_the_pixel_message(no_decoding):
    refused = refusal(jpeg_claiming(20000, 20000), max_pixels=10**12)  # 400 MP: past twice Pillow's limit

    assert str(refused).startswith("Ảnh có quá nhiều điểm ảnh") and refused.code == "too_many_pixels"
    assert no_decoding == []


def test_the_pixel_limit_is_an_argument():
    assert str(refusal(blank_png(3000, 2000), "a.png", max_pixels=2_500_000)) == TOO_MANY.format(6, "2,5")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_image_is_refused(fmt):
    data = encode(noise(), fmt)

    refused = refusal(data[: len(data) * 2 // 3])

    assert str(refused) == CORRUPT and refused.code == "corrupt"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg"),
        (HTML, "photo.jpg"),
        (encode(picture(), "GIF") + HTML, "photo.gif"),
        (encode(picture(), "GIF"), "photo.jpg"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "photo.pdf"),
        (encode(picture(), "BMP"), "photo.png"),
        (encode(picture(), "TIFF"), "photo.jpg"),
        (b"", "empty.jpg"),
    ],
    ids=["svg", "html-as-jpg", "gif-with-html", "gif-as-jpg", "pdf", "bmp", "tiff", "empty"],
)
def test_other_formats_are_refused(data, name):
    refused = refusal(data, name)

    assert str(refused) == FORMAT and refused.code == "format"


def test_load_truncated_images_must_stay_off(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    with pytest.raises(ImproperlyConfigured):
        image_accept(upload(encode(picture(), "JPEG")))


# --- listing thumbnails ---------------------------------------------------------------------------------


def test_the_listing_thumbnail_is_a_webp_at_most_600_px():
    stored = io.BytesIO(encode(picture((1800, 1200)), "JPEG", quality=90))
    stored.name = "products/2026/11/mam-ca-linh.jpg"

    thumbnail = image_thumbnail(stored)

    data = thumbnail.read()
    assert thumbnail.name == "mam-ca-linh-600.webp"
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    decoded = Image.open(io.BytesIO(data))
    assert decoded.format == "WEBP" and decoded.mode == "RGB"
    assert decoded.size == (600, 400)
    assert difference(decoded, picture((600, 400))) < 6  # still the same picture
    assert stored.tell() == 0  # the stored photo is left ready to be saved


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_the_listing_thumbnail_keeps_transparency(fmt):
    """A cut-out product photo (a transparent background) stays transparent: no black or white box in the card."""
    cut_out = Image.new("RGBA", (1200, 1200), (0, 0, 0, 0))
    cut_out.paste((200, 30, 30, 255), (300, 300, 900, 900))
    stored = io.BytesIO(encode(cut_out, fmt, lossless=True))
    stored.name = "banh-pia.png"

    decoded = Image.open(io.BytesIO(image_thumbnail(stored).read()))

    assert decoded.format == "WEBP" and decoded.mode == "RGBA"
    assert decoded.size == (600, 600)
    assert decoded.getpixel((10, 10))[3] == 0  # the background: still see-through
    red, green, blue, alpha = decoded.getpixel((300, 300))  # the product: opaque, still red
    assert alpha == 255 and red > 150 and green < 80


def test_a_palette_png_with_a_transparent_colour_keeps_it_in_the_thumbnail():
    img = Image.new("P", (64, 64), 1)
    img.putpalette([0, 0, 0, 30, 120, 60])
    img.paste(0, (0, 0, 32, 64))
    stored = io.BytesIO(encode(img, "PNG", transparency=0))

    decoded = Image.open(io.BytesIO(image_thumbnail(stored, side=32).read()))

    assert decoded.mode == "RGBA" and decoded.size == (32, 32)
    assert decoded.getpixel((2, 16))[3] == 0 and decoded.getpixel((30, 16))[3] == 255
