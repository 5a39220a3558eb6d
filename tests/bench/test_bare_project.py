"""The yardstick: the bare project answers "ok" under the benchmark's gunicorn."""

import urllib.request

from bench.bench_http import bare_environment, serve
from tests.servers import wait_until_ready


def test_the_bare_project_answers_ok_under_the_benchmarks_gunicorn(tmp_path):
    with serve("bench.bare.wsgi", env=bare_environment(), folder=tmp_path) as bare:
        wait_until_ready(bare)
        url = f"http://127.0.0.1:{bare.port}/"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            assert response.status == 200
            assert response.read() == b"ok"
            # No middleware: none of the site's headers or cookies.
            assert "Set-Cookie" not in response.headers
            assert "X-Frame-Options" not in response.headers
