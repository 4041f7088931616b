"""Rapport's benchmarks: `python -m bench [SUITE ...]` prints one JSON line per figure.

DESIGN.md ("Performance rules") asks every benchmark to print its figure next to the raw
limit it is measured against, so each figure carries a `limit`. Figures go to stdout, one
JSON object per line, and nothing else does: progress and errors go to stderr, so
`python -m bench > figures.jsonl` keeps only figures.

A suite is a function `run(bench, options)` that yields figure dicts (see `bench.__main__`);
all suites share one prepared PostgreSQL database (`bench.prepare`).
"""

import sys


class BenchError(Exception):
    """A problem the person running the bench can act on; shown without a traceback."""


def log(message: str) -> None:
    """Progress for humans, on stderr so that stdout stays machine-readable."""
    print(f"bench: {message}", file=sys.stderr, flush=True)
