"""Gunicorn settings for Vestnik (`gunicorn -c deploy/gunicorn.conf.py vestnik.wsgi`).

Every value can be overridden from the environment, so the systemd unit, the
benchmarks and the fault tests all start the same configuration.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Rendering is CPU-bound: one process per core, plus one to cover a worker that
# waits on PostgreSQL. Threads would share one GIL and buy nothing here.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() + 1)))
worker_class = "sync"
# nginx buffers slow clients, so a sync worker is never held by a slow reader.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak (a big import, a PDF) cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Load the app before forking: workers share its memory pages and start faster.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Access logs come from nginx; Django writes the application log (JSON lines).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "vestnik"
