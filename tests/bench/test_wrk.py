"""Reading wrk's report: the figures `make bench` prints come from here."""

import pytest

from bench.wrk import WrkFailed, parse

# Captured from `wrk -t2 -c16 -d3s --latency` against the bare project.
CLEAN_RUN = """\
Running 3s test @ http://127.0.0.1:18765/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.51ms    2.07ms  33.54ms   75.94%
    Req/Sec   636.43     75.77     0.87k    76.67%
  Latency Distribution
     50%   12.38ms
     75%   13.60ms
     90%   14.92ms
     99%   17.86ms
  3810 requests in 3.01s, 643.68KB read
Requests/sec:   1264.97
Transfer/sec:    213.71KB
"""

# A slow page that refused some requests and let others time out.
TROUBLED_RUN = """\
Running 10s test @ http://127.0.0.1:40111/learn/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.21s   402.11ms   1.99s    61.20%
    Req/Sec     7.12      4.01    20.00     70.00%
  Latency Distribution
     50%  850.00us
     75%    1.40s
     90%    1.80s
     99%    1.98s
  131 requests in 10.02s, 2.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 9
  Non-2xx or 3xx responses: 40
Requests/sec:     13.07
Transfer/sec:    214.61KB
"""


def test_a_clean_run_gives_throughput_and_latency_in_seconds():
    result = parse(CLEAN_RUN)

    assert result.requests_per_second == pytest.approx(1264.97)
    assert result.p50 == pytest.approx(0.01238)
    assert result.p99 == pytest.approx(0.01786)
    assert result.requests == 3810
    assert (result.bad_responses, result.socket_errors) == (0, 0)


def test_refusals_and_socket_errors_are_counted_so_the_figures_are_flagged():
    result = parse(TROUBLED_RUN)

    assert result.requests_per_second == pytest.approx(13.07)
    assert result.p50 == pytest.approx(0.00085)
    assert result.p99 == pytest.approx(1.98)
    assert result.bad_responses == 40
    assert result.socket_errors == 11


def test_a_report_without_figures_is_an_error_not_a_zero():
    with pytest.raises(WrkFailed, match="no figures"):
        parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_a_report_without_latency_percentiles_is_an_error():
    without_percentiles = CLEAN_RUN.replace("     99%   17.86ms\n", "")

    with pytest.raises(WrkFailed, match="99th percentile"):
        parse(without_percentiles)
