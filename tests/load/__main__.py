"""Run the load scenario outside pytest and print its figures.

    python -m tests.load --shape embedded [--learners N] [--json]
    scripts/stack.sh --s3 -- python -m tests.load --shape stack [--json]

Creates a fresh database as the test suite does (SQLite, or PostgreSQL under
scripts/stack.sh), runs the scenario, removes the database and prints the
figures and any problems. Exits 1 when the run had problems. `make bench`
runs it for both shapes (bench/bench_load.py).
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

SETTINGS = {"embedded": "circles.settings.test", "stack": "circles.settings.test_stack"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load", description=__doc__)
    parser.add_argument("--shape", choices=sorted(SETTINGS), required=True)
    parser.add_argument("--learners", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="one JSON object")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS[options.shape])
    import django

    django.setup()
    outcome = _run(options.shape, options.learners)
    if options.json:
        print(json.dumps({"figures": outcome.figures, "problems": outcome.problems}))
    else:
        for name, value in outcome.figures.items():
            print(f"{name:<24} {value:.3f}")
        for problem in outcome.problems:
            print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if outcome.problems else 0


def _run(shape: str, learners: int | None):
    from django.db import connection

    from home.site_setup import ensure_course_index, ensure_home_page

    from .scenario import LEARNERS, run_scenario

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with tempfile.TemporaryDirectory(prefix="circles-load-") as folder:
            return run_scenario(
                shape,
                folder=Path(folder),
                course_index=ensure_course_index(ensure_home_page()),
                learners=learners or LEARNERS,
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
