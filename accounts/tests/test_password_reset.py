import re

from django.core import mail

from accounts.demo import DEMO_PASSWORD

NEW_PASSWORD = "Fresh-cherry-cola-2026"


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, make_user):
    eli = make_user("eli.employee")
    response = client.post("/accounts/password/reset/", {"email": eli.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    eli.refresh_from_db()
    assert eli.check_password(NEW_PASSWORD)
    assert not eli.check_password(DEMO_PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_reset_link(client, make_user):
    eli = make_user("eli.employee")
    known = client.post("/accounts/password/reset/", {"email": eli.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@carlssoda.example"})
    # Nothing on the page tells whether an account exists.
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    to_unknown = [m for m in mail.outbox if m.to == ["nobody@carlssoda.example"]]
    assert all("/accounts/password/reset/key/" not in m.body for m in to_unknown)
