"""The review queue: the unlabelled mentions whose label would teach the sentiment model most (issue 15).

Apart from insights.selectors.sentiment because it asks insights.sentiment for the active scorer, which itself
reads that module for the active version.
"""

from django.conf import settings

from insights.models import Mention, MentionTerm, Sentiment
from insights.review import Candidate, margin_from_confidence, margins, review_order
from insights.selectors.mentions import mentions_for_api
from insights.sentiment import LearnedScorer, get_scorer

HUMAN_LABELS = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)

REVIEW_QUEUE_MAX = 500


def sentiment_review_queue(*, limit: int) -> list[Mention]:
    """The `limit` unlabelled mentions whose label would teach the model most, least sure first (insights.review).

    The pool: the least confident mentions of each label that no person labelled and that were scored (in a
    language the model reads; unscored ones have no confidence), one range of mention_review_pool_idx a label;
    a larger slice after it while copies of one text leave the page short.
    The active learned version's probabilities give each its margin and label (VADER's confidence and label when
    no version is active), and the pool is re-ranked in Python under the diversity rules (insights.review).
    Mentions as mentions_for_api() gives them.
    """
    unlabelled = (
        Mention.objects.filter(sentiment_set_by__isnull=True, sentiment_confidence__isnull=False)
        .order_by("sentiment_confidence", "-published_at", "-id")
        .values_list("pk", "text", "sentiment_confidence", "channel_id", "author_handle", "sentiment_label")
    )
    each = max(settings.INSIGHTS_REVIEW_POOL, 4 * limit) // len(HUMAN_LABELS)
    read = 0  # rows read of each label so far
    candidates: list[Candidate] = []
    while True:
        # A page short of `limit` after the near-duplicate rule (a viral text copied thousands of times fills
        # the least confident rows): read the next, larger slice of each label, up to INSIGHTS_REVIEW_POOL_MAX.
        slices = [list(unlabelled.filter(sentiment_label=label)[read : read + each]) for label in HUMAN_LABELS]
        candidates += _candidates([row for rows in slices for row in rows])
        chosen = review_order(candidates, limit=limit)
        read += each
        exhausted = all(len(rows) < each for rows in slices)
        if len(chosen) >= limit or exhausted or read * len(HUMAN_LABELS) >= settings.INSIGHTS_REVIEW_POOL_MAX:
            break
        each *= 3
    ids = [candidate.id for candidate in chosen]
    found = mentions_for_api().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _candidates(pool: list[tuple]) -> list[Candidate]:
    """The rows of a pool as the ranking reads them: margin and label from the active scorer, author, terms."""
    if not pool:
        return []
    terms: dict[int, list[int]] = {}
    for start in range(0, len(pool), 5000):  # SQLite caps a query's parameters
        chunk = [row[0] for row in pool[start : start + 5000]]
        for mention_id, term_id in MentionTerm.objects.filter(mention_id__in=chunk).values_list(
            "mention_id", "term_id"
        ):
            terms.setdefault(mention_id, []).append(term_id)
    scorer = get_scorer()
    if isinstance(scorer, LearnedScorer):
        probabilities = scorer.probabilities([row[1] for row in pool])
        pool_margins = margins(probabilities).tolist()
        labels = [scorer.model.classes[i] for i in probabilities.argmax(axis=1)]
    else:
        pool_margins = [margin_from_confidence(row[2]) for row in pool]
        labels = [row[5] for row in pool]
    candidates = [
        Candidate(
            id=pk,
            text=text,
            margin=margin,
            author=f"{channel_id}:{handle.lower()}" if handle else "",
            terms=tuple(terms.get(pk, ())),
            label=label,
        )
        for (pk, text, _, channel_id, handle, _), margin, label in zip(pool, pool_margins, labels, strict=True)
    ]
    return candidates
