"""Counting what a page costs: the queries of its second request (the first warms the session and caches)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

LIMIT = 20  # no page above this many queries


def page_queries(client, url: str) -> tuple[list[str], str]:
    """The SQL of the page's second request and its HTML (the page must answer 200)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def assert_constant(client, url, make, label, *, sizes=(2, 12), shown=None) -> str:
    """``make(i)`` adds row i; ``label(row)`` is what a reader sees of it; ``url`` may be ``url(n)``. The page costs
    the same at both sizes and at most LIMIT, and shows the rows. Returns the larger page's HTML."""
    shown = shown or sizes
    rows, counts = [], []
    for size, visible in zip(sizes, shown, strict=True):
        while len(rows) < size:
            rows.append(make(len(rows)))
        address = url(size) if callable(url) else url
        sql, html = page_queries(client, address)
        assert sum(label(row) in html for row in rows) == visible, (address, size)
        counts.append((len(sql), sql))
    (small, _), (large, listed) = counts
    listing = "\n".join(re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", q)[:300] for q in listed)
    assert small == large, f"{address}: {small} queries for {sizes[0]} rows, {large} for {sizes[1]}:\n{listing}"
    assert large <= LIMIT, f"{address}: {large} queries:\n{listing}"
    print(f"\nQC {address} {sizes[0]}:{small} {sizes[1]}:{large}")  # noqa: T201  (pytest -s shows what was measured)
    return html
