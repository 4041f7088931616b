"""An admin invites someone to the intranet as an employee (a freelancer on another domain, say): an email
with a link to choose a password, which activates the account; a second invitation resends, never duplicates."""

import re

import pytest
from django.core import mail

from accounts.models import User
from accounts.roles import Role, has_role
from accounts.tests.factories import UserFactory
from intranet.models import ImportedAccount
from intranet.tests.factories import employee

pytestmark = pytest.mark.django_db(transaction=True)  # the email goes after commit

GUEST = "rui.freelance@fizzworks.example"
PASSWORD = "Ginger-fizz-for-the-whole-floor-7"


@pytest.fixture
def as_admin(client):
    admin = UserFactory(roles=(Role.ADMIN,), name="Ada Admin", email="ada.admin@carlssoda.example")
    client.force_login(admin)
    return client


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body).group(1)


def test_an_invited_person_chooses_a_password_and_lands_on_the_intranet(as_admin, client):
    response = as_admin.post("/intranet/people/invite/", {"name": "Rui Lopes", "email": GUEST}, follow=True)

    assert f"The invitation to {GUEST} is on its way." in response.content.decode()
    guest = User.objects.get(email=GUEST)
    assert not guest.is_active
    assert has_role(guest, Role.EMPLOYEE)
    assert ImportedAccount.objects.get(user=guest).invited_by.email == "ada.admin@carlssoda.example"
    (message,) = mail.outbox
    assert message.to == [GUEST]
    assert "Ada Admin invited you to Carl's Soda's intranet" in message.body

    client.logout()
    link = _link(message)
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    assert client.post(action, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 302

    guest.refresh_from_db()
    assert guest.is_active
    assert not ImportedAccount.objects.filter(user=guest).exists()
    assert client.post("/accounts/login/", {"login": GUEST, "password": PASSWORD}).status_code == 302
    assert client.get("/intranet/feed/").status_code == 200


def test_inviting_again_sends_a_new_link_to_the_same_account(as_admin):
    as_admin.post("/intranet/people/invite/", {"name": "Rui Lopes", "email": GUEST})
    response = as_admin.post("/intranet/people/invite/", {"name": "Rui L.", "email": GUEST.upper()}, follow=True)

    assert "went again, with a new link" in response.content.decode()
    assert User.objects.filter(email__iexact=GUEST).count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": "Rui", "email": "not an address"}, "Enter a valid email address."),
        ({"name": "", "email": GUEST}, "This field is required."),
        ({"name": "Eli", "email": "eli.taken@carlssoda.example"}, "This person already has an account"),
    ],
)
def test_a_bad_invitation_says_why_and_sends_nothing(as_admin, fields, error):
    employee(email="eli.taken@carlssoda.example")
    before = User.objects.count()

    response = as_admin.post("/intranet/people/invite/", fields)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.count() == before
    assert mail.outbox == []


def test_an_employee_may_not_invite(client):
    client.force_login(employee())
    assert client.post("/intranet/people/invite/", {"name": "Rui", "email": GUEST}).status_code == 403
    assert not User.objects.filter(email=GUEST).exists()


def test_the_directory_offers_invitations_to_admins_only(as_admin, client):
    assert "Invite a colleague" in as_admin.get("/intranet/people/").content.decode()
    client.force_login(employee())
    assert "Invite a colleague" not in client.get("/intranet/people/").content.decode()
