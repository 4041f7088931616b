"""The `intranet_import` suite: `manage.py intranet_import` of a 100,000-line file on PostgreSQL.

It writes a JSON Lines file of invented Carl's Soda conversation (a mix of the five line types, about
3,000 authors, none of whom has an account yet, so the import makes their inactive accounts too;
comments on earlier posts, votes on earlier ideas, named and anonymous feedback), imports it, then
imports it again. External ids and addresses carry a new run id each time, so every run imports a
file the database has never seen.

Figures:
- `intranet_import`: the first import; target under 60 s (issue 13);
- `intranet_import_rerun`: the same file again, where every line is skipped.

`python -m bench.intranet_import FILE [LINES]` only writes the file (no database), to import by hand.
"""

import json
import random
import re
import secrets
import sys
import tempfile
import time
from argparse import Namespace
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import BenchError, log
from bench.prepare import Bench

TARGET_S = 60
LIMIT = "bulk_create about 15k rows/s, COPY 110k-140k rows/s on these machines (DESIGN.md)"
MIX = [("post", 30), ("comment", 30), ("idea", 8), ("vote", 22), ("feedback", 10)]

FIRST = ["Maria", "Dev", "Ines", "Tomasz", "Aiko", "Kwame", "Lena", "Rafael", "Nadia", "Owen", "Priya", "Jonas",
         "Sofia", "Malik", "Hana", "Bruno", "Elif", "Callum", "Yara", "Mateo"]  # fmt: skip
LAST = ["Okafor", "Lindqvist", "Moreau", "Kowalski", "Tanaka", "Mensah", "Vogel", "Costa", "Ferreira", "Byrne",
        "Raman", "Berg", "Marino", "Haddad", "Sato", "Lopes", "Demir", "Fraser", "Nassar", "Ortiz"]  # fmt: skip
GROUPS = ["Bottling Line", "Portland Plant", "Flavour Lab", "Sales West", "Sales East", "Warehouse", "Fleet",
          "Marketing", "Customer Care", "IT Help", "Running Club", "Book Club", "Green Team", "Quality",
          "New Joiners", "Safety First", "Finance", "People Team", "Events", "Cherry Fizz Fans"]  # fmt: skip
OPENINGS = ["Line 3 hit **{n:,} cans** today", "Reminder: the *forklift training* is on {day}",
            "We tasted the new {flavour} batch", "Great call with a store manager in {city}",
            "The break room fridge is fixed", "Thanks to everyone who covered the night shift",
            "New safety signs are up by dock {n}", "Our {flavour} display won the store contest in {city}"]  # fmt: skip
FLAVOURS = ["cherry fizz", "lime twist", "ginger root", "vanilla cola", "blood orange", "sugar-free cola"]
CITIES = ["Portland", "Spokane", "Boise", "Eugene", "Tacoma", "Salem"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
IDEAS = ["{flavour} in the vending machines", "A bike rack at the {city} depot", "Solar panels on the {city} roof",
         "Refill stations instead of bottled water", "Shift swaps in the app", "{flavour} for the summer range",
         "A quiet room on floor {n}", "Recycling bins on every line"]  # fmt: skip
OFFSETS = ["-08:00", "-07:00", "-05:00", "+00:00", "Z", "+01:00"]


def _text(rng: random.Random, sentences: int) -> str:
    parts = []
    for _ in range(sentences):
        parts.append(
            rng.choice(OPENINGS).format(
                n=rng.randint(2, 60_000), day=rng.choice(DAYS), flavour=rng.choice(FLAVOURS), city=rng.choice(CITIES)
            )
            + rng.choice([".", "!", " — see https://carlssoda.example/news."])
        )
    if rng.random() < 0.2:
        parts.append("\n\n- bring your badge\n- wear safety shoes")
    return " ".join(parts)


def file_write(path: Path, lines: int = 100_000, authors: int = 3_000, seed: int | None = None) -> dict:
    """Write `lines` invented lines to `path`; return what it holds."""
    seed = secrets.randbits(32) if seed is None else seed
    rng = random.Random(seed)
    run = f"{seed:x}"
    emails = [
        f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}.{n}.{run}@carlssoda.example" for n in range(authors)
    ]
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    start = datetime.now(UTC) - timedelta(days=3 * 365)
    step = timedelta(days=3 * 365) / lines
    posts, ideas, voted = [], [], set()
    counts = dict.fromkeys((kind for kind, _ in MIX), 0)
    with path.open("w", encoding="utf-8") as out:
        for n in range(lines):
            kind = rng.choice(kinds)
            if (kind == "comment" and not posts) or (kind == "vote" and not ideas):
                kind = "post" if kind == "comment" else "idea"
            moment = (start + step * n).replace(microsecond=0).isoformat().replace("+00:00", rng.choice(OFFSETS))
            line = {"type": kind, "external_id": f"{kind}-{run}-{n}", "created_at": moment}
            author = rng.choice(emails)
            if kind == "post":
                line |= {"author_email": author, "text": _text(rng, rng.randint(1, 4))}
                if rng.random() < 0.4:
                    line["group"] = rng.choice(GROUPS)
                posts.append(line["external_id"])
            elif kind == "comment":
                line |= {"author_email": author, "post_external_id": rng.choice(posts[-2_000:]),
                         "text": _text(rng, 1)}  # fmt: skip
            elif kind == "idea":
                title = rng.choice(IDEAS).format(flavour=rng.choice(FLAVOURS).capitalize(), city=rng.choice(CITIES),
                                                 n=rng.randint(1, 9))  # fmt: skip
                line |= {"author_email": author, "title": f"{title} ({n})", "description": _text(rng, 2),
                         "category": rng.choice(["product", "workplace", "process", "sustainability"])}  # fmt: skip
                ideas.append(line["external_id"])
            elif kind == "vote":
                idea = rng.choice(ideas[-500:])
                while (idea, author) in voted:
                    author = rng.choice(emails)
                voted.add((idea, author))
                line |= {"author_email": author, "idea_external_id": idea}
            else:
                anonymous = rng.random() < 0.5
                line |= {"text": _text(rng, 2), "anonymous": anonymous}
                if not anonymous:
                    line["author_email"] = author
            counts[kind] += 1
            out.write(json.dumps(line) + "\n")
    return {"lines": lines, "authors": authors, "seed": seed, "by_type": counts}


def run(bench: Bench, options: Namespace) -> Iterator[dict]:
    lines = getattr(options, "import_lines", 100_000)
    with tempfile.TemporaryDirectory(prefix="bench-intranet-import-") as folder:
        path = Path(folder) / "old-intranet.jsonl"
        made = file_write(path, lines=lines)
        log(f"intranet_import: wrote {lines:,} lines ({made['by_type']}) by {made['authors']:,} authors")
        for figure in ("intranet_import", "intranet_import_rerun"):
            log(f"{figure}: manage.py intranet_import {path.name}")
            started = time.perf_counter()
            output = bench.manage("intranet_import", str(path), "--no-progress", "--report", str(path) + ".report")
            wall_s = time.perf_counter() - started
            numbers = _summary_read(output)
            yield {
                "figure": figure,
                "seconds": numbers["seconds"],  # the import itself, as the command times it
                "wall_s": round(wall_s, 2),  # with the command's start-up (Django, imports)
                "lines": lines,
                "lines_per_s": round(lines / numbers["seconds"]) if numbers["seconds"] else None,
                "created": numbers["created"],
                "skipped": numbers["skipped"],
                "refused": numbers["refused"],
                **({"target_s": TARGET_S} if figure == "intranet_import" else {}),
                "limit": LIMIT,
            }


def _summary_read(output: str) -> dict:
    timed = re.search(r"lines in ([\d.]+) s\.", output)
    total = re.search(r"^total\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)$", output, re.M)
    if not (timed and total):
        raise BenchError(f"intranet_import printed no summary:\n{output[-2000:]}")
    created, skipped, refused = (int(n.replace(",", "")) for n in total.groups())
    return {"seconds": float(timed.group(1)), "created": created, "skipped": skipped, "refused": refused}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    print(json.dumps(file_write(target, lines=int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)))
