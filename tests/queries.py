"""Counting what a page costs the database, once the shared caches are warm."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> int:
    """The queries of a second GET of url: the first warms what every request shares.

    After a change to pages, the first request also finds the site again
    (circles/site_lookup.py); the second shows what the page itself costs.
    """
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
