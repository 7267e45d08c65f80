"""Helpers for the SEO tests: read a page's <head> the way a crawler does, build showroom pages and a product
with a photo."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from catalogue.models import ProductImage
from cms.services import site_structure_ensure
from showrooms.pages import AreaIndexPage, ShowroomIndexPage, ShowroomPage


@dataclass
class Head:
    title: str = ""
    meta: dict[str, list[str]] = field(default_factory=dict)  # name or property → contents
    links: list[dict[str, str]] = field(default_factory=list)
    json_ld: list[str] = field(default_factory=list)

    def first(self, key: str) -> str:
        values = self.meta.get(key) or [""]
        return values[0]

    def all(self, key: str) -> list[str]:
        return self.meta.get(key, [])

    def canonical(self) -> str:
        return next((link["href"] for link in self.links if link.get("rel") == "canonical"), "")

    def hreflangs(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links
                if link.get("rel") == "alternate" and "hreflang" in link}

    def structured_data(self) -> list[dict]:
        return [json.loads(text) for text in self.json_ld]


class _HeadParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.head = Head()
        self._in = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.head.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link":
            self.head.links.append(attrs)
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in, self._buffer = tag, []

    def handle_data(self, data):
        if self._in:
            self._buffer.append(data)

    def handle_endtag(self, tag):
        if tag == self._in:
            text = "".join(self._buffer)
            if tag == "title":
                self.head.title = text.strip()
            else:
                self.head.json_ld.append(text)
            self._in = None


def read_head(response) -> Head:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    parser = _HeadParser()
    parser.feed(html[: html.index("</head>")])
    # JSON-LD may sit anywhere; the product page puts it in the head (extrahead).
    return parser.head


def raw_json_ld(response) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)


# ---------------------------------------------------------------- builders
@pytest.fixture
def home():
    return site_structure_ensure()


@pytest.fixture
def showroom_index(home):
    return home.add_child(instance=ShowroomIndexPage(title="Điểm bán OCOP", slug="diem-ban-ocop",
                                                     search_description="Các điểm bán sản phẩm OCOP ở An Giang."))


def add_area(index, *, title="Châu Đốc", slug="chau-doc", former_district="Thành phố Châu Đốc", **fields):
    return index.add_child(instance=AreaIndexPage(title=title, slug=slug, former_district=former_district, **fields))


def add_showroom_page(area, showroom, **fields):
    fields.setdefault("title", showroom.name)
    fields.setdefault("slug", showroom.code)
    return area.add_child(instance=ShowroomPage(showroom=showroom, **fields))


def jpeg_bytes(size=(1600, 1200), colour=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def add_product_photo(product, *, caption="Hũ mắm cá linh", name="mam-ca-linh.jpg"):
    return ProductImage.objects.create(product=product, original=ContentFile(jpeg_bytes(), name=name), caption=caption,
                                       display_order=0)

