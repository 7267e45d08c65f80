"""Pages the search box and the results page offer beside products (showrooms now, stories with the CMS issue),
through Wagtail's own search on fields folded by shop.text.fold_vietnamese."""


def pages_suggest(text: str, *, limit: int = 5) -> list[tuple[str, str]]:
    """(title, url) of live pages matching the words typed, accents optional. Filled in by the search issue."""
    return []
