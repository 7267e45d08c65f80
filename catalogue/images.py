"""The one gate every uploaded photo (product, producer, return) goes through: ``image_accept``.

Checks, cheapest first: byte size; format (JPEG, PNG or WebP only, sniffed from the content, never the name);
pixel count read from the header, before anything is decoded; a full decode (truncated or corrupt files are
refused). The accepted image is then re-encoded from its pixels, so nothing of the uploaded bytes survives:
no EXIF (GPS included), XMP, comments, text chunks, ICC profile or trailing data (polyglots). EXIF orientation
is applied first; an embedded ICC profile is converted to sRGB and then dropped (if it cannot be used it is
simply dropped). Animated PNG/WebP keep their first frame. Images larger than ``MAX_SIDE`` are downscaled.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from shop.text import vi_slugify

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_MAX_PIXELS = 40_000_000
MAX_SIDE = 2400  # longest side of the stored image, in pixels
MAX_STEM = 80  # characters of the slugified file name kept
QUALITY = 85

# Input format -> (output format, extension). MPO is what Pillow calls a multi-picture (camera) JPEG.
OUTPUTS = {"JPEG": ("JPEG", "jpg"), "MPO": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "WEBP": ("WEBP", "webp")}
SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": QUALITY, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": QUALITY},
}
_SRGB = ImageCms.createProfile("sRGB")


class ImageRefused(ValueError):
    """An upload that is not an acceptable photo; ``message`` is for the user, ``code`` for programs."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def image_accept(upload: IO[bytes], *, max_bytes: int | None = None, max_pixels: int | None = None) -> ContentFile:
    """Check an uploaded photo and return a new, re-encoded ``ContentFile`` named ``<slug>.<ext>``.

    Raises ``ImageRefused`` with a Vietnamese message. Limits default to settings ``OCOP_IMAGE_MAX_BYTES`` and
    ``OCOP_IMAGE_MAX_PIXELS``; the pixel limit never exceeds Pillow's own ``Image.MAX_IMAGE_PIXELS``.
    """
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ImproperlyConfigured("PIL.ImageFile.LOAD_TRUNCATED_IMAGES is True: truncated uploads would pass.")
    if max_bytes is None:
        max_bytes = getattr(settings, "OCOP_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if max_pixels is None:
        max_pixels = getattr(settings, "OCOP_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    if Image.MAX_IMAGE_PIXELS:
        max_pixels = min(max_pixels, Image.MAX_IMAGE_PIXELS)

    data = _read_capped(upload, max_bytes)
    if declared := _declared_size(data[:32]):
        _check_pixels(declared, max_pixels)
    img = _open(data, max_pixels)
    _check_pixels(img.size, max_pixels)
    out_format, ext = OUTPUTS[img.format or ""]
    img = _clean(_decode(img), out_format)

    buffer = io.BytesIO()
    img.save(buffer, out_format, **SAVE_OPTIONS[out_format])
    return ContentFile(buffer.getvalue(), name=f"{_safe_stem(getattr(upload, 'name', None))}.{ext}")


def _read_capped(upload: IO[bytes], max_bytes: int) -> bytes:
    """All the bytes of the upload, refusing it as soon as it is known to exceed ``max_bytes``."""
    size = getattr(upload, "size", None)
    if size is None or size <= max_bytes:
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)  # measure rather than trust a missing (or wrong) size
        if len(data) <= max_bytes:
            return data
    if max_bytes >= MB:
        limit = f"{floatformat(max_bytes / MB, -1)} MB"
    else:
        limit = f"{floatformat(max_bytes / 1024, -1)} KB"
    raise ImageRefused(gettext("Ảnh quá lớn (tối đa %(limit)s).") % {"limit": limit}, "too_large")


def _declared_size(head: bytes) -> tuple[int, int] | None:
    """Canvas size from a PNG or WebP header, read before Pillow opens it (its WebP decoder allocates the canvas
    at open). JPEG needs a marker scan: Pillow's lazy open does it without decoding, and is checked after."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    chunk = head[12:16]
    if chunk == b"VP8X" and len(head) >= 30:
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    if chunk == b"VP8L" and head[20:21] == b"\x2f" and len(head) >= 25:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a" and len(head) >= 30:
        return int.from_bytes(head[26:28], "little") & 0x3FFF, int.from_bytes(head[28:30], "little") & 0x3FFF
    return None


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise ImageRefused(
            gettext("Ảnh có quá nhiều điểm ảnh (%(pixels)s megapixel), tối đa %(limit)s megapixel.")
            % {"pixels": floatformat(width * height / 1e6, -1), "limit": floatformat(max_pixels / 1e6, -1)},
            "too_many_pixels",
        )


def _open(data: bytes, max_pixels: int) -> ImageFile.ImageFile:
    """Identify the image from its header only (``Image.open`` is lazy); only our three formats are tried."""
    try:
        return Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"])
    except UnidentifiedImageError:
        raise ImageRefused(gettext("Chỉ nhận ảnh JPEG, PNG hoặc WebP."), "format") from None
    except Image.DecompressionBombError:  # above twice Pillow's limit: its own guard fired first
        raise ImageRefused(
            gettext("Ảnh có quá nhiều điểm ảnh, tối đa %(limit)s megapixel.")
            % {"limit": floatformat(max_pixels / 1e6, -1)},
            "too_many_pixels",
        ) from None
    except Exception:  # a recognised format with a broken header; Pillow raises many exception types
        raise _corrupt() from None


def _decode(img: ImageFile.ImageFile) -> Image.Image:
    """Decode the pixels (a big JPEG is decoded at a reduced DCT scale); a truncated file is refused."""
    if img.format in ("JPEG", "MPO"):
        img.draft(None, (MAX_SIDE, MAX_SIDE))
    try:
        img.load()
    except Exception:  # OSError "image file is truncated", SyntaxError, zlib errors, ...
        raise _corrupt() from None
    return img


def _corrupt() -> ImageRefused:
    return ImageRefused(gettext("Ảnh bị hỏng hoặc không đọc được."), "corrupt")


def _clean(img: Image.Image, out_format: str) -> Image.Image:
    """Upright, sRGB, RGB or RGBA (alpha kept for PNG/WebP), at most MAX_SIDE, and no metadata at all."""
    try:
        img = ImageOps.exif_transpose(img)
    except Exception:  # unreadable EXIF: keep the pixels as stored
        pass
    img = _to_srgb(img)
    if img.mode in ("I", "I;16", "I;16B", "I;16L"):  # 16-bit grey: scale down rather than clip to white
        img = img.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    mode = "RGBA" if has_alpha and out_format != "JPEG" else "RGB"
    if img.mode != mode:
        img = img.convert(mode)  # a JPEG loses alpha here; transparency of P/L/RGB becomes alpha
    img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    img.info = {}  # Pillow's savers copy some of these (ICC, comment, transparency) into the output
    return img


def _to_srgb(img: Image.Image) -> Image.Image:
    """Convert to sRGB through the embedded ICC profile, if any and usable; otherwise leave the pixels as they are."""
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return img
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out_mode = "RGBA" if img.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(img, profile, _SRGB, outputMode=out_mode) or img
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return img


def _safe_stem(name: str | None) -> str:
    """``"../Ảnh Mắm cá.php.JPG"`` -> ``"anh-mam-caphp"``: ASCII slug, no directories, no extension."""
    stem = vi_slugify(Path(name or "").stem)[:MAX_STEM].strip("-")
    return stem or "anh"


THUMBNAIL_SIDE = 600  # listing cards show 300 px; twice that for sharp phone screens
THUMBNAIL_QUALITY = 80


def image_thumbnail(image_file, *, side: int = THUMBNAIL_SIDE) -> ContentFile:
    """A listing thumbnail made once, when the photo is stored (cards then need no thumbnail lookup per image).
    `image_file` is an accepted (re-encoded) image; the thumbnail is a WebP (about a third smaller than a JPEG that
    looks the same, and every browser we serve shows it), with its transparency kept when it has some."""
    image_file.seek(0)
    with Image.open(image_file) as img:
        img.load()
        has_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
        small = img.convert("RGBA" if has_alpha else "RGB")
    small.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "WEBP", quality=THUMBNAIL_QUALITY, method=6)
    image_file.seek(0)
    return ContentFile(out.getvalue(), name=f"{_safe_stem(getattr(image_file, 'name', ''))}-{side}.webp")
