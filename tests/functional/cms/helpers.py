"""Shared helpers for the CMS pages over HTTP: the page's <main>, product cards and story cards found in it."""

import re
from html import unescape


def main_html(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def section(html: str, testid: str) -> str:
    """The element marked data-testid=<testid>, up to its closing </section> ("" when absent)."""
    start = html.find(f'data-testid="{testid}"')
    if start < 0:
        return ""
    return html[start:html.index("</section>", start)]


def product_card_list(html: str) -> list[tuple[str, str]]:
    """Product cards in page order: (title, the card's HTML)."""
    found = []
    for body in re.findall(r'<article class="product-card" data-testid="product-card">(.*?)</article>', html, re.S):
        title = re.search(r'class="product-card__title"><a [^>]*>([^<]+)</a>', body).group(1)
        found.append((unescape(title), body))
    return found


def product_cards(html: str) -> dict[str, str]:
    """Product cards by title → the card's HTML."""
    return dict(product_card_list(html))


def story_titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'class="story-card__title"><a href="[^"]*">([^<]+)</a>', html)]


def story_links(html: str) -> list[str]:
    return re.findall(r'class="story-card__title"><a href="([^"]*)">', html)
