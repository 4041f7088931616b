"""How well councils.themes recovers the planted themes of councils/tests/gap_corpus.py, and on which side.

    python -m councils.gap_eval              # one JSON object: precision, recall, the themes found
    python -m councils.gap_eval --seeds 40   # and their mean and minimum over 40 other planted corpora

Definitions (issue 14, "report its precision and recall"):
- A found theme *matches* a planted one when (a) at least 2 of its first 5 keywords' words are in the planted
  theme's vocabulary (the words its phrases are written with, stop words aside), and (b) most (more than
  half) of the documents it counts, on both sides, were planted with that theme.
- precision = found themes that match a planted theme *and* have its side / all found themes
- recall = planted themes matched by at least one found theme with the right side / all planted themes
Chatter that forms a theme of its own counts against precision, a planted theme split in two does not.
"""

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass

from councils.tests.gap_corpus import BRAND, PLANTED, Corpus, gap_corpus
from councils.themes import Comparison, Theme, stop_words_for, themes_compare


@dataclass
class Scores:
    precision: float
    recall: float
    found: list[dict]
    seconds: float


def _match(theme: Theme, corpus: Corpus) -> str | None:
    truth = [corpus.external_truth[i] for i in theme.external.docs] + [
        corpus.internal_truth[i] for i in theme.internal.docs
    ]
    if not truth:
        return None
    name, n = Counter(truth).most_common(1)[0]
    if name is None or n * 2 <= len(truth):
        return None
    planted = next(p for p in PLANTED if p.name == name)
    words = {word for keyword in theme.keywords[:5] for word in keyword.split()}
    return name if len(words & planted.vocabulary) >= 2 else None


def gap_scores(corpus: Corpus | None = None, **options) -> Scores:
    corpus = corpus or gap_corpus()
    began = time.perf_counter()
    found: Comparison = themes_compare(corpus.external, corpus.internal, stop_words=stop_words_for(BRAND), **options)
    seconds = time.perf_counter() - began
    sides = {p.name: p.side for p in PLANTED}
    rows, right, recovered = [], 0, set()
    for theme in found.themes:
        name = _match(theme, corpus)
        ok = name is not None and sides[name] == theme.side
        right += ok
        if ok:
            recovered.add(name)
        rows.append(
            {
                "label": theme.label,
                "keywords": theme.keywords,
                "side": theme.side,
                "external": theme.external.count,
                "internal": theme.internal.count,
                "planted": name,
                "right": ok,
            }
        )
    return Scores(
        precision=right / len(found.themes) if found.themes else 0.0,
        recall=len(recovered) / len(PLANTED),
        found=rows,
        seconds=seconds,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m councils.gap_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1, help="also score this many other corpora (seeds 1…N)")
    options = parser.parse_args(argv)
    scores = gap_scores()
    figures = {
        "precision": round(scores.precision, 3),
        "recall": round(scores.recall, 3),
        "themes_found": len(scores.found),
        "themes_planted": len(PLANTED),
        "seconds": round(scores.seconds, 3),
        "found": scores.found,
    }
    if options.seeds > 1:
        others = [gap_scores(gap_corpus(seed)) for seed in range(1, options.seeds + 1)]
        figures["over_seeds"] = {
            "seeds": options.seeds,
            "precision_mean": round(sum(s.precision for s in others) / len(others), 3),
            "precision_min": round(min(s.precision for s in others), 3),
            "recall_mean": round(sum(s.recall for s in others) / len(others), 3),
            "recall_min": round(min(s.recall for s in others), 3),
        }
    json.dump(figures, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
