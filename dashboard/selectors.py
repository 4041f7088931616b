from dataclasses import dataclass


@dataclass(frozen=True)
class Kpi:
    key: str
    title: str
    value: str | None
    caption: str


def staff_kpis() -> list[Kpi]:
    """The KPI tiles of the staff dashboard, read from each app's selectors.

    The apps that feed them arrive issue by issue; until then a tile says
    what it will show and that there is no data yet.
    """
    return [
        Kpi("reputation", "Online reputation", None, "Net sentiment and mention volume, last 30 days"),
        Kpi("engagement", "Engagement", None, "Shares of program content by ambassadors"),
        Kpi("referrals", "Referral traffic", None, "Clicks on ambassadors' referral links"),
        Kpi("returning", "Returning customers", None, "Referred customers who bought again"),
        Kpi("response", "Response time", None, "Median time to first response, against target"),
    ]
