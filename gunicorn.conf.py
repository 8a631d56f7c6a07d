"""gunicorn settings for the portal (used by the Dockerfile and docker-compose.yml: `-c gunicorn.conf.py`).

Every value can be changed from the environment. The access log ends with the request id the
portal answers in `X-Request-ID` (kzai.activity.middleware), the same id the activity log
records, so a log line leads to the changes the request made.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# WEB_CONCURRENCY is the usual name for the number of web workers; by default two per CPU plus
# one, capped so a large host does not exhaust PostgreSQL's connections.
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 1)
# Long work (imports, exports, renders) runs in the Celery worker, so a request that takes longer
# than this is stuck and its worker is restarted.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Remote address, time, request line, status, size, referrer, user agent, duration in ms and the
# request id (the X-Request-ID response header).
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms request_id=%({x-request-id}o)s'
