"""The message catalogues: English for every one of our (Vietnamese) msgids, Vietnamese for what Oscar's storefront
leaves untranslated, and .mo files that say what their .po files say. No database."""

from __future__ import annotations

import gettext as gnu_gettext
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from shop.management.commands.compile_translations import compiled, po_files, read_catalog

LOCALE = Path(settings.LOCALE_PATHS[0])
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
VI_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
OSCAR_VI_PO = LOCALE / "vi" / "oscar_storefront.po"

# %(name)s-style (blocktrans turns {{ name }} into %(name)s), bare %s/%d, {name} for brace-format strings, and
# the __N__ token our JavaScript replaces.
PYTHON_PLACEHOLDER = re.compile(
    r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
)
BRACE_PLACEHOLDER = re.compile(r"\{(\w*)\}")
TOKEN = re.compile(r"__[A-Z]+__")


def entries(path: Path):
    return [message for message in read_catalog(path) if message.id]


def forms(message) -> list[tuple[str, str]]:
    """(source, translation) pairs: the singular, then every plural form against the plural msgid."""
    if isinstance(message.id, (tuple, list)):
        singular, plural = message.id
        strings = list(message.string)
        return [(singular, strings[0])] + [(plural, string) for string in strings[1:]]
    return [(message.id, message.string)]


def placeholders(text: str, flags) -> list[str]:
    found = []
    if "python-format" in flags:  # elsewhere a % is just a percent sign
        found += [match.group(0) for match in PYTHON_PLACEHOLDER.finditer(text.replace("%%", ""))]
    if "brace-format" in flags or "python-brace-format" in flags:
        found += [f"{{{name}}}" for name in BRACE_PLACEHOLDER.findall(text)]
    found += TOKEN.findall(text)
    return sorted(found)


def label(message) -> str:
    return repr(message.id)[:80]


# ---------------------------------------------------------------- the English catalogue
def test_english_catalogue_has_every_entry_translated_and_none_fuzzy():
    messages = entries(EN_PO)
    assert len(messages) > 1000
    untranslated = [label(m) for m in messages if not all(string for _source, string in forms(m))]
    fuzzy = [label(m) for m in messages if m.fuzzy]
    assert not untranslated, untranslated[:20]
    assert not fuzzy, fuzzy[:20]
    assert not read_catalog(EN_PO).fuzzy, "the header is still marked fuzzy"


@pytest.mark.parametrize("path", [EN_PO, OSCAR_VI_PO], ids=["en", "vi-oscar"])
def test_translations_keep_the_placeholders_of_their_msgid(path):
    wrong = []
    for message in entries(path):
        for source, string in forms(message):
            if string and placeholders(source, message.flags) != placeholders(string, message.flags):
                wrong.append((label(message), placeholders(source, message.flags), placeholders(string, message.flags)))
    assert not wrong, wrong[:20]


def test_english_plural_forms_are_two():
    catalog = read_catalog(EN_PO)
    assert catalog.num_plurals == 2
    plurals = [m for m in catalog if m.id and isinstance(m.id, (tuple, list))]
    assert plurals and all(len(m.string) == 2 for m in plurals)


# ---------------------------------------------------------------- Oscar's storefront in Vietnamese
def test_oscar_storefront_vietnamese_is_merged_into_the_vietnamese_catalogue():
    """locale/vi/oscar_storefront.po is the source; `make messages` merges it into LC_MESSAGES/django.po."""
    merged = {(m.id, m.context): m for m in entries(VI_PO)}
    source = entries(OSCAR_VI_PO)
    assert len(source) > 100
    missing = [label(m) for m in source if (m.id, m.context) not in merged]
    differing = [label(m) for m in source if (m.id, m.context) in merged
                 and (merged[(m.id, m.context)].string != m.string or merged[(m.id, m.context)].fuzzy)]
    assert not missing, missing[:20]
    assert not differing, differing[:20]
    assert not [label(m) for m in source if m.fuzzy or not all(s for _source, s in forms(m))]


# ---------------------------------------------------------------- compiled catalogues
def _catalog(data: bytes) -> dict:
    return dict(gnu_gettext.GNUTranslations(io.BytesIO(data))._catalog)


def test_the_committed_mo_files_say_what_their_po_files_say():
    paths = po_files()
    assert {p.parent.parent.name for p in paths} >= {"en", "vi"}
    for po_path in paths:
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path} is missing: run manage.py compile_translations"
        assert _catalog(mo_path.read_bytes()) == _catalog(compiled(po_path)), (
            f"{mo_path} is out of date: run manage.py compile_translations"
        )


def test_compiling_leaves_out_untranslated_and_fuzzy_entries(tmp_path):
    po = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Giỏ hàng"\nmsgstr "Basket"\n\n'
        '#, fuzzy\nmsgid "Đơn hàng"\nmsgstr "Orders?"\n\n'
        'msgid "Chưa dịch"\nmsgstr ""\n\n'
        'msgid "%(n)s sản phẩm"\nmsgid_plural "%(n)s sản phẩm"\n'
        'msgstr[0] "%(n)s product"\nmsgstr[1] "%(n)s products"\n',
        encoding="utf-8",
    )
    translations = gnu_gettext.GNUTranslations(io.BytesIO(compiled(po)))
    assert translations.gettext("Giỏ hàng") == "Basket"
    assert translations.gettext("Đơn hàng") == "Đơn hàng"
    assert translations.gettext("Chưa dịch") == "Chưa dịch"
    assert translations.ngettext("%(n)s sản phẩm", "%(n)s sản phẩm", 2) == "%(n)s products"


# ---------------------------------------------------------------- what Django renders
def render(source: str) -> str:
    return Template("{% load i18n %}" + source).render(Context({"n": 3}))


def test_english_turns_our_vietnamese_strings_into_english():
    with translation.override("en"):
        assert render('{% trans "Giỏ hàng" %}') == "Basket"
        assert render('{% trans "Thêm vào giỏ" %}') == "Add to basket"
        assert render('{% blocktrans with n=n %}OCOP {{ n }} sao{% endblocktrans %}') == "OCOP 3-star"
        assert render('{% blocktrans count n=n %}{{ n }} sản phẩm{% plural %}{{ n }} sản phẩm{% endblocktrans %}') \
            == "3 products"
        assert translation.gettext("chủ thể OCOP") == "OCOP producer"


def test_vietnamese_stays_vietnamese_for_our_strings():
    with translation.override("vi"):
        assert render('{% trans "Giỏ hàng" %}') == "Giỏ hàng"
        assert render('{% trans "Thêm vào giỏ" %}') == "Thêm vào giỏ"


def test_vietnamese_turns_oscar_storefront_strings_into_vietnamese():
    with translation.override("vi"):
        assert render('{% trans "Basket" %}') == "Giỏ hàng"
        assert render('{% trans "Proceed to checkout" %}') == "Tiến hành thanh toán"
        # missing from Oscar's catalogue, supplied by ours
        assert translation.pgettext("Buy again", "Re-order") == "Mua lại"
        assert translation.gettext("Order not found") == "Không tìm thấy đơn hàng"
        # wrong in Oscar's catalogue, corrected by ours
        assert translation.gettext("Orders") == "Đơn hàng"
        assert translation.gettext("Cancel") == "Hủy"
        qualifies = render('{% blocktrans with name="X" %}\nYour basket now qualifies for the \n'
                           '<strong>{{ name }}</strong> offer.\n{% endblocktrans %}')
        assert "đã đủ điều kiện" in qualifies and "không còn" not in qualifies
