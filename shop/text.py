"""Vietnamese text: the one fold (used by search and tests) and slugs."""

import re
import unicodedata

from anyascii import anyascii
from django.utils.text import slugify


def fold_vietnamese(text: str) -> str:
    """NFC, lowercase, every diacritic and tone mark dropped, đ→d: "Mắm cá linh Châu Đốc" → "mam ca linh chau doc".
    Both tone placements fold alike (hòa/hoà, thủy/thuỷ)."""
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def header_key(text) -> str:
    """A spreadsheet column title without case, accents, spaces or punctuation, for matching headers typed
    differently: "Mã sản phẩm", "ma_san_pham" and "MA SAN PHAM" → "masanpham"."""
    return re.sub(r"[^0-9a-z]", "", fold_vietnamese("" if text is None else str(text)))


def vi_slugify(value: str, allow_unicode: bool = False) -> str:
    """Oscar's slug function (OSCAR_SLUG_FUNCTION): "Đường thốt nốt" → "duong-thot-not" (pitfall P12)."""
    return slugify(anyascii(str(value)))
