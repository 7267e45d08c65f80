"""Counting what a page costs: the queries of its second request (the first warms the session and caches)."""

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
