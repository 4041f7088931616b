"""VADER's honest confidence: the probability that its label is right, measured, not its distance to a threshold.

No Django and no scikit-learn here: insights.sentiment (every ingest) and the benchmark read it alike.
"""

# How often VADER's label is right, by label and |compound| (the honest confidence of insights.sentiment.label_for):
# measured on the invented corpus (bench/sentiment_corpus.py, seed 15, 12,000 messages), bins pooled where the
# accuracy fell as |compound| rose (pool adjacent violators), so that a stronger score never reads less sure.
#
#   VADER's label   |compound|:  0.05–0.2  0.2–0.4  0.4–0.6  0.6–0.8  0.8–1   (messages)
#   negative                      0.57      0.57     0.74     0.87     0.95   (446, 937, 918, 477, 126)
#   positive                      0.23      0.26     0.27     0.33     0.36   (434, 1,117, 2,012, 1,432, 810)
#   neutral (|compound| < 0.05)   0.37, whatever the text (3,291 messages; 3,120 of them hit no lexicon word)
#
# Positive is the least trustworthy: on messages to a brand, sarcasm is all positive words ("Great, another dented
# case. Love that for me."). Neutral is mostly "no sentiment word", which says nothing about the sentiment: a
# complaint without a negative word ("raised prices again? Switching to Bubbleton.") is 0.37 sure, not 1.00.
# On other seeds of the corpus (16, 17: messages the table never saw) the expected calibration error is 0.020 and
# 0.025 (insights/tests/test_review_queue.py holds it under 0.04). A brand's own messages differ from these: the
# learned scorer, trained on the team's corrections, replaces VADER and its confidence with calibrated probabilities.
VADER_CONFIDENCE_FROM = (0.05, 0.2, 0.4, 0.6, 0.8)  # the lower edge of each |compound| bin
VADER_CONFIDENCE = {
    "negative": (0.57, 0.57, 0.74, 0.87, 0.95),
    "positive": (0.23, 0.26, 0.27, 0.33, 0.36),
    "neutral": (0.37,) * 5,
}


def vader_confidence(label: str, compound: float) -> float:
    """The probability that VADER's label for this compound score is right (the table above)."""
    position = sum(1 for edge in VADER_CONFIDENCE_FROM[1:] if abs(compound) >= edge)
    return VADER_CONFIDENCE[label][position]
