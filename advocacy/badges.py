"""Badges, awarded by rule: each rule reads a member's counted totals (held activity excluded).

Add a badge by adding a rule; `badges_award` (advocacy.services.activities) gives it, once, to
every member who meets it the next time something of theirs is counted. A slug is stored on
`BadgeAward`, so never rename one (40 characters at most).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advocacy.selectors.recognition import ActivityTotals


@dataclass(frozen=True)
class BadgeRule:
    slug: str
    name: str
    description: str
    earned: Callable[["ActivityTotals"], bool]


BADGES: list[BadgeRule] = [
    BadgeRule("first-share", "First share", "Shared a post about Carl's Soda.", lambda t: t.shares >= 1),
    BadgeRule("ten-shares", "Megaphone", "Shared 10 posts.", lambda t: t.shares >= 10),
    BadgeRule("first-review", "Critic", "Wrote a review.", lambda t: t.reviews >= 1),
    BadgeRule("five-reviews", "Trusted voice", "Wrote 5 reviews.", lambda t: t.reviews >= 5),
    BadgeRule("first-referral", "First referral", "Someone ordered through your link.", lambda t: t.conversions >= 1),
    BadgeRule("ten-referrals", "10 referrals", "10 orders came through your links.", lambda t: t.conversions >= 10),
    BadgeRule("first-story", "Published author", "A story of yours was published.", lambda t: t.stories >= 1),
    BadgeRule("hundred-points", "100 points", "Earned 100 points.", lambda t: t.points >= 100),
    BadgeRule("thousand-points", "1,000 points", "Earned 1,000 points.", lambda t: t.points >= 1000),
]
BADGES_BY_SLUG = {rule.slug: rule for rule in BADGES}


def badges_earned(totals: "ActivityTotals") -> list[BadgeRule]:
    """The rules these totals meet, in the order above."""
    return [rule for rule in BADGES if rule.earned(totals)]
