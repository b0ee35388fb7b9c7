"""gunicorn settings for Concord (read by ``./run.sh prod`` and the systemd unit in the README).
Everything can be overridden from the environment: CONCORD_BIND, CONCORD_WORKERS, CONCORD_THREADS."""
import multiprocessing
import os

bind = os.environ.get("CONCORD_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CONCORD_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("CONCORD_THREADS", 2))
worker_class = "gthread"
timeout = 30                    # a request answers within 10 s by contract; 30 s kills a stuck worker
graceful_timeout = 20
keepalive = 5
max_requests = 20000            # recycle workers now and then (bounded memory)
max_requests_jitter = 2000
# the app is loaded once, in the master, and each worker is forked from it (issue 22: a worker that loaded the
# app itself took ~2.2 s of CPU to start, and under load every recycled worker stalled the pages served
# meanwhile; a fork takes milliseconds). core.wsgi closes the master's database connections after loading,
# so each worker opens its own; the frozen start-up heap (gc.freeze) is shared copy-on-write.
preload_app = True
accesslog = os.environ.get("CONCORD_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("CONCORD_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
limit_request_field_size = 8190
control_socket_disable = True   # gunicorn ≥ 27: no control socket (systemd restarts and reloads the service)
