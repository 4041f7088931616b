"""The conversation gap: the themes of the external conversation beside those of the internal one.

Interface shared by the report (councils.selectors.reports) and the theme extraction: see the issue's
JSON contract. The extraction itself arrives with its planted-corpus test.
"""

from councils.quarters import Quarter


def conversation_gap(*, quarter: Quarter, trend_quarters: int = 4) -> dict:
    """`{"overlap": 0..1, "trend": [{"quarter", "overlap"}, …], "themes": [...]}` for `quarter`."""
    return {"overlap": 0.0, "trend": [], "themes": []}
