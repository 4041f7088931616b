"""/join/<token>: the invitee's one page, to accept (signing up or with one click) or decline."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from advocacy.models import Invitation, Membership, Program, WaitlistEntry
from advocacy.services.invitations import invitation_resend, invitation_revoke
from advocacy.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "cherry fizz on a sunday"


def join_url(token):
    return reverse("advocacy:join", kwargs={"token": token})


def accept(client, token, **overrides):
    data = {"action": "accept", "name": "Kim Vale", "password1": PASSWORD, "password2": PASSWORD, "accept_terms": "on"}
    return client.post(join_url(token), data | overrides)


def test_the_page_shows_the_pitch_the_note_and_the_invited_email(client):
    invitation, token = InvitationFactory(email="kim@customers.example", note="Your cherry float post made our day.")
    page = client.get(join_url(token)).content.decode()
    assert "invitation-only" in page
    assert "Your cherry float post made our day." in page
    assert 'value="kim@customers.example" readonly' in page
    assert 'name="accept_terms"' in page
    assert 'name="password1"' in page
    assert 'name="password2"' in page


def test_accepting_creates_a_verified_account_signs_in_and_lands_on_the_ambassador_home(client):
    invitation, token = InvitationFactory(email="kim@customers.example")

    response = accept(client, token)

    assert response.status_code == 302
    assert response["Location"] == reverse("advocacy:portal")
    membership = Membership.objects.get(user__email="kim@customers.example")
    assert membership.status == Membership.Status.ACTIVE
    assert membership.user.name == "Kim Vale"
    assert membership.user.emailaddress_set.get().verified
    home = client.get(reverse("advocacy:portal"))
    assert home.status_code == 200  # signed in, with the ambassador role
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"accept_terms": ""}, "accept_terms", "Accept the program terms"),
        ({"password2": "something else entirely"}, "password2", "The two passwords differ"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"name": "  "}, "name", "Tell us your name"),
        ({"password1": "", "password2": ""}, "password1", "Choose a password"),
    ],
)
def test_a_bad_form_says_what_is_wrong_and_creates_nothing(client, overrides, field, message):
    invitation, token = InvitationFactory()
    response = accept(client, token, **overrides)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert not Membership.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("quillfeather@customers.example", "The password is too similar to the email address."),
        ("Quillfeather", "The password is too similar to the email address."),  # the email's local part
        ("Dorothea Quist", "The password is too similar to the full name."),
    ],
)
def test_a_password_like_the_invited_email_or_the_name_is_refused_and_nothing_is_created(client, password, message):
    """Django's password validators run with the user being created, as allauth's sign-up runs them."""
    invitation, token = InvitationFactory(email="quillfeather@customers.example")

    response = accept(client, token, name="Dorothea Quist", password1=password, password2=password)

    assert response.status_code == 400
    assert response.context["form"].errors["password1"] == [message]
    assert not User.objects.filter(email="quillfeather@customers.example").exists()
    assert not Membership.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_declining_records_the_reason_and_the_link_stops_working(client):
    invitation, token = InvitationFactory()
    response = client.post(join_url(token), {"action": "decline", "reason": "Too busy this year"})
    assert "declined the invitation" in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason) == (Invitation.Status.DECLINED, "Too busy this year")
    assert client.get(join_url(token)).status_code == 404


def _tampered(token):
    """One character changed (to another one: a token may already end in "A")."""
    return token[:-1] + ("B" if token.endswith("A") else "A")


def _expired(token_pair):
    invitation, token = token_pair
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    return token


def _used(client):
    _, token = InvitationFactory()
    accept(client, token)
    client.logout()
    return token


def _revoked():
    invitation, token = InvitationFactory()
    invitation_revoke(invitation=invitation)
    return token


def _resent():
    invitation, old_token = InvitationFactory()
    invitation_resend(invitation=invitation)
    return old_token


@pytest.mark.parametrize("kind", ["made_up", "tampered", "used", "expired", "revoked", "replaced_by_resend"])
def test_an_unusable_link_gets_the_same_friendly_page(client, kind):
    token = {
        "made_up": lambda: "x" * 43,
        "tampered": lambda: _tampered(InvitationFactory()[1]),
        "used": lambda: _used(client),
        "expired": lambda: _expired(InvitationFactory()),
        "revoked": _revoked,
        "replaced_by_resend": _resent,
    }[kind]()
    for response in (client.get(join_url(token)), accept(client, token)):
        assert response.status_code == 404
        assert "This invitation link cannot be used" in response.content.decode()
    assert Membership.objects.count() == (1 if kind == "used" else 0)


def test_guessing_tokens_is_rate_limited_per_client(client, settings):
    settings.ADVOCACY_JOIN_GUESSES_PER_HOUR = 3
    _, token = InvitationFactory()
    for n in range(3):
        assert client.get(join_url(f"guess-{n}")).status_code == 404
    response = client.get(join_url(token))  # even a good token, once the client is over the limit
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    other_client = client.__class__(REMOTE_ADDR="203.0.113.9")
    assert other_client.get(join_url(token)).status_code == 200


def test_someone_with_an_account_signs_in_and_accepts_with_one_click(client, make_user):
    person = make_user(email="eli@customers.example", name="Eli North")
    _, token = InvitationFactory(email="eli@customers.example")

    page = client.get(join_url(token)).content.decode()
    assert "You already have an account" in page
    assert "password1" not in page
    assert accept(client, token).status_code == 200  # nothing happens without signing in
    assert not Membership.objects.exists()

    client.force_login(person)
    page = client.get(join_url(token)).content.decode()
    assert "Accept as eli@customers.example" in page
    assert "password1" not in page
    response = client.post(join_url(token), {"action": "accept", "accept_terms": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("advocacy:portal")
    assert Membership.objects.get().user == person


def test_signed_in_as_someone_else_cannot_accept(client, make_user):
    client.force_login(make_user(email="other@customers.example"))
    _, token = InvitationFactory(email="kim@customers.example")
    response = client.post(join_url(token), {"action": "accept", "accept_terms": "on"})
    assert "you are signed in as other@customers.example" in response.content.decode()
    assert not Membership.objects.exists()


def test_accepting_when_full_puts_the_person_on_the_waitlist_with_a_clear_message(client):
    MembershipFactory()
    Program.objects.filter(pk=1).update(seat_limit=1)
    _, token = InvitationFactory(email="lee@customers.example")

    response = accept(client, token, name="Lee Park")

    assert response.status_code == 302
    assert response["Location"] == reverse("advocacy:waitlist")
    entry = WaitlistEntry.objects.get()
    assert entry.user.email == "lee@customers.example"
    page = client.get(reverse("advocacy:waitlist")).content.decode()
    assert "You are number <strong>1</strong> in line" in page
    assert client.get(reverse("home"))["Location"] == reverse("advocacy:waitlist")
    assert client.get(reverse("advocacy:portal")).status_code == 403  # not an ambassador yet
