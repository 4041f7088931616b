import pytest
from django.core import mail

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.roles import Role

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def signup(client, email, password="A-long-enough-passphrase-42"):
    return client.post(SIGNUP, {"name": "Nia Okafor", "email": email, "password1": password, "password2": password})


def test_an_employee_signs_up_with_a_work_address(client, db):
    response = signup(client, "nia.okafor@carlssoda.example")
    assert response.status_code == 302
    user = User.objects.get(email="nia.okafor@carlssoda.example")
    assert user.name == "Nia Okafor"
    assert user.roles == {Role.EMPLOYEE}
    assert len(mail.outbox) == 1
    assert "nia.okafor@carlssoda.example" in mail.outbox[0].to


def test_sign_up_with_another_domain_is_refused(client, db):
    response = signup(client, "someone@example.net")
    assert response.status_code == 200
    assert "Sign-up is for employees" in response.content.decode()
    assert not User.objects.filter(email="someone@example.net").exists()


def test_sign_up_is_closed_without_employee_domains(client, db, settings):
    settings.EMPLOYEE_EMAIL_DOMAINS = []
    response = signup(client, "nia.okafor@carlssoda.example")
    assert not User.objects.exists()
    assert "closed" in response.content.decode().lower()


def test_sign_up_validates_the_password(client, db):
    response = signup(client, "nia.okafor@carlssoda.example", password="12345678")
    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("handle", "home"),
    [
        ("ana.insights", "/staff/"),
        ("eli.employee", "/intranet/"),
        ("amy.ambassador", "/ambassador/"),
        ("cole.council", "/councils/"),
        ("erin.exec", "/reports/"),
        ("ada.admin", "/admin/"),
    ],
)
def test_each_role_lands_on_its_home_after_login(client, make_user, handle, home):
    user = make_user(handle)
    response = client.post(LOGIN, {"login": user.email, "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


def test_an_unverified_employee_cannot_sign_in_yet(client, make_user):
    user = make_user(email="new.hire@carlssoda.example", roles=[Role.EMPLOYEE], email_verified=False)
    response = client.post(LOGIN, {"login": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_rate_limited(client, make_user):
    user = make_user("eli.employee")
    for _ in range(5):
        response = client.post(LOGIN, {"login": user.email, "password": "wrong"})
        assert "Too many failed login attempts" not in response.content.decode()
    # The sixth try is refused, and so is the right password while the limit holds.
    response = client.post(LOGIN, {"login": user.email, "password": DEMO_PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
