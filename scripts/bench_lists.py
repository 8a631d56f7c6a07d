"""Time the lists and the API at 1,000 and 10,000 systems through gunicorn: `python -m scripts.bench_lists`.

Seeds (or reuses) the benchmark organisations of `scripts.bench_seed` in the PostgreSQL database
named by DATABASE_URL, starts gunicorn on 127.0.0.1 (a free port, never another address), and for
each list prints p50 and p95 over sequential requests, the number of SQL queries of one request
(counted in-process with the same code), the response size, the application's CPU time for one
request (in-process, median of 5: the figure least moved by a loaded machine), the 10k / 1k ratio
of p50 and the load average beside it; then the API's requests per second at concurrency 8 for a bounded time.
gunicorn is stopped at the end, whatever happens.

Options: --repeat N (requests per row and size, default 30), --duration S (seconds of the
concurrency run, default 10), --concurrency N (default 8), --sizes (default 1000 10000).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

from scripts.bench_seed import bench_email, ensure, prepare_database, require_postgresql, setup_django

# (label, URL, kind) — kind "api" authenticates with a bearer token, "page" with a session cookie.
ROWS = [
    ("API  /api/v1/systems/ (50 rows)", "/api/v1/systems/", "api"),
    ("API  /api/v1/risk/obligations/", "/api/v1/risk/obligations/", "api"),
    ("page /risk/register/ (risk register)", "/risk/register/", "page"),
    ("API  /api/v1/risk/obligations/matrix/", "/api/v1/risk/obligations/matrix/", "api"),
    ("page /risk/obligations/matrix/", "/risk/obligations/matrix/", "page"),
    ("page /risk/obligations/", "/risk/obligations/", "page"),
    ("page /registry/?search=model 0042", "/registry/?search=model+0042", "page"),
    ("API  /api/v1/systems/?search=model 0042", "/api/v1/systems/?search=model+0042", "api"),
    ("page /registry/ (50 rows)", "/registry/", "page"),
]
THROUGHPUT_URL = "/api/v1/systems/?page_size=25"
TARGETS = {
    "API  /api/v1/systems/ (50 rows)": "p50 < 25, p95 < 50 ms",
    "API  /api/v1/risk/obligations/": "p50 < 50 ms, flat",
    "page /risk/register/ (risk register)": "p50 < 100 ms, flat",
    "API  /api/v1/risk/obligations/matrix/": "p50 < 100 ms",
    "page /risk/obligations/matrix/": "p50 < 100 ms",
    "page /registry/?search=model 0042": "flat",
    "API  /api/v1/systems/?search=model 0042": "flat",
}


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def credentials(organization):
    """A bearer token and a session cookie for the organisation's officer."""
    from django.conf import settings
    from django.test import Client

    from kzai.accounts.middleware import SESSION_KEY
    from kzai.accounts.models import Membership
    from kzai.accounts.services import api_token_create

    membership = Membership.objects.select_related("user").get(
        organization=organization, user__email=bench_email_of(organization)
    )
    _token, raw = api_token_create(membership=membership, name="bench")
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = organization.pk
    session.save()
    return membership, raw, {settings.SESSION_COOKIE_NAME: session.session_key}


def bench_email_of(organization) -> str:
    return bench_email(int(organization.slug.removeprefix("bench-")))


def count_queries(url: str, kind: str, raw_token: str, cookies: dict) -> tuple[int, int, float]:
    """The SQL queries and bytes of one request, served in-process by the same code, and the median
    CPU time the application spends on it (this process's thread only: unlike the wall-clock time it
    hardly moves with the machine's load)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    headers = {}
    if kind == "api":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw_token}"
    else:
        for name, value in cookies.items():
            client.cookies[name] = value
    client.get(url, **headers)  # warm caches as a running server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    count = len(queries)  # now: the next request resets the connection's query log
    cpu = []
    for _ in range(5):
        start = time.thread_time()
        client.get(url, **headers)
        cpu.append((time.thread_time() - start) * 1000)
    return count, len(response.content), statistics.median(cpu)


@contextlib.contextmanager
def gunicorn(port: int, workers: int):
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
        "PYTHONWARNINGS": "ignore:No directory at",
        # The benchmark measures the server, not the API's rate limits.
        "API_RATE_PER_TOKEN": "1000000/minute",
        "API_RATE_PER_ADDRESS": "1000000/minute",
    }
    process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "gunicorn", "kzai.wsgi", "--config", "gunicorn.conf.py"],
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited at start")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def session_for(kind: str, raw_token: str, cookies: dict):
    import requests

    session = requests.Session()
    if kind == "api":
        session.headers["Authorization"] = f"Bearer {raw_token}"
    else:
        session.cookies.update(cookies)
    return session


def timings(base: str, url: str, kind: str, raw_token: str, cookies: dict, repeat: int) -> list[float]:
    session = session_for(kind, raw_token, cookies)
    for _ in range(3):  # warm-up: connections, caches, the worker's imports
        session.get(base + url, timeout=60)
    measured = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = session.get(base + url, timeout=60)
        measured.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
    return measured


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# wrk's summary as one line the script parses: latency percentiles are in microseconds.
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("KZAI %d %d %f %f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
end
"""


def throughput_wrk(
    wrk: str, base: str, raw_token: str, concurrency: int, duration: float
) -> tuple[float, float, float, int]:
    """Requests per second, p50 and p95 measured by wrk: a C load generator that leaves the two cores
    to the server (the Python client below spends about as much CPU per request as the server)."""
    import tempfile

    def run(seconds: int, script: str) -> str:
        return subprocess.run(  # noqa: S603 - wrk from PATH, fixed arguments, loopback only
            [
                wrk,
                f"-t{min(concurrency, 2)}",
                f"-c{concurrency}",
                f"-d{seconds}s",
                "--timeout",
                "30s",
                "-s",
                script,
                "-H",
                f"Authorization: Bearer {raw_token}",
                base + THROUGHPUT_URL,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout

    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        session_for("api", raw_token, {}).get(base + THROUGHPUT_URL, timeout=60)
        run(3, script.name)  # warm-up: every worker has served a few requests before the measure
        output = run(max(1, round(duration)), script.name)
    line = next(line for line in output.splitlines() if line.startswith("KZAI "))
    requests_done, microseconds, p50, p95, errors = line.split()[1:]
    return int(requests_done) / (int(microseconds) / 1e6), float(p50), float(p95), int(errors)


def throughput(
    base: str, raw_token: str, concurrency: int, duration: float
) -> tuple[float, float, float, int]:
    """Requests per second, p50 and p95 under `concurrency` Python clients for `duration` seconds
    (without wrk)."""
    stop = time.monotonic() + duration
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]

    def client():
        session = session_for("api", raw_token, {})
        session.get(base + THROUGHPUT_URL, timeout=60)
        mine = []
        while time.monotonic() < stop:
            start = time.perf_counter()
            response = session.get(base + THROUGHPUT_URL, timeout=60)
            mine.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies, 0.5), percentile(latencies, 0.95), errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: its config)")
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 10_000])
    args = parser.parse_args()
    setup_django()
    require_postgresql()
    prepare_database()
    from django.conf import settings
    from django.db import connection

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    organizations = ensure(args.sizes)
    creds = {size: credentials(organization) for size, organization in organizations.items()}
    connection.close()  # gunicorn's workers must not share this process's connection
    small, large = args.sizes
    cpu = os.cpu_count()
    workers = args.workers or min(2 * cpu + 1, 8)
    print(
        f"machine: {cpu} CPUs, load average {load()}; gunicorn {workers} workers on 127.0.0.1; "
        f"CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')}; "
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )
    header = (
        f"{'request':<42} {'systems':>7} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} {'KB':>7} {'CPU ms':>7} "
        f"{'10k/1k':>7}  {'load 1/5/15':<16} target"
    )
    with gunicorn(free_port(), workers) as base:
        print(header)
        for label, url, kind in ROWS:
            p50s = {}
            for size in (small, large):
                _membership, raw, cookies = creds[size]
                queries, size_bytes, cpu_ms = count_queries(url, kind, raw, cookies)
                connection.close()
                measured = timings(base, url, kind, raw, cookies, args.repeat)
                p50s[size] = statistics.median(measured)
                ratio = f"{p50s[large] / p50s[small]:.1f}x" if size == large else ""
                print(
                    f"{label:<42} {size:>7} {p50s[size]:>8.1f} {percentile(measured, 0.95):>8.1f} "
                    f"{queries:>7} {size_bytes / 1024:>7.0f} {cpu_ms:>7.1f} {ratio:>7}  {load():<16} "
                    f"{TARGETS.get(label, '') if size == large else ''}",
                    flush=True,
                )
        _membership, raw, _cookies = creds[large]
        wrk = shutil.which("wrk")
        if wrk:
            rate, p50, p95, errors = throughput_wrk(wrk, base, raw, args.concurrency, args.duration)
        else:
            rate, p50, p95, errors = throughput(base, raw, args.concurrency, args.duration)
        print(
            f"API  {THROUGHPUT_URL} at {large} systems, concurrency {args.concurrency}, "
            f"{args.duration:.0f} s ({'wrk' if wrk else 'Python client; install wrk for less client load'}): "
            f"{rate:.0f} req/s (p50 {p50:.0f} ms, p95 {p95:.0f} ms, {errors} errors), "
            f"load {load()}; target >= 200 req/s"
        )


if __name__ == "__main__":
    main()
