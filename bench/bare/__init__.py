"""A bare Django project: one view answering "ok", the yardstick for page throughput.

No apps, no middleware, no database: what Django itself costs per request on
this machine. `make bench` serves it with the same gunicorn and flags as the
site (bench/bench_http.py) and reads each page's speed as a share of it.
"""
