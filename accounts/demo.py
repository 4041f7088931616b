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

# Invented colleagues who staff the departments in the demo (not sign-in personas: the tests'
# named people are DEMO_USERS above). They sign in with DEMO_PASSWORD too.
DEMO_DEPARTMENT_PEOPLE = [
    DemoUser("nora.marketing", "nora.marketing@carlssoda.example", "Nora Ahlberg", (Role.EMPLOYEE,)),
    DemoUser("theo.marketing", "theo.marketing@carlssoda.example", "Theo Marsh", (Role.EMPLOYEE,)),
    DemoUser("priya.pr", "priya.pr@carlssoda.example", "Priya Raman", (Role.EMPLOYEE,)),
    DemoUser("jonas.pr", "jonas.pr@carlssoda.example", "Jonas Feld", (Role.EMPLOYEE,)),
    DemoUser("sam.service", "sam.service@carlssoda.example", "Sam Okafor", (Role.EMPLOYEE,)),
    DemoUser("lena.service", "lena.service@carlssoda.example", "Lena Hart", (Role.EMPLOYEE,)),
    DemoUser("dario.design", "dario.design@carlssoda.example", "Dario Vance", (Role.EMPLOYEE,)),
    DemoUser("mei.design", "mei.design@carlssoda.example", "Mei Tanaka", (Role.EMPLOYEE,)),
]

# slug -> (name, the lead's handle, the other members' handles), by the handles above and in DEMO_USERS.
# The four departments come from a migration; the names here serve a database that lacks them.
DEMO_DEPARTMENTS = {
    "marketing": ("Marketing", "nora.marketing", ("eli.employee", "theo.marketing")),
    "pr": ("PR", "priya.pr", ("jonas.pr",)),
    "customer-service": ("Customer service", "sam.service", ("lena.service", "eli.employee")),
    "product-design": ("Product development and design", "dario.design", ("mei.design", "theo.marketing")),
}
