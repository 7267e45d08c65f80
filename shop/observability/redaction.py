"""Personal data kept out of logs and error reports (Decree 13/2023/NĐ-CP): one set of rules for both.

- **In text** (a log message, an exception's text, a traceback): Vietnamese phone numbers (``0912 345 678``,
  ``+84 912.345.678``, ``84912345678``, landlines ``0296 3861 234``), email addresses, and the value after a
  personal-looking key (``email=…``, ``phone: …``, ``{username: "…", ip_address: "…"}`` as django-axes writes it).
- **In structures** (a record's mapping args and extras, an error report's extra data): the value of every key
  that looks personal (phone, email, address, name and their Vietnamese spellings), whatever it holds; every
  other string goes through the text rules.

Nothing here can recognise a free-text address passed positionally (``logger.info("ship to %s", line1)``):
our code never logs one (the README's logging section says so, and a test keeps our own log calls honest).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

REDACTED = "[redacted]"
PHONE_MASK = "[phone]"
EMAIL_MASK = "[email]"

# Words a key is split into that make its value personal. "name" alone is personal (a user's name); a name of a
# thing (template_name, queue_name, product_name) is not: see _THINGS.
_PERSONAL_WORDS = frozenset({
    "phone", "phones", "mobile", "telephone", "tel", "msisdn", "zalo",
    "email", "emails", "mail", "e-mail",
    "address", "addresses", "addr", "street", "line1", "line2", "line3", "postcode",
    "name", "names", "firstname", "lastname", "fullname", "username", "surname", "nickname",
    "ip",
    "sdt", "diachi", "hoten", "dienthoai", "sodienthoai", "tennguoinhan", "nguoinhan",
    "cookie", "cookies", "password", "passwd", "token", "secret",
})
_PERSONAL_PAIRS = frozenset({("dia", "chi"), ("ho", "ten"), ("dien", "thoai"), ("nguoi", "nhan"), ("so", "dt")})
_THINGS = frozenset({
    "template", "queue", "task", "url", "app", "file", "field", "model", "view", "host", "server", "db",
    "database", "index", "logger", "backend", "product", "category", "group", "site", "page", "showroom",
    "producer", "partner", "shop", "path", "module", "func", "class", "event", "method", "table", "column",
    "attr", "attribute", "setting", "cache", "alias", "bucket", "brand", "range", "offer", "voucher", "method",
})
_WORD_SPLIT = re.compile(r"[^0-9a-zA-Z]+|(?<=[a-z0-9])(?=[A-Z])")


def is_personal_key(key: object) -> bool:
    """``customer_phone``, ``shippingAddress``, ``email``, ``first_name``, ``dia_chi``: yes. ``template_name``,
    ``hostname``, ``request_id``, ``status``: no."""
    if not isinstance(key, str) or not key:
        return False
    words = [word.lower() for word in _WORD_SPLIT.split(key) if word]
    if not words:
        return False
    for index, word in enumerate(words):
        if word in ("name", "names") and index > 0 and words[index - 1] in _THINGS:
            continue  # the name of a thing
        if word in _PERSONAL_WORDS:
            return True
        if index > 0 and (words[index - 1], word) in _PERSONAL_PAIRS:
            return True
    return False


# A Vietnamese number: 0 or (+)84 then 9 or 10 digits, single spaces, dots or dashes allowed between digits; never
# inside a longer run of digits (an order number, a timestamp, a bank account).
_PHONE = re.compile(r"(?<!\d)(?<!\d[.-])(?:\(?\+84\)?[\s.-]?|84|0)[1-9](?:[\s.-]?\d){8,9}(?![.-]?\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# key=value, key: value, "key": "value", {username: "x"}: the value after a personal-looking key.
_KEY_VALUE = re.compile(
    r"""(?P<key>[A-Za-z_][\w-]*)(?P<sep>["']?\s*[:=]\s*)(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s,;&}\])"']+)"""
)

# PostgreSQL's constraint messages: Key (email)=(an@example.vn) already exists.
_PG_KEY = re.compile(r"\((?P<keys>[\w\s,\"]+)\)=\((?P<value>[^\n]*?)\)(?= |$|\.)")


def _pg_key(match: re.Match) -> str:
    keys = [key.strip(' "') for key in match["keys"].split(",")]
    if not any(is_personal_key(key) for key in keys):
        return match[0]
    return f"({match['keys']})=({REDACTED})"


def _key_value(match: re.Match) -> str:
    if not is_personal_key(match["key"]):
        return match[0]
    value = match["value"]
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match['key']}{match['sep']}{quote}{REDACTED}{quote}"


def redact_text(text: str) -> str:
    """The text with every phone number, email address and personal key's value masked."""
    if not text:
        return text
    text = _PG_KEY.sub(_pg_key, text)
    text = _KEY_VALUE.sub(_key_value, text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)


def redact(value, *, depth: int = 0):
    """A copy of a structure with personal keys' values replaced and every string redacted; other leaves kept."""
    if depth > 8:
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {
            key: REDACTED if is_personal_key(key) and item not in (None, "") else redact(item, depth=depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(redact(item, depth=depth + 1) for item in value)
    return value
