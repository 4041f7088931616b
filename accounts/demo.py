"""The named demo users: `seed_demo` creates them and the tests use the same people.

Every name and address is invented (the `.example` domains are reserved).
"""

from dataclasses import dataclass

from accounts.roles import Role

DEMO_PASSWORD = "carls-soda-demo"


@dataclass(frozen=True)
class DemoUser:
    handle: str
    email: str
    name: str
    roles: tuple[str, ...]


DEMO_USERS = [
    DemoUser("ana.insights", "ana.insights@carlssoda.example", "Ana Pereira", (Role.INSIGHTS_STAFF,)),
    DemoUser("eli.employee", "eli.employee@carlssoda.example", "Eli Novak", (Role.EMPLOYEE,)),
    DemoUser("amy.ambassador", "amy.ambassador@example.net", "Amy Castillo", (Role.AMBASSADOR,)),
    DemoUser("cole.council", "cole.council@example.net", "Cole Brandt", (Role.AMBASSADOR, Role.COUNCIL_MEMBER)),
    DemoUser("erin.exec", "erin.exec@carlssoda.example", "Erin Walsh", (Role.EXECUTIVE,)),
    DemoUser("ada.admin", "ada.admin@carlssoda.example", "Ada Lindqvist", (Role.ADMIN,)),
]
DEMO_USERS_BY_HANDLE = {u.handle: u for u in DEMO_USERS}
