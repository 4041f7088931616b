"""The conversation gap: the themes of the external conversation beside those of the internal one.

`conversation_gap(quarter=…)` answers the report's `conversation_gap` object (issue 14's JSON contract):

    {"overlap": 0..1, "trend": [{"quarter": "2026-Q1", "overlap": 0.41}, …],
     "themes": [{"label", "keywords", "side", "external": {"count", "share", "net_sentiment"},
                 "internal": {"count", "share"}, "examples": {"external": […], "internal": […]}}, …],
     "sampled": false, "documents": {"external": n, "internal": n}, "sample": {"external": n, "internal": n}}

- External: the quarter's mentions (insights.selectors.conversation), their sentiment labels as 1 / 0 / −1
  (unscored: none). Internal: the quarter's posts, comments, ideas, idea comments and workplace feedback
  (intranet.conversation_selectors), feedback only from groups of INTRANET_REPORT_MIN_GROUP or more, so a
  group under it is neither counted nor quoted. Quarters are the organisation's (councils.quarters).
- Themes: councils.themes (how they are found, what shared / external_only / internal_only mean, how the
  overlap is computed), with the brand's own names (its tracked terms) as stop words.
- At scale each side is a deterministic sample of `sample` documents (default 5,000) spread over the
  quarter; then `sampled` is true, `documents` holds the true counts, `sample` what was read, and each theme's
  `count` is an estimate: its share of the sample × the side's true count. `share` is the share of the sample.
- Trend: the last `trend_quarters` quarters, oldest first, this one last. A quarter with a published report
  gives the overlap stored in it (frozen); any other is computed on a smaller sample (`trend_sample`) and
  kept in the cache for TREND_CACHE_S, so the second council's draft and a reload do not compute it again.
- A quarter with nothing on one side (or not begun) has no themes and an overlap of 0.0 (documents tell why).
"""

from django.core.cache import cache

from councils.models import Report
from councils.quarters import Quarter
from councils.themes import Doc, stop_words_for, themes_compare
from insights.selectors.conversation import brand_words, mention_texts
from intranet.conversation_selectors import internal_texts

SAMPLE = 5_000  # documents per side for the report's quarter
TREND_SAMPLE = 1_500  # documents per side for an earlier quarter of the trend with no published report
TREND_CACHE_S = 6 * 3600  # an earlier quarter's overlap is kept this long in the cache (Redis in production)
TEXT_CHARS = 2_000  # a long post is read as its beginning
SENTIMENT = {"positive": 1.0, "neutral": 0.0, "negative": -1.0}  # "unscored": not counted


def conversation_gap(
    *, quarter: Quarter, trend_quarters: int = 4, sample: int = SAMPLE, trend_sample: int = TREND_SAMPLE
) -> dict:
    """`{"overlap": 0..1, "trend": [{"quarter", "overlap"}, …], "themes": [...], …}` for `quarter` (module)."""
    gap = quarter_gap(quarter=quarter, sample=sample)
    trend = []
    for earlier in quarter.last(max(trend_quarters, 1))[:-1]:
        overlap = published_overlap(quarter=earlier)
        if overlap is None:
            overlap = _trend_overlap(earlier, trend_sample)
        trend.append({"quarter": str(earlier), "overlap": overlap})
    trend.append({"quarter": str(quarter), "overlap": gap["overlap"]})
    return {"overlap": gap["overlap"], "trend": trend, **{key: value for key, value in gap.items() if key != "overlap"}}


def published_overlap(*, quarter: Quarter) -> float | None:
    """The overlap frozen in a published report of `quarter` (either council's: they share it), or None."""
    for data in (
        Report.objects.filter(quarter=str(quarter), status=Report.Status.PUBLISHED)
        .order_by("published_at", "pk")
        .values_list("data", flat=True)
    ):
        overlap = ((data or {}).get("conversation_gap") or {}).get("overlap")
        if isinstance(overlap, int | float):
            return float(overlap)
    return None


def _trend_overlap(quarter: Quarter, sample: int) -> float:
    """An earlier quarter's overlap, computed once per TREND_CACHE_S (both councils' drafts, every reload)."""
    key = f"councils:gap-overlap:{quarter}:{sample}"
    overlap = cache.get(key)
    if overlap is None:
        overlap = quarter_gap(quarter=quarter, sample=sample, with_themes=False)["overlap"]
        cache.set(key, overlap, TREND_CACHE_S if not quarter.in_progress() else 0)
    return overlap


def quarter_gap(*, quarter: Quarter, sample: int = SAMPLE, with_themes: bool = True) -> dict:
    """The gap of one quarter without its trend: overlap, themes (when asked), documents and sample sizes."""
    if not quarter.has_begun():
        return _answer(0.0, [], {"external": 0, "internal": 0}, {"external": 0, "internal": 0})
    external = mention_texts(start=quarter.start, end=quarter.end, limit=sample)
    internal = internal_texts(start=quarter.start, end=quarter.end, limit=sample)
    compared = themes_compare(
        [Doc(text[:TEXT_CHARS], SENTIMENT.get(label)) for text, label in external.rows],
        [Doc(text[:TEXT_CHARS]) for text in internal.rows],
        stop_words=stop_words_for(brand_words()),
    )
    totals = {"external": external.total, "internal": internal.total}
    read = {"external": len(external.rows), "internal": len(internal.rows)}
    themes = []
    if with_themes:
        for theme in compared.themes:
            row = theme.as_contract()
            for side in ("external", "internal"):
                if read[side] < totals[side]:  # an estimate of the true count
                    row[side]["count"] = round(getattr(theme, side).share * totals[side])
            themes.append(row)
    return _answer(round(compared.overlap, 4), themes, totals, read)


def _answer(overlap: float, themes: list[dict], totals: dict, read: dict) -> dict:
    return {
        "overlap": overlap,
        "themes": themes,
        "sampled": read != totals,
        "documents": totals,
        "sample": read,
    }
