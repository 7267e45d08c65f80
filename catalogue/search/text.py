"""The text a product search matches, folded once by shop.text.fold_vietnamese (the one fold), stored on the
product when it is saved (and by ``manage.py search_index --rebuild``)."""

import re
import unicodedata

from shop.text import fold_vietnamese

MAX_QUERY_CHARS = 200  # a pasted paragraph is cut, never an error
MAX_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(text: str) -> list[str]:
    """Folded words of a query: punctuation, operators and emoji dropped ("mắm: 'cá'*" → ["mam", "ca"])."""
    return _WORD.findall(fold_vietnamese(text[:MAX_QUERY_CHARS].replace("\x00", "")))[:MAX_WORDS]


def exact_lower(text: str) -> str:
    """What an accented query must equal inside a title to rank first: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text[:MAX_QUERY_CHARS].replace("\x00", "")).lower().split())


def search_fields_fill(product) -> None:
    """Set the stored search columns of a product from its title, producer, OCOP set and raw-material area."""
    title = product.title or ""
    product.title_folded = fold_vietnamese(title)[:255]
    product.title_lower = exact_lower(title)[:255]
    parts = [title, getattr(product, "raw_material_origin", "") or ""]
    if product.producer_id:
        parts.append(product.producer.name)
    if product.ocop_product_set_id:
        parts.append(product.ocop_product_set.name)
    # a leading space: every word starts after one, so a query word matches word beginnings only (" hoa" finds
    # "Hòa Lộc", never the middle of "Thoại")
    product.search_folded = " " + " ".join(_WORD.findall(fold_vietnamese(" ".join(parts))))


def word_start_q(field: str, word: str):
    """A Q for fields stored as space-separated folded words: ``word`` begins one of them."""
    from django.db.models import Q

    return Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
