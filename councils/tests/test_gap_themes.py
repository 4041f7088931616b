"""The theme extraction of the conversation gap (councils.themes) on a planted corpus (gap_corpus.py):
the planted themes come back, on the right side, with precision and recall over the thresholds measured.

Measured (python -m councils.gap_eval --seeds 40): precision 1.0 and recall 1.0 on the default corpus;
over 40 other seeds precision mean 0.997 (min 0.875: a heap of chatter that passed as a theme), recall
mean 0.996 (min 0.857: one planted theme lost once). The thresholds asserted leave room below those.
"""

from councils.gap_eval import gap_scores
from councils.tests.gap_corpus import BRAND, PLANTED, gap_corpus
from councils.themes import (
    EXTERNAL_ONLY,
    INTERNAL_ONLY,
    SHARED,
    Doc,
    stop_words_for,
    themes_compare,
)


def test_planted_themes_come_back_on_their_side_with_precision_and_recall():
    scores = gap_scores()
    print(f"\nconversation gap on the planted corpus: precision {scores.precision:.3f}, recall {scores.recall:.3f}")
    for row in scores.found:
        counts = f"ext {row['external']:3} int {row['internal']:3}"
        print(f"  {row['label']!r:28} {row['side']:14} {counts} -> {row['planted']}")
    assert scores.precision >= 0.85
    assert scores.recall >= 0.85
    found_sides = {row["planted"]: row["side"] for row in scores.found if row["right"]}
    assert found_sides == {planted.name: planted.side for planted in PLANTED}


def test_precision_and_recall_hold_on_other_planted_corpora():
    runs = [gap_scores(gap_corpus(seed)) for seed in range(1, 6)]
    precision = sum(run.precision for run in runs) / len(runs)
    recall = sum(run.recall for run in runs) / len(runs)
    print(f"\nover 5 other seeds: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.85
    assert recall >= 0.85
    assert min(run.recall for run in runs) >= 0.7


def test_the_contract_shape_and_figures():
    corpus = gap_corpus()
    result = themes_compare(corpus.external, corpus.internal, stop_words=stop_words_for(BRAND))
    assert result.documents == {"external": len(corpus.external), "internal": len(corpus.internal)}
    assert 0.3 < result.overlap < 0.9  # three themes shared, four one-sided
    for theme in result.themes:
        row = theme.as_contract()
        assert set(row) == {"label", "keywords", "side", "external", "internal", "examples"}
        assert row["side"] in (SHARED, EXTERNAL_ONLY, INTERNAL_ONLY)
        assert row["label"]
        assert row["keywords"]
        assert not {"carls", "soda", "carlssoda"} & {w for k in row["keywords"] for w in k.split()}
        assert row["external"]["share"] == round(theme.external.count / len(corpus.external), 4)
        assert -1 <= (row["external"]["net_sentiment"] or 0) <= 1
        assert "net_sentiment" not in row["internal"]  # the planted internal side has no sentiment
        for side in ("external", "internal"):
            examples = row["examples"][side]
            assert len(examples) <= 3
            assert len(set(examples)) == len(examples)
            assert all(len(example) <= 241 for example in examples)
    by_label = {theme.label: theme for theme in result.themes}
    assert len(by_label) == len(result.themes)
    # Most telling first: the vending machine theme is named by its words.
    vending = next(theme for theme in result.themes if "vending" in theme.keywords[:2])
    assert vending.side == EXTERNAL_ONLY
    assert vending.label == "vending machine"


def test_net_sentiment_is_positive_minus_negative_over_scored():
    corpus = gap_corpus()
    result = themes_compare(corpus.external, corpus.internal, stop_words=stop_words_for(BRAND))
    theme = result.themes[0]
    scored = [corpus.external[i].sentiment for i in theme.external.docs]
    expected = (scored.count(1.0) - scored.count(-1.0)) / len(scored)
    assert abs(theme.external.net_sentiment - expected) < 1e-9


def test_deterministic():
    corpus = gap_corpus()
    first = themes_compare(corpus.external, corpus.internal, stop_words=stop_words_for(BRAND))
    second = themes_compare(corpus.external, corpus.internal, stop_words=stop_words_for(BRAND))
    assert [t.as_contract() for t in first.themes] == [t.as_contract() for t in second.themes]
    assert first.overlap == second.overlap


def test_same_conversation_on_both_sides_overlaps_fully_and_disjoint_ones_not_at_all():
    corpus = gap_corpus()
    same = themes_compare(corpus.external, corpus.external, stop_words=stop_words_for(BRAND))
    assert same.themes
    assert same.overlap > 0.99
    assert {theme.side for theme in same.themes} == {SHARED}
    cans = [Doc(f"The new can design number {i} looks great, love the label") for i in range(30)]
    shifts = [Doc(f"The shift schedule for week {i} needs a swap button on the rota") for i in range(30)]
    apart = themes_compare(cans, shifts)
    assert apart.overlap == 0.0
    assert sorted(theme.side for theme in apart.themes) == [EXTERNAL_ONLY, INTERNAL_ONLY]


def test_quotes_only_quotable_documents():
    secret = [Doc("The shift schedule is unfair to the night team, shift swaps refused", quotable=False)] * 10
    said = [Doc(f"Shift schedule posted late again, week {i}, shift swap please") for i in range(10)]
    result = themes_compare(said, secret + said)
    assert result.themes
    for theme in result.themes:
        assert not any("unfair" in example for example in theme.internal.examples)


def test_empty_and_tiny_inputs():
    assert themes_compare([], []).themes == []
    assert themes_compare([], []).overlap == 0.0
    assert themes_compare(["Carl's Soda"], ["hello"]).themes == []
    only_stop_words = themes_compare(["the and of"] * 5, ["is it was"] * 5)
    assert only_stop_words.themes == []
    assert only_stop_words.overlap == 0.0
    one_side = themes_compare([], [f"Coffee beans in the kitchen, batch {i}" for i in range(20)])
    assert one_side.overlap == 0.0
    assert all(theme.side == INTERNAL_ONLY for theme in one_side.themes)


def test_brand_words_make_no_theme():
    assert stop_words_for(["Carl's Soda"]) == {"carls", "soda"}
    brand = [Doc(f"Carl's Soda Carl's Soda! {word} day") for word in ("sunny", "rainy", "windy", "cold") * 5]
    result = themes_compare(brand, brand, stop_words=stop_words_for(["Carl's Soda"]))
    for theme in result.themes:
        assert not {"carls", "soda"} & set(" ".join(theme.keywords).split())
