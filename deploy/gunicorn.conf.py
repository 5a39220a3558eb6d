"""Gunicorn for Circles behind nginx on the same host (deploy/nginx/circles.conf).

Started by deploy/systemd/circles-web.service as
`gunicorn --config deploy/gunicorn.conf.py circles.wsgi`. Settings given in
GUNICORN_CMD_ARGS (say `--bind 127.0.0.1:8001`) or on the command line win
over this file; `gunicorn --check-config ...` loads the site without serving.
"""

import multiprocessing
import os

# Loopback only: Django trusts X-Forwarded-Proto and X-Real-IP, which only the
# nginx in front of it may set, so nothing else may reach this port.
bind = ["127.0.0.1:8000"]

# Sync workers: nginx buffers slow phones, so a worker is busy for a request's
# own time only. WEB_CONCURRENCY (gunicorn's usual variable) overrides.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# A page that takes longer than this is stuck; PDFs and downloads are built by
# the worker (manage.py db_worker), never in a request.
timeout = 30
graceful_timeout = 30
# Replace each worker after about a thousand requests so that a slow leak in a
# dependency never grows; the jitter keeps them from restarting together.
max_requests = 1000
max_requests_jitter = 100
# Not preloaded: `systemctl reload circles-web` (HUP) starts workers on new code.
preload_app = False

# Only the header nginx sets; gunicorn's other scheme headers are ignored, so a
# client cannot contradict it.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
forwarded_allow_ips = "127.0.0.1,::1"

# nginx writes the access log, without query strings or client addresses;
# gunicorn's would repeat the full request line. Errors go to the journal.
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "circles-web"

# `gunicornc` talks to the arbiter through this socket; systemd's
# RuntimeDirectory= gives it a private folder that goes when the service stops.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"], "gunicorn.ctl")
