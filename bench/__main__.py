"""Run the benchmarks: ``python -m bench [NAME ...] [--count N]``.

Benchmarks measure; they never fail the run. Each prints what it measured
against its target with HIT or MISS, and the command exits 0 either way, so
a slow machine is reported, not mistaken for a broken build.

To add a benchmark, write ``bench/bench_<name>.py`` with a function
``run(count: int | None)`` that returns a list of figures (bench/figures.py)
and add the module to ``BENCHMARKS``. A figure is a (label, seconds, target
seconds or None) tuple; one that is a rate rather than a time (completions
per second, say) is a tuple of four, (label, value, None, "/s"), printed for
context, or judged against a most it should reach when the third item is
one; a share of a yardstick measured in the same run (a page's requests
per second over a bare Django view's) is a ``Ratio`` with the least share
it should reach.
``count`` is the size of the bulk run when the person asked for one
(``--count`` or ``BENCH_COUNT``), otherwise None for the benchmark's default.
"""

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Iterable

from bench.figures import Measurement, Ratio

#: Benchmark name -> module with a run(count) function, in the order they run.
BENCHMARKS = {
    "pages": "bench.bench_http",
    "pages-quick": "bench.bench_pages_quick",
    "certificates": "bench.bench_certificates",
    "issue": "bench.bench_issue",
    "report": "bench.bench_report",
    "load": "bench.bench_load",
}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks (all by default), print results; return 0."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--count",
        type=int,
        default=_env_count(),
        help="size of each bulk run, for a quick check (env BENCH_COUNT)",
    )
    options = parser.parse_args(argv)
    unknown = [name for name in options.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    if options.count is not None and options.count < 1:
        parser.error("--count must be at least 1")

    _set_up_django()
    for name in options.names or BENCHMARKS:
        module = importlib.import_module(BENCHMARKS[name])
        print(f"== {name}", flush=True)
        _report(module.run(options.count))
    return 0


def _env_count() -> int | None:
    value = os.environ.get("BENCH_COUNT", "").strip()
    return int(value) if value else None


def _set_up_django() -> None:
    # The test settings: no network, no production secrets, a local database.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "circles.settings.test")
    sys.path.insert(0, os.getcwd())
    # WeasyPrint logs seven INFO lines per document, which would drown the
    # results; set before setup, since app loading may import it already.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    import django

    django.setup()


def _report(measurements: Iterable[Measurement]) -> None:
    for measurement in measurements:
        if isinstance(measurement, Ratio):
            _report_ratio(measurement)
            continue
        label, value, target, *unit = measurement
        if unit:
            line = f"  {label:<44} {value:>8.2f}{unit[0]}"
            if target is not None:
                verdict = "HIT" if value < target else "MISS"
                line += f"   target < {target:.2f}{unit[0]:<5} {verdict}"
            print(line, flush=True)
            continue
        line = f"  {label:<44} {_duration(value):>10}"
        if target is not None:
            verdict = "HIT" if value < target else "MISS"
            line += f"   target < {_duration(target):<9} {verdict}"
        print(line, flush=True)


def _report_ratio(ratio: Ratio) -> None:
    """The share against its target, then the figures it came from, indented."""
    shown = "-" if ratio.value is None else f"{ratio.value:.2f}"
    hit = ratio.value is not None and ratio.value >= ratio.target
    verdict = "HIT" if hit else "MISS"
    print(
        f"  {ratio.label:<44} {shown:>10}   target >= {ratio.target:<7.2f} {verdict}",
        flush=True,
    )
    if ratio.detail:
        print(f"      {ratio.detail}", flush=True)


def _duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.1f} s"


if __name__ == "__main__":
    sys.exit(main())
