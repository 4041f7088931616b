"""Time the conversation gap on the database at hand (the bench's, or one filled with generate_mentions and
bench.intranet_data): a draft report's first computation of it, its trend included.

    DJANGO_SETTINGS_MODULE=config.settings DATABASE_URL=postgres://…/rapport_bench \\
        python -m councils.gap_bench [--quarter 2026-Q3] [--repeat 2]

Prints one JSON object: the database's mention count, and per run the seconds of the whole
`conversation_gap` and of its parts for the report's quarter (reading the mentions, the intranet, the theme
extraction), the documents read and found, and the overlap.
"""

import argparse
import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    import django

    django.setup()
    from councils.quarters import Quarter
    from councils.selectors.gap import SAMPLE, SENTIMENT, TEXT_CHARS, conversation_gap
    from councils.themes import Doc, stop_words_for, themes_compare
    from insights.models import Mention
    from insights.selectors.conversation import brand_words, mention_texts
    from intranet.conversation_selectors import internal_texts

    parser = argparse.ArgumentParser(prog="python -m councils.gap_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", default="", help="like 2026-Q3 (default: the previous quarter)")
    parser.add_argument("--repeat", type=int, default=2, help="runs (the first is the cold one)")
    options = parser.parse_args(argv)
    quarter = Quarter.parse(options.quarter) if options.quarter else Quarter.current().previous
    figures = {"quarter": str(quarter), "mentions_in_database": Mention.objects.count(), "runs": []}
    for _ in range(options.repeat):
        began = time.perf_counter()
        gap = conversation_gap(quarter=quarter)
        total = time.perf_counter() - began
        parts = {}
        began = time.perf_counter()
        external = mention_texts(start=quarter.start, end=quarter.end, limit=SAMPLE)
        parts["read_mentions_s"] = round(time.perf_counter() - began, 3)
        began = time.perf_counter()
        internal = internal_texts(start=quarter.start, end=quarter.end, limit=SAMPLE)
        parts["read_intranet_s"] = round(time.perf_counter() - began, 3)
        began = time.perf_counter()
        themes_compare(
            [Doc(text[:TEXT_CHARS], SENTIMENT.get(label)) for text, label in external.rows],
            [Doc(text[:TEXT_CHARS]) for text in internal.rows],
            stop_words=stop_words_for(brand_words()),
        )
        parts["themes_s"] = round(time.perf_counter() - began, 3)
        figures["runs"].append(
            {
                "conversation_gap_s": round(total, 3),
                "quarter_alone": parts,
                "documents": gap["documents"],
                "sample": gap["sample"],
                "themes": len(gap["themes"]),
                "overlap": gap["overlap"],
                "trend": gap["trend"],
                "labels": [f"{theme['label']} ({theme['side']})" for theme in gap["themes"]],
            }
        )
    json.dump(figures, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
