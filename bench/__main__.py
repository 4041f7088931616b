"""Prepare the bench database, run the benchmark suites, print one JSON line per figure.

`python -m bench [SUITE ...]`; with no suite named, every suite runs. Adding a benchmark
means adding a figure to a suite, or a suite to SUITES: a function `run(bench, options)`
that yields figure dicts, each with a `limit` (DESIGN.md "Performance rules").

Exit status: 0 when every figure ran without errors, 1 when some request failed, 2 when
the bench could not run (no PostgreSQL, a failed migration...), 130 on Ctrl-C.
"""

import argparse
import json
import signal
import sys
from contextlib import closing

from bench import BenchError, log, web
from bench.prepare import bench_prepare

SUITES = {
    "http": web.run,  # pages and API under gunicorn
}


def main(argv: list[str] | None = None) -> int:
    options = _parse_args(argv)
    # `kill` (SIGTERM) stops the bench like Ctrl-C does, through the `finally`s that stop gunicorn.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        bench = bench_prepare()
        failed = []
        for name in options.suites or list(SUITES):
            with closing(SUITES[name](bench, options)) as figures:  # closing: the server stops on any exit
                for figure in figures:
                    print(json.dumps(figure), flush=True)
                    if figure.get("errors"):
                        failed.append(figure["figure"])
    except BenchError as exc:
        log(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    if failed:
        log(f"requests failed in: {', '.join(failed)}")
        return 1
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=f"one of: {', '.join(SUITES)} (default: all)")
    parser.add_argument("--duration", type=_seconds, default=10, help="seconds measured per figure (default: 10)")
    parser.add_argument("--warmup", type=_seconds, default=2, help="seconds of load before measuring (default: 2)")
    parser.add_argument("--concurrency", type=int, default=8, help="client processes, one connection each (default: 8)")
    options = parser.parse_args(argv)
    unknown = [name for name in options.suites if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    if options.duration <= 0 or options.warmup < 0 or options.concurrency < 1:
        parser.error("--duration must be > 0, --warmup >= 0 and --concurrency >= 1")
    return options


def _seconds(text: str) -> int | float:
    """10, not 10.0, in the figures when the number is whole."""
    value = float(text)
    return int(value) if value.is_integer() else value


if __name__ == "__main__":
    sys.exit(main())
