"""Every scope an API key can be granted. An endpoint names the scope it needs."""

SCOPES: dict[str, str] = {
    "mentions:read": "Read mentions and rollups",
    "mentions:write": "Send mentions in bulk",
    "insights:admin": "Manage tracked terms, channels and feeds",
    "program:read": "Read the ambassador program",
    "program:write": "Invite and manage ambassadors",
    "referrals:write": "Record referral conversions",
    "findings:read": "Read departments and the findings routed to them",
    "findings:write": "Write findings and route them to departments",
    "intranet:read": "Read intranet posts (text and author name) and the aggregated eNPS pulse",
    "councils:read": "Read the councils, their seats, meetings and action items",
    "councils:write": "Schedule council meetings and record their action items",
    "reports:read": "Read the councils' quarterly reports",
}


def scopes_validate(scopes) -> list[str]:
    """Return the scopes cleaned and sorted, or raise ValueError naming the unknown ones."""
    cleaned = sorted({s.strip() for s in scopes if s and s.strip()})
    unknown = [s for s in cleaned if s not in SCOPES]
    if unknown:
        raise ValueError(f"Unknown scope(s): {', '.join(unknown)}. Known scopes: {', '.join(SCOPES)}.")
    return cleaned
