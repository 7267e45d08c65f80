"""A CSP nonce never outlives its response in the page cache (shop/caching/pages.py): a cached page that carries an
inline script with a nonce gets each visitor's own nonce, the one in that visitor's policy. (No storefront page
needs one today: tests/functional/security/test_headers.py proves they hold no inline script.)"""

import re

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client
from django.urls import path

from shop.caching.pages import page_cacheable

pytestmark = pytest.mark.django_db
PAGE = Template('<p>Trang</p><script nonce="{{ request.csp_nonce }}">start()</script>')


def page_with_an_inline_script(request):
    return page_cacheable(HttpResponse(PAGE.render(Context({"request": request}))))


urlpatterns = (path("nonce/", page_with_an_inline_script),)


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = urlpatterns


def nonces(response) -> tuple[str, str]:
    in_page = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    in_policy = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    return in_page, in_policy


def test_each_visitor_of_a_cached_page_gets_their_own_nonce_in_the_page_and_in_the_policy():
    first = Client().get("/nonce/")
    second = Client().get("/nonce/")
    third = Client().get("/nonce/")
    assert [r["X-Page-Cache"] for r in (first, second, third)] == ["miss", "hit", "hit"]
    seen = set()
    for response in (first, second, third):
        in_page, in_policy = nonces(response)
        assert in_page == in_policy and len(in_page) >= 22
        seen.add(in_page)
    assert len(seen) == 3  # never one visitor's nonce for another
