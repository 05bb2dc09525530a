"""A small closed-loop HTTP load generator: N concurrent connections, fixed request count.

Only ever targets the loopback server the benchmark started itself.
"""

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    path: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    per_second: float


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def hammer(host, port, path, *, cookie="", connections=16, requests_per_connection=25, timeout=30):
    """Each connection sends its requests one after another (keep-alive); returns timings."""
    timings, errors, lock = [], [0], threading.Lock()
    barrier = threading.Barrier(connections)

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        headers = {"Cookie": cookie, "Host": "127.0.0.1"} if cookie else {"Host": "127.0.0.1"}
        barrier.wait()
        for _ in range(requests_per_connection):
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=timeout)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    timings.append(elapsed)
                else:
                    errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return LoadResult(
        path=path,
        requests=len(timings) + errors[0],
        errors=errors[0],
        p50_ms=statistics.median(timings) if timings else float("nan"),
        p95_ms=percentile(timings, 0.95),
        per_second=len(timings) / wall if wall else 0.0,
    )
