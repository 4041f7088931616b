"""Closed-loop HTTP load: N client processes, each with one keep-alive connection, for a set time.

Processes rather than threads, so the clients' own Python does not share one GIL and
become the bottleneck. Each client sends its next request as soon as the previous answer
is read (closed loop), so `concurrency` is the number of requests in flight. All clients
start together at an agreed wall-clock instant, warm up (connections open, workers' caches
and database connections fill), then record every request that starts within the
measured window: its latency and status.
"""

import math
import multiprocessing
import queue
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException

from bench import BenchError

HOST = "127.0.0.1"  # load is only ever sent to loopback
REQUEST_TIMEOUT_S = 10
START_DELAY_S = 0.5  # time for every client process to start before the agreed instant


@dataclass(frozen=True)
class Target:
    """What to request. `vary(client, n)` may give each request its own (path, headers): the
    n-th request of client number `client` (a module-level function or a partial of one)."""

    port: int
    path: str
    headers: dict[str, str]
    ok_statuses: range | tuple[int, ...] = range(200, 300)
    vary: Callable[[int, int], tuple[str, dict[str, str]]] | None = None


@dataclass(frozen=True)
class ClientResult:
    latencies_ms: list[float]
    statuses: dict[int, int]  # status -> count; 0 is a request that got no HTTP answer
    last_finish: float  # wall clock


def load_measure(target: Target, *, concurrency: int, warmup_s: float, duration_s: float) -> dict:
    """Load `target` and return the figure's numbers.

    `requests` counts the answers to requests started in the window; `errors` those that
    were not in `target.ok_statuses` (or never came); `requests_per_s` the successful ones per second.
    Latency percentiles cover every request, failed ones included.
    """
    start = time.time() + START_DELAY_S
    window = (start + warmup_s, start + warmup_s + duration_s)
    results: multiprocessing.Queue = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=_client, args=(target, index, start, window, results), daemon=True)
        for index in range(concurrency)
    ]
    for client in clients:
        client.start()
    try:
        collected: list[ClientResult] = []
        for _ in clients:
            # Bounded: a client that crashed must not hang the bench.
            timeout = max(window[1] - time.time(), 0) + REQUEST_TIMEOUT_S + 5
            try:
                collected.append(results.get(timeout=timeout))
            except queue.Empty:
                raise BenchError("a load client process died or hung; see its traceback above.") from None
    finally:
        for client in clients:
            if client.is_alive():
                client.terminate()
            client.join()
    return _summarise(collected, window, target.ok_statuses)


def _client(
    target: Target, index: int, start: float, window: tuple[float, float], results: multiprocessing.Queue
) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it, and stops us with
    # SIGTERM, which must end us quietly (we inherited the parent's handler for it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    latencies_ms: list[float] = []
    statuses: dict[int, int] = {}
    connection = HTTPConnection(HOST, target.port, timeout=REQUEST_TIMEOUT_S)
    time.sleep(max(start - time.time(), 0))
    path, headers, n = target.path, target.headers, 0
    while (began := time.time()) < window[1]:
        if target.vary is not None:
            path, headers = target.vary(index, n)
            n += 1
        t0 = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()  # the whole body, so the connection can carry the next request
            status = response.status
        except (OSError, HTTPException):
            connection.close()  # the next request reconnects
            status = 0
        latency_ms = (time.perf_counter() - t0) * 1000
        if began >= window[0]:
            latencies_ms.append(latency_ms)
            statuses[status] = statuses.get(status, 0) + 1
    connection.close()
    results.put(ClientResult(latencies_ms, statuses, time.time()))


def _summarise(results: list[ClientResult], window: tuple[float, float], ok_statuses) -> dict:
    latencies = sorted(latency for result in results for latency in result.latencies_ms)
    requests = len(latencies)
    ok = sum(count for result in results for status, count in result.statuses.items() if status in ok_statuses)
    # The window ends when the last request started in it has its answer.
    elapsed = max([window[1], *(result.last_finish for result in results)]) - window[0]
    return {
        "requests_per_s": round(ok / elapsed, 1),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "requests": requests,
        "errors": requests - ok,
    }


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `fraction` of them at or below it."""
    if not sorted_values:
        return None
    rank = max(math.ceil(fraction * len(sorted_values)), 1)
    return round(sorted_values[rank - 1], 1)
